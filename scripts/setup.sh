#!/usr/bin/env bash
# Installs whatever perf-lab needs and is missing: npm dependencies, MariaDB, Redis and
# Prometheus (Debian packages; the lab starts its own Prometheus only with
# `perf-lab up --with prometheus`), the Kafka broker jars (Maven Central, into the git-ignored
# state folder).
# Idempotent and quiet when there is nothing to do. Starts nothing: `perf-lab up` does that.
#
#   bash scripts/setup.sh                          everything (the Debian packages need root)
#   sudo bash scripts/setup.sh --system-packages   only the Debian packages; writes nothing in
#                                                  the checkout, so the rest can then run as the
#                                                  user who owns it (CI: see docs/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
state_dir=${PERF_LAB_STATE_DIR:-.perf-lab}
kafka_home=${PERF_LAB_KAFKA_HOME:-$state_dir/kafka}
did=()
t0=$SECONDS

step() { did+=("$1 ($(( SECONDS - $2 ))s)"); }
fail() { echo "setup: $1" >&2; exit 2; }
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
report() {
  if [ ${#did[@]} -gt 0 ]; then
    echo "setup: done in $(( SECONDS - t0 ))s:"
    printf '  - %s\n' "${did[@]}"
  fi
}

only_system=false
case "${1:-}" in
  '') ;;
  --system-packages) only_system=true ;;
  *) fail "unknown option ${1} — run it with no option (everything) or with --system-packages (only the Debian packages, as root)" ;;
esac

# --- MariaDB, Redis, Prometheus (and wrk for the engine benchmark) from Debian packages ----
system_packages() {
  local apt_missing=() pkgs s
  { have mariadbd || have mysqld; } || apt_missing+=(mariadb-server)
  { have mariadb-install-db || have mysql_install_db; } || apt_missing+=(mariadb-server)
  have mariadb || apt_missing+=(mariadb-client)
  have redis-server || apt_missing+=(redis-server)
  have wrk || apt_missing+=(wrk)
  have prometheus || apt_missing+=(prometheus)
  [ ${#apt_missing[@]} -gt 0 ] || return 0
  pkgs=$(printf '%s\n' "${apt_missing[@]}" | sort -u | tr '\n' ' ')
  if have apt-get && [ "$(id -u)" = 0 ]; then
    s=$SECONDS
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    step "apt-get install $pkgs" $s
  else
    fail "missing: $pkgs— install them by hand (Debian/Ubuntu: sudo bash scripts/setup.sh --system-packages, or sudo apt-get install $pkgs; macOS: brew install mariadb redis wrk prometheus), then re-run"
  fi
}

if $only_system; then
  system_packages
  report
  exit 0
fi

# --- Node.js and npm dependencies -------------------------------------------------------
have node || fail "Node.js 20.19+ is missing — install it (https://nodejs.org, or: apt-get install nodejs / brew install node@20)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "Node.js $(node -v) is too old — perf-lab needs 20.19 or newer"
# The patches in patches/ are applied by npm ci (postinstall): a changed patch installs again too.
lock_hash=$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1)
if [ ! -f node_modules/.perf-lab-lock ] || [ "$(cat node_modules/.perf-lab-lock)" != "$lock_hash" ]; then
  s=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_hash" > node_modules/.perf-lab-lock
  step "npm ci" $s
fi

system_packages

# --- Kafka broker jars from Maven Central ---------------------------------------------------
have java || fail "Java 17+ is missing (needed by the Kafka broker) — Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
[ "${java_major:-0}" -ge 17 ] || fail "Java ${java_major:-?} is too old — the Kafka 4 broker needs Java 17+"
pom_hash=$(sha256sum lab/kafka/pom.xml | cut -d' ' -f1)
stamp="$kafka_home/libs/.pom-sha256"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$pom_hash" ]; then
  have mvn || fail "Maven is missing (it resolves the Kafka broker jars) — Debian/Ubuntu: sudo apt-get install maven; macOS: brew install maven"
  s=$SECONDS
  rm -rf "$kafka_home/libs"
  mkdir -p "$kafka_home/libs"
  mvn_log="$state_dir/mvn-setup.log"
  mvn -B -f lab/kafka/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$(cd "$kafka_home/libs" && pwd)" -DincludeScope=runtime >"$mvn_log" 2>&1 \
    || { tail -20 "$mvn_log" >&2; fail "could not resolve the Kafka broker jars with Maven (log: $mvn_log)"; }
  echo "$pom_hash" > "$stamp"
  step "Kafka broker jars ($(ls "$kafka_home/libs" | grep -o 'kafka_2[^/]*\.jar'))" $s
fi

report
