#!/usr/bin/env bash
# Renders docs/screenshots/{main-light,main-dark,settings,first-run}.png from the real
# window (offscreen platform, software renderer) with a throw-away data folder, the
# shared mini test model installed and demo conversations (ui/src/demo_conversation.cpp). Usage: scripts/screenshots.sh [build dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-${TIEFSEE_BUILD_DIR:-$root/build}}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
mkdir -p "$XDG_CONFIG_HOME/Tiefsee"
# The mini test model, installed in the (throw-away) models folder like a downloaded one.
export TIEFSEE_MODELS_DIR="$home/models"
mkdir -p "$TIEFSEE_MODELS_DIR"
cp "$root/../shared/testdata/models/mini-qwen2-q8_0.gguf" "$TIEFSEE_MODELS_DIR/"
model="$TIEFSEE_MODELS_DIR/mini-qwen2-q8_0.gguf"
cat > "$XDG_CONFIG_HOME/Tiefsee/Tiefsee.conf" <<CONF
[models]
default=$model
[session]
firstRunDone=true
CONF
QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software "$build/bin/tiefsee" --screenshot "$root/docs/screenshots"
