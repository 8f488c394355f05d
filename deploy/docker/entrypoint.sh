#!/bin/sh
# Runs one Switchyard process by name, the image's entrypoint (behind tini) and what the tests
# run: `entrypoint.sh api|worker|webhook-dispatcher|simulator [flags]`. The bundles live in
# dist/ two levels up, in the image (/app) as in a checkout after `npm run build`.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
app=${1:-}
case "$app" in
  api | worker | webhook-dispatcher | simulator)
    shift
    # exec: node replaces this shell, so the SIGTERM tini forwards reaches node itself.
    exec node --enable-source-maps "$root/dist/$app/main.js" "$@"
    ;;
  *)
    echo "usage: entrypoint.sh api|worker|webhook-dispatcher|simulator [flags]" >&2
    exit 64
    ;;
esac
