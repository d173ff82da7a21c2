#!/usr/bin/env bash
# Runs each `cargo fuzz` target of fuzz/ for a fixed time, one after another, and prints what
# each did: seconds run, executions, corpus size, and the crash, timeout or OOM input it left.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh markdown embeds
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_SANITIZER  address (default) or none, passed to `cargo fuzz --sanitizer`
#   FUZZ_ARGS       more libFuzzer options, e.g. "-max_len=65536" (default: none)
#
# Targets are built as cargo-fuzz builds them by default: optimised, with debug assertions
# and overflow checks on (as in `cargo test`).
# An input that runs over 10 s counts as a finding: Kiosque must never hang on its input.
# Stable Rust only: cargo-fuzz needs unstable flags, which RUSTC_BOOTSTRAP=1 allows.
# Not run by CI. Exits 1 if any target left a finding; findings are in fuzz/artifacts/<target>/,
# full logs in fuzz/logs/<target>.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=(front_matter shortcodes embeds markdown)
fi
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

build_flags=(--sanitizer "$sanitizer")

echo "== building ${targets[*]} (sanitizer: $sanitizer)"
for target in "${targets[@]}"; do
    cargo fuzz build "${build_flags[@]}" "$target"
done

mkdir -p fuzz/logs
summary=()
found_any=0
for target in "${targets[@]}"; do
    corpus="$root/fuzz/corpus/$target"
    seeds="$root/fuzz/seeds/$target"
    artifacts="$root/fuzz/artifacts/$target"
    log="$root/fuzz/logs/$target.log"
    mkdir -p "$corpus" "$artifacts"
    inputs=("$corpus")
    [[ -d "$seeds" ]] && inputs+=("$seeds")
    fuzzer_args=(
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
    )
    [[ -f "fuzz/dicts/$target.dict" ]] && fuzzer_args+=(-dict="$root/fuzz/dicts/$target.dict")
    # Word splitting is wanted: FUZZ_ARGS holds several options.
    # shellcheck disable=SC2206
    fuzzer_args+=(${FUZZ_ARGS:-})

    echo "== $target: $seconds s (log: fuzz/logs/$target.log)"
    started=$SECONDS
    status=0
    cargo fuzz run "${build_flags[@]}" "$target" "${inputs[@]}" -- "${fuzzer_args[@]}" \
        >"$log" 2>&1 || status=$?
    ran=$((SECONDS - started))

    # libFuzzer's final stats; the last status line if it died before printing them.
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    if [[ -z "$execs" ]]; then
        execs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)"
    fi
    execs="${execs:-0}"
    per_second="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)"
    units="$(find "$corpus" -type f | wc -l)"
    written="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | sort -u | tr '\n' ' ')"

    if [[ -n "$written" ]]; then
        found_any=1
        finding="FOUND: $written"
    elif [[ $status -ne 0 ]]; then
        found_any=1
        finding="cargo fuzz failed with status $status, see the log"
    else
        finding="nothing"
    fi
    line="$target: ran ${ran} s (wall), ${execs} executions (${per_second:-?}/s), peak RSS ${rss:-?} MB, corpus ${units} inputs; ${finding}"
    echo "$line"
    summary+=("$line")
done

echo
echo "== summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
exit "$found_any"
