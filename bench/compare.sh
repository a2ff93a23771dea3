#!/usr/bin/env bash
# Benchmark playbook against Hugo and mdBook on the same generated corpus.
#
#   bench/compare.sh [PAGES] [RUNS]        e.g. bench/compare.sh 1000, bench/compare.sh 10000 3
#
# Generates a PAGES-page corpus (bench/gen_corpus.py, from the five OctoAcme
# copies in tests/fixtures/variants) in playbook's, Hugo's and mdBook's
# layouts, installs the peers if missing (apt-get install hugo; cargo install
# mdbook), builds playbook in release mode, then times RUNS full builds of
# each tool, interleaved (playbook, hugo, mdbook, playbook, ...), plus
# `playbook check`, a one-page edit inside `playbook serve`, and `cp -r` of
# the sources as the physical floor. Reports median wall time and peak
# memory, and playbook's ratio to each peer; writes bench/RESULTS.md and
# prints it. Builds go into the folder of the previous run, as a writer's or
# CI's do (playbook links the files that did not change; Hugo overwrites
# them); playbook into an empty folder is timed too. mdBook is skipped above 2,000 pages (its output grows with the
# square of the pages: 525 s for 10,000) unless MDBOOK=1.
#
# Environment: WORK (scratch folder, default /tmp/playbook-bench),
# EDITS (one-page edits in serve; default 1000), MDBOOK=1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PAGES="${1:-1000}"
RUNS="${2:-5}"
WORK="${WORK:-/tmp/playbook-bench}"
EDITS="${EDITS:-1000}"
RESULTS="bench/RESULTS.md"
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if ! need apt-get; then echo "error: $* missing and no apt-get to install it" >&2; exit 2; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}
[[ -x /usr/bin/time ]] || apt_install time
need python3 || apt_install python3
need hugo || apt_install hugo
# `mdbook build` with its search index, as by default; `serve` and `watch`
# are left out only to make the install quicker.
need mdbook || cargo install mdbook --locked --version 0.5.4 --quiet \
  --no-default-features --features search
export PATH="$HOME/.cargo/bin:$PATH"

echo "building playbook (release)..." >&2
cargo build --release --locked --quiet
PLAYBOOK="$PWD/target/release/playbook"

echo "generating the $PAGES-page corpus in $WORK..." >&2
for format in plain hugo mdbook; do
  dir="$WORK/$format-$PAGES"
  [[ -d "$dir" ]] || python3 bench/gen_corpus.py "$PAGES" "$dir" --format "$format" \
    --seeds tests/fixtures/variants >/dev/null
done
PLAIN="$WORK/plain-$PAGES"

run_mdbook=1
if (( PAGES > 2000 )) && [[ "${MDBOOK:-0}" != 1 ]]; then run_mdbook=0; fi

# One timed run: appends "seconds KiB" to $WORK/times-NAME.
timed() {
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.tmp" "$@" >/dev/null 2>"$WORK/last-$name.err" || {
    echo "error: $name failed:" >&2; tail -20 "$WORK/last-$name.err" >&2; exit 1; }
  cat "$WORK/time.tmp" >> "$WORK/times-$name"
}
rm -f "$WORK"/times-*

for run in $(seq 1 "$RUNS"); do
  echo "run $run of $RUNS..." >&2
  timed playbook "$PLAYBOOK" build --root "$PLAIN" --out "$WORK/out-playbook"
  # Into an empty folder: nothing of a previous site to link, every file new.
  rm -rf "$WORK/out-cold"
  timed cold "$PLAYBOOK" build --root "$PLAIN" --out "$WORK/out-cold"
  timed hugo hugo --quiet --source "$WORK/hugo-$PAGES" --destination "$WORK/out-hugo"
  (( run_mdbook )) && timed mdbook mdbook build "$WORK/mdbook-$PAGES" --dest-dir "$WORK/out-mdbook"
  timed check "$PLAYBOOK" check --root "$PLAIN"
  rm -rf "$WORK/out-copy"
  timed copy cp -r "$PLAIN/content" "$WORK/out-copy"
  sleep 1 # let a background removal of the previous site finish
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
wall() { cut -d' ' -f1 "$WORK/times-$1" | median; }
mem() { cut -d' ' -f2 "$WORK/times-$1" | median; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a/b}'; }

echo "timing $EDITS one-page edits in serve..." >&2
page=$(cd "$PLAIN/content" && find . -name '*.md' ! -name '_index.md' | sort | sed -n 2p | sed 's|^\./||')
serve_json=$(python3 bench/serve_edit.py "$PLAYBOOK" "$PLAIN" "$page" "$EDITS")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$serve_json" "$1"; }

pb=$(wall playbook)
{
  echo "# Benchmark: $PAGES pages"
  echo
  echo "\`bench/compare.sh $PAGES $RUNS\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM;"
  echo "playbook $("$PLAYBOOK" --version | cut -d' ' -f2), $(hugo version | cut -d' ' -f1-2)$( (( run_mdbook )) && echo ", mdBook $(mdbook --version | cut -d' ' -f2)")."
  echo "Median of $RUNS interleaved runs; peak memory is the maximum resident set."
  echo
  echo "| What | Median wall | Peak memory | playbook ÷ it |"
  echo "|---|---:|---:|---:|"
  echo "| playbook build (highlighting, search index, navigation) | $(wall playbook) s | $(mib "$(mem playbook)") MiB | |"
  echo "| playbook build into an empty folder (no previous site to link) | $(wall cold) s | $(mib "$(mem cold)") MiB | |"
  echo "| Hugo build | $(wall hugo) s | $(mib "$(mem hugo)") MiB | $(ratio "$pb" "$(wall hugo)") |"
  if (( run_mdbook )); then
    echo "| mdBook build | $(wall mdbook) s | $(mib "$(mem mdbook)") MiB | $(ratio "$pb" "$(wall mdbook)") |"
  else
    echo "| mdBook build | not run above 2,000 pages (set MDBOOK=1) | | |"
  fi
  echo "| playbook check | $(wall check) s | $(mib "$(mem check)") MiB | check ÷ build: $(ratio "$(wall check)" "$pb") |"
  echo "| cp -r of the sources (floor) | $(wall copy) s | | $(ratio "$pb" "$(wall copy)") |"
  echo
  echo "One-page edit in \`playbook serve\`, $(field edits) edits of \`$page\`:"
  echo
  echo "| | Median | 90th percentile |"
  echo "|---|---:|---:|"
  echo "| rebuilt and served, after the 40 ms debounce | $(field rebuild_median_ms) ms | $(field rebuild_p90_ms) ms |"
  echo "| file written → new page served (debounce included) | $(field served_median_ms) ms | $(field served_p90_ms) ms |"
  echo
  echo "Server memory: $(mib "$(field rss_after_10_kib)") MiB after 10 edits, $(mib "$(field rss_after_all_kib)") MiB after $(field edits)."
} > "$WORK/results-$PAGES.md"

# RESULTS.md keeps one section per corpus size.
python3 - "$RESULTS" "$WORK/results-$PAGES.md" "$PAGES" <<'PY'
import re, sys
path, new, pages = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
try:
    old = open(path).read()
except FileNotFoundError:
    old = ""
sections = [s for s in re.split(r"(?m)^(?=# Benchmark: )", old) if s.startswith("# Benchmark: ")]
sections = [s for s in sections if not s.startswith(f"# Benchmark: {pages} pages")] + [new]
sections.sort(key=lambda s: int(re.match(r"# Benchmark: (\d+)", s).group(1)))
open(path, "w").write("\n".join(s.rstrip("\n") + "\n" for s in sections))
PY
cat "$WORK/results-$PAGES.md"
