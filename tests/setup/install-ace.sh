#!/usr/bin/env bash
# Installs Ace by DAISY (the EPUB accessibility checker, MIT) for the e-book tests
# (tests/it/formats.rs) in the folder given (default target/ace/), reused between runs.
# `--ignore-scripts` keeps Puppeteer from downloading its own browser: the tests run Ace
# with Debian's Chromium (PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium, see
# install-chromium.sh). The tests run this by themselves when `<folder>/node_modules/.bin/ace-cli` is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
DEST="${1:-$(dirname "$0")/../../target/ace}"
if [ -x "$DEST/node_modules/.bin/ace-cli" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  apt_install npm
fi
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"private":true}' > package.json
npm install --silent --no-audit --no-fund --ignore-scripts @daisy/ace-cli
