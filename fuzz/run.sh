#!/bin/sh
# Usage: fuzz/run.sh TARGET [SECONDS]  (from the repository root)
# Fuzzes TARGET for SECONDS (600 by default) from the seeds and committed
# corpus, writing new inputs to fuzz/work/TARGET and the log to fuzz/logs/.
set -eu
t=$1
secs=${2:-600}
mkdir -p fuzz/work/$t fuzz/logs fuzz/artifacts/$t
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -O $t fuzz/work/$t fuzz/corpus/$t fuzz/seeds/$t -- \
  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -max_total_time=$secs \
  -print_final_stats=1 > fuzz/logs/$t.log 2>&1
