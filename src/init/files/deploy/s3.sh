#!/bin/sh
# Builds the site and uploads it to an S3 bucket with the AWS CLI (`aws configure` first),
# each kind of file with its caching: hashed stylesheets and scripts for a year, everything
# else revalidated at each visit. Run it from the site's folder:
#
#   DEPLOY_BUCKET=my-bucket ./deploy.sh
#
# S3 sends a file as stored: with `precompress = true` in site.toml, every text file is
# uploaded gzipped (its .gz) with `Content-Encoding: gzip`, which every browser reads;
# without it, let CloudFront compress (its "Compress objects automatically").
# Written by Kiosque @@VERSION@@.
set -eu
# Patterns below are for the AWS CLI, not for this shell.
set -f

: "${DEPLOY_BUCKET:?set DEPLOY_BUCKET to the name of the bucket}"
KIOSQUE="${KIOSQUE:-kiosque}"
AWS="${AWS:-aws}"
LONG="public, max-age=31536000, immutable"
SHORT="public, max-age=0, must-revalidate"
# Hashed names: a dot and eight hex digits before .css or .js (style.3f9a1c0b.css).
HEX8='[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
HASHED="--include *.$HEX8.css --include *.$HEX8.js"
TEXT="--include *.html --include *.css --include *.js --include *.mjs --include *.xml
 --include *.json --include *.txt --include *.svg --include *.webmanifest"

"$KIOSQUE" build

upload=public
if [ -n "$(find public -name '*.gz' -print -quit)" ]; then
  # With `precompress = true`: each text file replaced by its gzipped bytes, same name.
  upload=$(mktemp -d)
  trap 'rm -rf "$upload"' EXIT
  cp -R public/. "$upload/"
  find "$upload" -name '*.br' -exec rm {} +
  find "$upload" -name '*.gz' | while IFS= read -r gz; do mv "$gz" "${gz%.gz}"; done
fi

# One kind of file, chosen by the filters given (the later filter wins), with its headers.
# The host files Netlify and Cloudflare read are left out.
upload_kind() {
  "$AWS" s3 sync "$upload/" "s3://$DEPLOY_BUCKET/" --delete \
    --exclude _headers --exclude _redirects --exclude .kiosque-output "$@"
}

if [ "$upload" != public ]; then
  # Text files, hashed ones apart; then every other file, as it is.
  # shellcheck disable=SC2086
  upload_kind --exclude '*' $TEXT $(echo "$HASHED" | sed 's/--include/--exclude/g') \
    --content-encoding gzip --cache-control "$SHORT"
  # shellcheck disable=SC2086
  upload_kind --exclude '*' $HASHED --content-encoding gzip --cache-control "$LONG"
  # shellcheck disable=SC2086
  upload_kind $(echo "$TEXT" | sed 's/--include/--exclude/g') --cache-control "$SHORT"
else
  # shellcheck disable=SC2086
  upload_kind --exclude '*' $HASHED --cache-control "$LONG"
  # shellcheck disable=SC2086
  upload_kind $(echo "$HASHED" | sed 's/--include/--exclude/g') --cache-control "$SHORT"
fi
