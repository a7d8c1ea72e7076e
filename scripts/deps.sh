#!/usr/bin/env bash
# Installs every Debian 12 package Tiefsee needs to build, test and run.
# Idempotent: packages already present are skipped without touching apt.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git clang libclang-rt-14-dev
  # Qt 6 (Core, Gui, Quick, Controls 2, Network, Test, translations)
  qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools
  qt6-svg-dev libqt6svg6 qt6-qpa-plugins
  qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtquick-dialogs
  qml6-module-qtquick-shapes qml6-module-qtcore qml6-module-qt-labs-settings
  qml6-module-qt-labs-platform qml6-module-qttest
  # Vulkan: loader, headers, shader compilers, lavapipe (CPU driver)
  libvulkan-dev vulkan-tools glslang-tools glslc spirv-tools mesa-vulkan-drivers
  # libraries
  nlohmann-json3-dev libutf8proc-dev libsqlite3-dev sqlite3 libssl-dev
  # headless UI tests, screenshots, packaging checks
  xvfb xauth x11-apps imagemagick fonts-dejavu-core desktop-file-utils appstream dpkg-dev fakeroot file openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "tiefsee: installing ${#missing[@]} missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
