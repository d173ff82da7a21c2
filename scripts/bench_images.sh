#!/usr/bin/env bash
# Benchmark `kiosque build` on a site whose articles carry camera-sized photos: a cold build
# (no .kiosque-cache, every variant encoded) and a warm one (the cache reused), with wall time
# and peak memory of each, and the bytes of the photos before and of the images published.
#
# Environment:
#   BENCH_ARTICLES  articles in the site (scripts/gen_corpus.py)   (default: 1000)
#   BENCH_PHOTOS    photos (scripts/gen_photos.py, ImageMagick)    (default: 2000)
#   BENCH_DIR       where photos, site and output go               (default: target/bench-images)
#   BENCH_SEED      seed of both generators                        (default: 42)
#   BENCH_JOBS      parallel photo generators                      (default: nproc)
#   BENCH_IMAGES    TOML lines for an [images] table in site.toml  (default: none, the defaults)
#   KIOSQUE_BIN     benchmark this binary instead of building target/release/kiosque
#
# Each article gets a hero image and one image in its body, two photos per article taken in
# turn, so 1,000 articles use 2,000 photos once each. Photos are kept between runs (they take
# minutes to make) while their count, seed and generator are unchanged.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

articles=${BENCH_ARTICLES:-1000}
photos=${BENCH_PHOTOS:-2000}
bench_dir=${BENCH_DIR:-target/bench-images}
seed=${BENCH_SEED:-42}
jobs=${BENCH_JOBS:-$(nproc)}

die() {
    echo "bench: error: $*" >&2
    exit 1
}
note() { echo "bench: $*" >&2; }

for v in articles photos jobs; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ $seed =~ ^[0-9]+$ ]] || die "BENCH_SEED must be a non-negative integer (got '$seed')"
[[ -x /usr/bin/time ]] || die "GNU time is needed for peak memory (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required to generate the site"

if [[ -n ${KIOSQUE_BIN:-} ]]; then
    bin=$KIOSQUE_BIN
else
    note "cargo build --release"
    cargo build --release >&2 || die "cargo build --release failed; nothing to benchmark"
    bin=${CARGO_TARGET_DIR:-target}/release/kiosque
fi
[[ -x $bin ]] || die "kiosque binary not found or not executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd)

# The photos, made again only when what makes them changed.
photo_dir=$bench_dir/photos-$photos-s$seed
stamp="n=$photos seed=$seed generator=$(sha256sum scripts/gen_photos.py | cut -c 1-16)"
if [[ -f $photo_dir/.stamp && $(<"$photo_dir/.stamp") == "$stamp" ]]; then
    note "reusing $photo_dir"
else
    rm -rf "$photo_dir"
    python3 scripts/gen_photos.py --seed "$seed" --jobs "$jobs" "$photos" "$photo_dir" ||
        die "photo generation failed"
    echo "$stamp" >"$photo_dir/.stamp"
fi

# The site: gen_corpus's articles, each given a hero and a body image. Made anew each run
# (seconds), so a change of BENCH_IMAGES or of the article count is always taken.
site=$bench_dir/site-$articles
rm -rf "$site"
mkdir -p "$site/static"
python3 scripts/gen_corpus.py --seed "$seed" "$articles" "$site" >&2 ||
    die "corpus generation failed"
python3 - "$site/content" "$photos" <<'EOF'
# Adds `image: {src, alt}` to each article's front matter and an image after its first
# paragraph, photos taken in turn in the order of the sorted paths (the same every run).
import os, sys

content, photos = sys.argv[1], int(sys.argv[2])
digits = max(4, len(str(photos - 1)))
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(content) for f in fs if f.endswith(".md"))
for i, path in enumerate(paths):
    hero, body = (f"/images/p{(2 * i + k) % photos:0{digits}d}.jpg" for k in (0, 1))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    end = text.index("\n---\n", 4)
    front = text[:end] + f'\nimage:\n  src: {hero}\n  alt: "Photo {i}, à la une"'
    rest = text[end + 5:]
    para = rest.find("\n\n", 1)
    rest = rest[:para] + f"\n\n![Photo {i} dans le texte]({body})" + rest[para:]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(front + "\n---\n" + rest)
print(f"bench: {len(paths)} articles given 2 images each", file=sys.stderr)
EOF
if [[ -n ${BENCH_IMAGES:-} ]]; then
    printf '\n[images]\n%s\n' "$BENCH_IMAGES" >>"$site/site.toml"
fi
# Hard links, not copies: the photos are gigabytes, and the build only reads them.
cp -al "$photo_dir" "$site/static/images" 2>/dev/null || cp -a "$photo_dir" "$site/static/images"
rm -f "$site/static/images/.stamp"

# measure NAME -> one timed build into $site/public; prints "seconds peak-KiB".
measure() {
    local name=$1
    rm -rf "$site/public"
    if ! /usr/bin/time -f "%e %M" -o "$bench_dir/$name.time" \
        "$bin" build --root "$site" --output "$site/public" >"$bench_dir/$name.log" 2>&1; then
        tail -n 20 "$bench_dir/$name.log" >&2
        die "$name build failed (log: $bench_dir/$name.log)"
    fi
    note "$name: $(grep -o 'in [0-9]* ms.*' "$bench_dir/$name.log" || tail -n 1 "$bench_dir/$name.log")"
    cat "$bench_dir/$name.time"
}

# sum_images DIR -> "files bytes" of the images (jpg, jpeg, webp, avif, png) under DIR.
sum_images() {
    find "$1" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.webp' -o -iname '*.avif' \
        -o -iname '*.png' \) -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b }'
}

rm -rf "$site/.kiosque-cache"
read -r cold_s cold_kib < <(measure cold)
read -r warm_s warm_kib < <(measure warm)
read -r src_files src_bytes < <(sum_images "$site/static/images")
read -r out_files out_bytes < <(sum_images "$site/public")
cache_bytes=$(du -sb "$site/.kiosque-cache" 2>/dev/null | cut -f 1 || echo 0)
formats=$(find "$site/public" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.webp' \
    -o -iname '*.avif' -o -iname '*.png' \) | sed 's/.*\.//' | sort | uniq -c |
    awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')

echo
echo "site: $articles articles, $photos photos; binary: $bin"
printf '%-6s %9s %9s\n' build "wall s" "RSS MiB"
printf '%-6s %9s %9d\n' cold "$cold_s" "$((cold_kib / 1024))"
printf '%-6s %9s %9d\n' warm "$warm_s" "$((warm_kib / 1024))"
echo
printf '%-17s %8s %12s\n' images files MiB
printf '%-17s %8d %12.1f\n' "photos (sources)" "$src_files" "$(awk -v b="$src_bytes" 'BEGIN { print b / 1048576 }')"
printf '%-17s %8d %12.1f\n' "published" "$out_files" "$(awk -v b="$out_bytes" 'BEGIN { print b / 1048576 }')"
printf '%-17s %8s %12.1f\n' ".kiosque-cache" - "$(awk -v b="${cache_bytes:-0}" 'BEGIN { print b / 1048576 }')"
echo "published by type: ${formats:-none}"
