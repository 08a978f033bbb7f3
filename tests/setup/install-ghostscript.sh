#!/usr/bin/env bash
# Installs Debian's ghostscript for the tests that render the press PDF as a printer's RIP
# would (`gs -sDEVICE=nullpage`) and read its inks per channel (`-sDEVICE=ink_cov`):
# tests/it/print/pdfx.rs. Needs root (CI runs as root); the tests run this by themselves
# when `gs` is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
apt_install ghostscript
