#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdffonts, pdftotext, pdftoppm) for the language tests
# (tests/it/languages.rs), which read the built PDFs with them as a reader's tools would.
# Needs root (CI runs as root); the tests run this by themselves when a tool is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq poppler-utils >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq poppler-utils
fi
