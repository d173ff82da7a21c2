#!/usr/bin/env bash
# Benchmark `kiosque import wordpress` on a generated export (scripts/gen_wxr.py), then the
# build of the imported site: wall time and peak memory of each, on disk.
#
# Environment:
#   BENCH_POSTS  posts in the export           (default: 10000)
#   BENCH_DIR    where the export and site go  (default: target/bench-import)
#   KIOSQUE_BIN  benchmark this binary instead of building target/release/kiosque
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

posts=${BENCH_POSTS:-10000}
dir=${BENCH_DIR:-target/bench-import}
if [[ -n ${KIOSQUE_BIN:-} ]]; then
    bin=$KIOSQUE_BIN
else
    cargo build --release >&2
    bin=target/release/kiosque
fi
[[ -x /usr/bin/time ]] || { echo "bench: GNU time is needed (apt-get install time)" >&2; exit 1; }

mkdir -p "$dir"
export_file="$dir/export-$posts.xml"
[[ -f $export_file ]] || python3 scripts/gen_wxr.py "$posts" "$export_file"
site="$dir/site-$posts"
rm -rf "$site" "$site.public"
mkdir -p "$site"

measure() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$dir/$name.time" "$@" >"$dir/$name.log" 2>&1 ||
        { cat "$dir/$name.log" >&2; exit 1; }
    read -r seconds kib <"$dir/$name.time"
    printf '%-8s %8s s %8.0f MiB\n' "$name" "$seconds" "$((kib / 1024))"
}

echo "export: $(du -h "$export_file" | cut -f1) with $posts posts"
measure import "$bin" import wordpress "$export_file" --root "$site"
measure build "$bin" build --root "$site" --output "$site.public"
tail -n 3 "$dir/import.log"
