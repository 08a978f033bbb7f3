#!/usr/bin/env bash
# Installs axe-core (the accessibility rules engine, MPL-2.0) for the catalogue's browser
# test (tests/it/catalogue_browser.rs): `npm pack` fetches the package from the npm registry,
# and its axe.min.js and licence are kept in the folder given (default target/axe-core/).
# The test runs this by itself when the file is missing. Needs npm (installed with apt if
# missing, as root).
set -euo pipefail
source "$(dirname "$0")/apt.sh"
VERSION="4.11.0"
DEST="${1:-$(dirname "$0")/../../target/axe-core}"
if [ -f "$DEST/axe.min.js" ] && grep -q "axe v$VERSION" "$DEST/axe.min.js"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  apt_install npm
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "axe-core@$VERSION" >/dev/null)
tar -xzf "$WORK"/axe-core-*.tgz -C "$WORK"
mkdir -p "$DEST"
cp "$WORK/package/axe.min.js" "$WORK/package/LICENSE" "$DEST/"
