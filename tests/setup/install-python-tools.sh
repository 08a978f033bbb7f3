#!/usr/bin/env bash
# Makes a Python virtual environment with check-jsonschema (the GitHub workflow schema, vendored
# in the package, so checks run offline) and the official Kubernetes client (its models check
# the manifests offline) for tests/it/deploy.rs. The test runs this by itself when the
# environment is missing; it is made once and reused, outside the repository.
set -euo pipefail
VENV="${1:-${HOME}/.cache/folio-test/venv}"
CHECK_JSONSCHEMA="0.39.0"
KUBERNETES="37.0.2"
mkdir -p "$(dirname "$VENV")"
# Tests run in parallel: one makes the environment, the others wait for it.
exec 9>"$VENV.lock"
flock 9
if "$VENV/bin/python" -c "import kubernetes" 2>/dev/null && [ -x "$VENV/bin/check-jsonschema" ]; then
  exit 0
fi
rm -rf "$VENV"
if ! python3 -m venv "$VENV" 2>/dev/null; then
  # Debian's python3 keeps venv in a package of its own.
  source "$(dirname "$0")/apt.sh"
  apt_install python3-venv
  rm -rf "$VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check \
  "check-jsonschema==$CHECK_JSONSCHEMA" "kubernetes==$KUBERNETES"
