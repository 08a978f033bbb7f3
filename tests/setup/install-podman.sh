#!/usr/bin/env bash
# Installs Debian's Podman and debootstrap for the container image test (tests/it/deploy.rs).
# Needs root (CI runs as root); the test runs this by itself when either is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# Other installs may hold the package lock for a while: wait for it rather than fail.
APT=(apt-get -o DPkg::Lock::Timeout=900)
PACKAGES=(podman debootstrap)
if ! "${APT[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1; then
  "${APT[@]}" update -qq
  "${APT[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}"
fi
