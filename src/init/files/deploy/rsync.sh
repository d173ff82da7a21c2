#!/bin/sh
# Builds the site and copies it to a server over SSH with rsync: only the files that changed
# are sent (Kiosque keeps the others' dates). Run it from the site's folder:
#
#   DEPLOY_TARGET=me@example.org:/var/www/site/ ./deploy.sh
#
# Serve the folder with nginx or Caddy as Kiosque's README shows (section Deploy), to send
# hashed stylesheets and scripts with a year of caching and, with `precompress = true` in
# site.toml, the precompressed .br and .gz files.
# Written by Kiosque @@VERSION@@.
set -eu

: "${DEPLOY_TARGET:?set DEPLOY_TARGET to user@host:/folder/ the site is served from}"
KIOSQUE="${KIOSQUE:-kiosque}"

"$KIOSQUE" build
rsync --archive --compress --delete --human-readable --itemize-changes public/ "$DEPLOY_TARGET"
