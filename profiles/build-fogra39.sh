#!/bin/sh
# Rebuilds profiles/folio-fogra39.icc, the default output profile of folio's press PDFs,
# from the FOGRA39 characterisation data in Debian's icc-profiles-free (Zlib licence) with
# ArgyllCMS's colprof. See profiles/README.md for what the profile is and is not.
#
# Usage (from the project root, on Debian 12): sh profiles/build-fogra39.sh
# Needs: apt-get install -y argyll icc-profiles-free
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=/usr/share/color/icc/FOGRA39L.ti3
description="folio FOGRA39 (coated paper, ISO 12647-2:2004), built with ArgyllCMS from FOGRA39L.ti3"

command -v colprof >/dev/null || { echo "needs colprof: apt-get install -y argyll" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3: apt-get install -y python3" >&2; exit 1; }
[ -f "$data" ] || { echo "needs $data: apt-get install -y icc-profiles-free" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# colprof reads <name>.ti3 and writes <name>.icc beside it.
cp "$data" "$work/FOGRA39L.ti3"
(cd "$work" && colprof -v -qm -D "$description" FOGRA39L)
cp "$work/FOGRA39L.icc" "$here/folio-fogra39.icc"
echo "wrote $here/folio-fogra39.icc ($(wc -c < "$here/folio-fogra39.icc") bytes)"
# The same profile as a zlib stream, which folio embeds as it is (compressing it on every
# build would cost each press build tens of milliseconds).
python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 1))' \
    < "$here/folio-fogra39.icc" > "$here/folio-fogra39.icc.zlib"
echo "wrote $here/folio-fogra39.icc.zlib ($(wc -c < "$here/folio-fogra39.icc.zlib") bytes)"
