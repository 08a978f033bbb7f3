#!/usr/bin/env bash
# Installs Debian's Podman and debootstrap for the container image test (tests/it/deploy.rs).
# Needs root (CI runs as root); the test runs this by itself when either is missing.
set -euo pipefail
source "$(dirname "$0")/apt.sh"
apt_install --no-install-recommends podman debootstrap
