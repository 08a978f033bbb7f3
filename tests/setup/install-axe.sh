#!/usr/bin/env bash
# Fetches axe-core 4 (MPL-2.0) from the npm registry for the accessibility checks of the
# browser tests, as target/axe/axe.min.js. The tests run this by themselves when the file is
# missing (unless a copy is vendored as tests/axe.min.js).
set -euo pipefail
dest="${1:-target/axe}"
mkdir -p "$dest"
cd "$dest"
if [ ! -f axe.min.js ]; then
  tgz=$(npm pack axe-core@4 --silent)
  tar -xzf "$tgz" package/axe.min.js package/LICENSE
  mv package/axe.min.js package/LICENSE .
  rm -rf package "$tgz"
fi
