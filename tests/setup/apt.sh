#!/usr/bin/env bash
# Sourced by the install scripts: `apt_install PACKAGE...` installs Debian packages.
# Tests run in parallel and several may need a package at once: each install takes one
# lock of ours, so that only one apt-get runs at a time (two at once fail on dpkg's lock,
# as a first run on a new machine showed), and apt-get also waits for dpkg's own lock in
# case something else holds it. A package already installed costs one quick apt-get.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
  (
    exec 8>/var/lock/folio-test-apt.lock
    flock 8
    if ! "${apt[@]}" install -y -qq "$@" >/dev/null 2>&1; then
      "${apt[@]}" update -qq
      "${apt[@]}" install -y -qq "$@"
    fi
  )
}
