#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs the whole test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/build.sh"
cd "${TIEFSEE_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "${TIEFSEE_JOBS:-2}" "$@"
