#!/usr/bin/env bash
# Installs Debian's Chromium for the preview-page browser test (tests/it/browser.rs).
# Needs root (CI runs as root); the test runs this by itself when Chromium is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq chromium >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq chromium
fi
