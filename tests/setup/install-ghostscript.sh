#!/usr/bin/env bash
# Installs Debian's ghostscript for the tests that render the press PDF as a printer's RIP
# would (`gs -sDEVICE=nullpage`) and read its inks per channel (`-sDEVICE=ink_cov`):
# tests/it/print/pdfx.rs. Needs root (CI runs as root); the tests run this by themselves
# when `gs` is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq ghostscript >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq ghostscript
fi
