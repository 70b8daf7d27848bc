#!/usr/bin/env bash
# Re-vendor the browser assets from the npm registry (run by a developer, never at run time).
# The app serves static/ itself (server.enableStaticServing), so the map needs no internet.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent leaflet@1.9.4 >/dev/null && tar xzf leaflet-1.9.4.tgz)
rm -rf leaflet
mkdir -p leaflet/images
cp "$work"/package/dist/leaflet.js "$work"/package/dist/leaflet.css "$work"/package/LICENSE leaflet/
cp "$work"/package/dist/images/*.png leaflet/images/
