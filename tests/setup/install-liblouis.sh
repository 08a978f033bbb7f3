#!/usr/bin/env bash
# Installs liblouis's command-line tools and tables from Debian (`lou_translate`, LGPL) for
# the braille tests (tests/it/formats.rs). Needs root (CI runs as root); the tests run this
# by themselves when `lou_translate` is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
apt_install liblouis-bin
