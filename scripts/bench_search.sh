#!/usr/bin/env bash
# What search costs: the cold build of a generated corpus (scripts/gen_corpus.py) with the
# search index and without it (`[search] enabled = false`), on disk; the index's size; and
# the bytes a reader's query downloads, measured in headless Chromium on the built site
# (scripts/search_query_bytes.mjs, with tests/browser's playwright-core).
#
# Environment:
#   BENCH_N      articles in the corpus      (default: 10000)
#   BENCH_RUNS   cold builds of each kind    (default: 3)
#   BENCH_DIR    where corpus and outputs go (default: target/bench-search)
#   KIOSQUE_BIN  this binary instead of building target/release/kiosque
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

n=${BENCH_N:-10000}
runs=${BENCH_RUNS:-3}
dir=${BENCH_DIR:-target/bench-search}
note() { echo "bench-search: $*" >&2; }

if [[ -n ${KIOSQUE_BIN:-} ]]; then
    bin=$KIOSQUE_BIN
else
    note "cargo build --release"
    cargo build --release >&2
    bin=${CARGO_TARGET_DIR:-$repo/target}/release/kiosque
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

corpus=$dir/corpus-$n
if [[ ! -f $corpus/.done ]]; then
    rm -rf "$corpus"
    python3 scripts/gen_corpus.py --seed 42 "$n" "$corpus" >&2
    touch "$corpus/.done"
fi
# The same corpus without search: its own site.toml, the same content.
plain=$dir/plain-$n
rm -rf "$plain"
mkdir -p "$plain"
ln -s "$corpus/content" "$plain/content"
{ cat "$corpus/site.toml"; printf '\n[search]\nenabled = false\n'; } >"$plain/site.toml"

# Outputs are moved aside, not deleted, until the end: deleting thousands of files makes the
# next build's file creation slower on some file systems, which would be measured instead.
trash=$dir/trash
mkdir -p "$trash"
build() { # SITE OUT -> seconds
    local site=$1 out=$2
    [[ -e $out ]] && mv "$out" "$trash/$(basename "$out").$RANDOM$RANDOM"
    sync
    local start end
    start=$(date +%s.%N)
    "$bin" build --root "$site" --output "$out" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

with=() without=()
for ((i = 1; i <= runs; i++)); do
    without+=("$(build "$plain" "$dir/out-plain")")
    with+=("$(build "$corpus" "$dir/out-search")")
    note "run $i: without search ${without[-1]} s, with search ${with[-1]} s"
done
t_without=$(printf '%s\n' "${without[@]}" | median)
t_with=$(printf '%s\n' "${with[@]}" | median)
overhead=$(echo "scale=1; ($t_with - $t_without) * 100 / $t_without" | bc)

index=$dir/out-search/search-index
index_bytes=$(du -sb "$index" | cut -f1)
index_files=$(find "$index" -type f | wc -l)
echo "articles: $n"
echo "cold build without search (median of $runs): $t_without s"
echo "cold build with search    (median of $runs): $t_with s  (+$overhead %)"
echo "index: $((index_bytes / 1024)) KiB in $index_files files"

if [[ -d tests/browser/node_modules/playwright-core ]] && [[ -x /usr/bin/chromium ]]; then
    node scripts/search_query_bytes.mjs "$dir/out-search"
else
    note "no Chromium or tests/browser/node_modules: query bytes not measured (npm ci --prefix tests/browser)"
fi
rm -rf "$trash"
