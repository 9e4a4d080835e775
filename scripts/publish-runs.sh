#!/usr/bin/env bash
# The full-size runs behind docs/COUPON_LOAD_TEST_REPORT.md and docs/ORDER_PAYMENT_LOAD_TEST_REPORT.md.
# Every profile at the seed's size, then the before/after comparisons. About 35 minutes on a
# 2-core machine; run it on an otherwise idle machine. Output: reports/runs/, reports/compare/,
# and a log of every command with its exit code in reports/publish-runs.log.
set -uo pipefail
cd "$(dirname "$0")/.."
log=reports/publish-runs.log
mkdir -p reports
: > "$log"
run() {
  echo "\$ $*" | tee -a "$log"
  local started=$SECONDS
  npx perf-lab "$@" --json > reports/last.json 2>> "$log"
  local code=$?
  echo "exit $code after $(( SECONDS - started ))s: $(tr -d '\n' < reports/last.json | cut -c1-600)" | tee -a "$log"
}
npx perf-lab up >> "$log" 2>&1
run lab --scenario coupon --profile sequential
run lab --scenario coupon --profile load
run lab --scenario coupon --profile peak
run lab --scenario order --profile sequential
run lab --scenario order --profile load
run lab --scenario order --profile peak
run compare coupon --profile sequential --a strategy=db-only --b strategy=redis-kafka
run compare coupon --profile sequential --a strategy=redis-kafka --b strategy=naive
run compare order --profile load --a lock=global --b lock=user
run compare order --profile load --a pool=10 --b pool=100
run compare order --profile load --a cart-index=off --b cart-index=on
rm -f reports/last.json
