#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm) for the tests that
# read built PDFs as a reader's tools would: fonts and text per script (tests/it/languages.rs)
# and the structure tree a screen reader follows (tests/it/brands.rs). Needs root (CI runs as
# root); the tests run this by themselves when a tool is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
apt_install poppler-utils
