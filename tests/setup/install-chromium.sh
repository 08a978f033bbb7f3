#!/usr/bin/env bash
# Installs Debian's Chromium for the preview-page browser test (tests/it/browser.rs).
# Needs root (CI runs as root); the test runs this by itself when Chromium is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
apt_install chromium
