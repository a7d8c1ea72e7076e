#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and starts the desktop app.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/build.sh"
exec "${TIEFSEE_BUILD_DIR:-$root/build}/bin/tiefsee" "$@"
