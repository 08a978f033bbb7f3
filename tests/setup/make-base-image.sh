#!/usr/bin/env bash
# Makes the base image the container test (tests/it/deploy.rs) builds the recipe on, in the
# test's own Podman storage (vfs, under the cache folder, reused between runs):
# docker.io/library/debian:bookworm-slim when a registry can be reached, else a Debian
# bookworm made with `debootstrap --variant=minbase` (from Debian's package mirror) and
# imported with `podman import`. Prints nothing on success; run as root.
#   make-base-image.sh CACHE_DIR IMAGE_NAME
set -euo pipefail
CACHE="$1"
NAME="$2"
PODMAN=(podman --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs)
if "${PODMAN[@]}" image exists "$NAME"; then
  exit 0
fi
if timeout 120 "${PODMAN[@]}" pull -q docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
  "${PODMAN[@]}" tag docker.io/library/debian:bookworm-slim "$NAME"
  exit 0
fi
TARBALL="$CACHE/bookworm-minbase.tar"
if [ ! -f "$TARBALL" ]; then
  ROOTFS="$CACHE/bookworm-minbase"
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
  # What a slim image leaves out: package lists and caches.
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$ROOTFS" -cf "$TARBALL.part" .
  mv "$TARBALL.part" "$TARBALL"
  rm -rf "$ROOTFS"
fi
"${PODMAN[@]}" import --quiet "$TARBALL" "$NAME" >/dev/null
