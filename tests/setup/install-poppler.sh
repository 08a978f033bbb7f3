#!/usr/bin/env bash
# Installs poppler-utils (pdfinfo, pdftotext, pdftoppm) for the tests that read a PDF's
# structure tree as a screen reader would (tests/it/brands.rs). Needs root (CI runs as root);
# the tests run this by themselves when pdfinfo is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq poppler-utils >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq poppler-utils
fi
