#!/usr/bin/env bash
# The full-size runs behind docs/COUPON_LOAD_TEST_REPORT.md and docs/ORDER_PAYMENT_LOAD_TEST_REPORT.md.
#   bash scripts/publish-runs.sh [all|profiles|compares]
# Every profile at the seed's size (about 17 minutes on a 2-core machine), then the
# before/after comparisons (about 25 minutes). Run it on an otherwise idle machine. Output:
# reports/runs/, reports/compare/, and every command with its exit code in reports/publish-runs.log.
set -uo pipefail
cd "$(dirname "$0")/.."
log=reports/publish-runs.log
mkdir -p reports
what=${1:-all}
[ "$what" = all ] && : > "$log"
run() {
  echo "\$ $*" | tee -a "$log"
  local started=$SECONDS
  npx perf-lab "$@" --json > reports/last.json 2>> "$log"
  local code=$?
  echo "exit $code after $(( SECONDS - started ))s: $(tr -d '\n' < reports/last.json | cut -c1-600)" | tee -a "$log"
}
npx perf-lab up >> "$log" 2>&1
if [ "$what" = all ] || [ "$what" = profiles ]; then
  run lab --scenario coupon --profile sequential
  run lab --scenario coupon --profile load
  run lab --scenario coupon --profile peak
  run lab --scenario order --profile sequential
  run lab --scenario order --profile load
  run lab --scenario order --profile peak
fi
if [ "$what" = all ] || [ "$what" = compares ]; then
  run compare coupon --profile sequential --a strategy=db-only --b strategy=redis-kafka
  # With stock below demand the naive check-then-act over-issues; on the storm it duplicates.
  run compare coupon --profile sequential --coupon-stock 10000 --a strategy=redis-kafka --b strategy=naive
  run compare storm --profile sequential --a strategy=redis-kafka --b strategy=naive
  # The seed's data sells out after 5,000 orders; the order comparisons get enough stock to
  # measure the paying path for the whole profile.
  run compare order --profile load --product-stock 1000000 --a lock=global --b lock=user
  run compare order --profile load --product-stock 1000000 --a pool=10 --b pool=100
  run compare order --profile load --product-stock 1000000 --a cart-index=off --b cart-index=on
fi
rm -f reports/last.json
