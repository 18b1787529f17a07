#!/bin/sh
# Rebuild the phone's offline bundles from the npm registry's packages (no CDN at run time):
#   src/linli/static/vendor/offline/sw.js      workbox-routing + strategies + cacheable-response
#   src/linli/static/vendor/offline/outbox.js  idb + workbox-window + Linli's outbox
# Usage: scripts/build_offline.sh   (needs node and npm; writes only those two files + licences)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
  workbox-routing@7.4.1 workbox-strategies@7.4.1 workbox-cacheable-response@7.4.1 \
  workbox-window@7.4.1 idb@8.0.4 esbuild@0.24.2 >/dev/null
esbuild=node_modules/@esbuild/linux-x64/bin/esbuild
[ -x "$esbuild" ] || esbuild=node_modules/.bin/esbuild
src="$here/src/linli/offline/js"
out="$here/src/linli/static/vendor/offline"
mkdir -p "$out"
NODE_PATH="$work/node_modules" "$esbuild" "$src/sw.src.js" --bundle --minify --format=iife \
  --define:process.env.NODE_ENV='"production"' --target=es2020 --outfile="$out/sw.js"
NODE_PATH="$work/node_modules" "$esbuild" "$src/outbox.src.js" --bundle --minify --format=iife \
  --target=es2020 --outfile="$out/outbox.js"
cp node_modules/workbox-routing/LICENSE "$out/LICENSE.workbox"
cp node_modules/idb/LICENSE "$out/LICENSE.idb"
{
  echo "Built by scripts/build_offline.sh from the npm registry:"
  for p in workbox-routing workbox-strategies workbox-cacheable-response workbox-core workbox-window idb esbuild; do
    echo "  $p $(node -p "require('./node_modules/$p/package.json').version") ($(node -p "require('./node_modules/$p/package.json').license"))"
  done
} > "$out/SOURCE.txt"
