#!/usr/bin/env bash
# Builds the sample portal into dist/ (served at /portal/ by the server; see Hosting/PortalFiles.cs):
#   1. npm ci from package-lock.json, with install scripts off: nothing is downloaded beyond the locked
#      packages (buf and esbuild run from the platform binaries those packages carry);
#   2. buf generate: protobuf-ts messages and clients from ../../protos and grpc.health.v1 into gen/;
#   3. esbuild: src/portal.js and everything it imports into one minified dist/portal.js, beside
#      index.html and portal.css.
# gen/, dist/ and node_modules/ are build output (git-ignored). Needs node >= 18 and npm.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
rm -rf gen dist
node_modules/.bin/buf generate
node_modules/.bin/esbuild src/portal.js --bundle --format=esm --target=es2020 --minify --sourcemap \
  --outfile=dist/portal.js --log-level=warning
cp index.html portal.css dist/
echo "portal: built $(du -k dist/portal.js | cut -f1) KiB of JavaScript into $(pwd)/dist"
