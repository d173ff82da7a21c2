#!/usr/bin/env bash
# Measure Lighthouse (performance category only) on one article page of a Kiosque-built site,
# for the figures of a note. A benchmark, not a test: CI does not run it, and the figures are
# only printed; the script fails only when the site, the server or Lighthouse itself fails.
#
# Environment:
#   LH_ROOT          site root, holding site.toml       (default: this repository, an example site)
#   LH_PAGE          site path of the page to audit     (default: /2025/02/rust-1-85-edition-2024/,
#                    an article of the example site with a hero image)
#   LH_DIR           work folder: public/, node/, reports (default: target/lighthouse)
#   KIOSQUE_BIN      kiosque binary (default: target/release/kiosque, built with
#                    `cargo build --release` when missing)
#   CHROME_PATH      browser Lighthouse drives          (default: /usr/bin/chromium, Debian's)
#   LH_CHROME_FLAGS  flags for that browser             (default: "--headless=new --no-sandbox";
#                    --no-sandbox because Chromium refuses to start sandboxed as root or in most
#                    containers)
#
# Paths given in the environment are relative to the current folder; the defaults to the
# repository.
#
# What is measured: Lighthouse 12, installed locally in $LH_DIR/node (npm, not global), with its
# defaults: mobile form factor and *simulated* throttling (Lantern: 150 ms RTT, 1.6 Mbit/s down,
# 4x CPU slowdown; the page itself loads unthrottled and the timings are modelled from that
# trace). The site is served on 127.0.0.1, on a free port, by Python's http.server speaking
# HTTP/1.1 with keep-alive and proper content types, but no compression (so total byte weight
# counts uncompressed HTML and CSS) and no cache headers. One run: Lighthouse scores vary by a
# few points from run to run, so run it two or three times before quoting a score.
#
# Outputs: $LH_DIR/report.json and $LH_DIR/report.html, the Lighthouse log in
# $LH_DIR/lighthouse.log, the server's in $LH_DIR/server.log.
set -euo pipefail
export LC_ALL=C

caller=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

die() {
    echo "lighthouse: error: $*" >&2
    exit 1
}
note() { echo "lighthouse: $*" >&2; }

# abs PATH -> PATH made absolute against the caller's folder (environment paths).
abs() { [[ $1 == /* ]] && echo "$1" || echo "$caller/$1"; }

root=$repo
[[ -n ${LH_ROOT:-} ]] && root=$(abs "$LH_ROOT")
page=${LH_PAGE:-/2025/02/rust-1-85-edition-2024/}
[[ $page == /* ]] || page=/$page
lh_dir=$repo/target/lighthouse
[[ -n ${LH_DIR:-} ]] && lh_dir=$(abs "$LH_DIR")
chrome=${CHROME_PATH:-/usr/bin/chromium}
chrome_flags=${LH_CHROME_FLAGS:---headless=new --no-sandbox}

[[ -f $root/site.toml ]] || die "no site.toml in LH_ROOT ($root)"
[[ -x $chrome ]] || die "no browser at $chrome (set CHROME_PATH; Debian: apt-get install chromium)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are required"
command -v python3 >/dev/null || die "python3 is required for the HTTP server"

# The binary: the one given, else the release build, built only when missing.
if [[ -n ${KIOSQUE_BIN:-} ]]; then
    bin=$(abs "$KIOSQUE_BIN")
else
    bin=$repo/${CARGO_TARGET_DIR:-target}/release/kiosque
    [[ ${CARGO_TARGET_DIR:-} == /* ]] && bin=$CARGO_TARGET_DIR/release/kiosque
    if [[ ! -x $bin ]]; then
        note "$bin missing: cargo build --release"
        cargo build --release || die "cargo build --release failed"
    fi
fi
[[ -x $bin ]] || die "kiosque binary not found or not executable: $bin"

mkdir -p "$lh_dir"
public=$lh_dir/public

# Build. The output folder is emptied first so that nothing from an earlier run (say, images
# from another build) is served.
rm -rf "$public"
note "building $root into $public"
"$bin" build --root "$root" --output "$public" >"$lh_dir/build.log" 2>&1 ||
    { tail -n 20 "$lh_dir/build.log" >&2; die "kiosque build failed (log: $lh_dir/build.log)"; }
note "$(tail -n 1 "$lh_dir/build.log")"
file=$public$page
[[ $page == */ ]] && file=${file}index.html
[[ -f $file ]] || die "LH_PAGE $page is not in the build (no $file)"

# Lighthouse, installed once into $LH_DIR/node; reinstalled if that copy is not version 12.
lh=$lh_dir/node/node_modules/.bin/lighthouse
lh_pkg=$lh_dir/node/node_modules/lighthouse/package.json
if [[ ! -x $lh ]] || [[ $(node -p 'require(process.argv[1]).version' "$lh_pkg" 2>/dev/null) != 12.* ]]; then
    note "npm install --prefix $lh_dir/node lighthouse@12"
    npm install --prefix "$lh_dir/node" --no-audit --no-fund --loglevel=error lighthouse@12 >&2 ||
        die "npm install lighthouse@12 failed"
fi
[[ -x $lh ]] || die "lighthouse not found at $lh after npm install"

# The server: http.server's handler on HTTP/1.1 (Content-Length on every answer, so keep-alive
# works) in a threading server, bound to 127.0.0.1 on a port the system picks; it prints the
# port. Content types come from Python's mimetypes table, pinned here for the types a site may
# hold so that an old /etc/mime.types does not matter.
server_py='
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".json": "application/json",
        ".xml": "application/xml", ".svg": "image/svg+xml", ".webp": "image/webp",
        ".avif": "image/avif", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
        ".txt": "text/plain; charset=utf-8",
    }
server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
'
rm -f "$lh_dir/port"
python3 -c "$server_py" "$public" >"$lh_dir/port" 2>"$lh_dir/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 50); do
    port=$(head -n 1 "$lh_dir/port" 2>/dev/null || true)
    [[ -n $port ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$lh_dir/server.log" >&2; die "the HTTP server exited"; }
    sleep 0.1
done
[[ $port =~ ^[0-9]+$ ]] || die "the HTTP server did not report its port"
url=http://127.0.0.1:$port$page
node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" ||
    die "$url does not answer 200"
note "serving $public at http://127.0.0.1:$port/"

# Lighthouse. With two outputs it writes <path>.report.json and <path>.report.html; renamed
# after. A runtime error (page not loaded, no paint…) makes it exit non-zero after writing them.
rm -f "$lh_dir/report.json" "$lh_dir/report.html" "$lh_dir"/report.report.*
note "lighthouse $url (chrome: $chrome $chrome_flags)"
if ! CHROME_PATH=$chrome "$lh" "$url" \
    --only-categories=performance \
    --chrome-flags="$chrome_flags" \
    --output=json --output=html --output-path="$lh_dir/report" \
    >"$lh_dir/lighthouse.log" 2>&1; then
    tail -n 30 "$lh_dir/lighthouse.log" >&2
    die "lighthouse failed (log: $lh_dir/lighthouse.log)"
fi
mv "$lh_dir/report.report.json" "$lh_dir/report.json"
mv "$lh_dir/report.report.html" "$lh_dir/report.html"

# The figures. Exits non-zero only if the report has no performance score (Lighthouse did not
# really run); failed audits are only printed.
node -e '
const lhr = require(process.argv[1]);
const a = lhr.audits, s = lhr.configSettings, t = s.throttling;
const perf = lhr.categories.performance;
if (lhr.runtimeError || !perf || perf.score === null) {
    console.error("lighthouse: error: no performance score:",
        lhr.runtimeError ? lhr.runtimeError.message : "missing");
    process.exit(1);
}
const kib = (b) => (b / 1024).toFixed(1) + " KiB";
const status = (x) => x.score === null ? x.scoreDisplayMode
    : (x.score >= 0.9 ? "pass" : "FAIL") + " (score " + x.score + ")";
console.log("url:               " + lhr.finalDisplayedUrl);
console.log("lighthouse:        " + lhr.lighthouseVersion + ", " + lhr.environment.hostUserAgent);
console.log("settings:          " + s.formFactor + ", " + s.throttlingMethod + " throttling (rtt "
    + t.rttMs + " ms, " + t.throughputKbps + " Kbps, cpu x" + t.cpuSlowdownMultiplier
    + "), benchmarkIndex " + lhr.environment.benchmarkIndex);
for (const w of lhr.runWarnings || []) console.log("warning:           " + w);
console.log("performance:       " + Math.round(perf.score * 100));
console.log("CLS:               " + a["cumulative-layout-shift"].displayValue);
console.log("LCP:               " + a["largest-contentful-paint"].displayValue
    + " (" + Math.round(a["largest-contentful-paint"].numericValue) + " ms)");
console.log("total byte weight: " + kib(a["total-byte-weight"].numericValue));
for (const id of ["uses-responsive-images", "modern-image-formats", "unsized-images",
    "offscreen-images", "uses-optimized-images", "largest-contentful-paint-element"]) {
    const x = a[id];
    if (!x) { console.log((id + ":").padEnd(35) + "absent from this Lighthouse"); continue; }
    console.log((id + ":").padEnd(35) + status(x) + (x.displayValue ? ", " + x.displayValue : ""));
    if (id === "largest-contentful-paint-element") {
        // Lighthouse 12: a list of tables, the first holding the element.
        const items = (x.details && x.details.items || [])
            .flatMap((i) => i.type === "table" ? i.items : [i]);
        const el = items.find((i) => i.node);
        console.log("  element:                         "
            + (el ? el.node.snippet + " (" + el.node.selector + ")" : "none found"));
    } else {
        for (const i of (x.details && x.details.items) || []) {
            const url = i.url || (i.node && i.node.snippet) || "";
            console.log("  " + url + (i.wastedBytes ? " (" + kib(i.wastedBytes) + " to save)" : ""));
        }
    }
}
' "$lh_dir/report.json"
note "reports: $lh_dir/report.json, $lh_dir/report.html"
