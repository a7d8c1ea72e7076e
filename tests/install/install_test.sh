#!/usr/bin/env bash
# Usage: install_test.sh BUILD_DIR VERSION   (run by CTest as the test install_package)
# 1. cpack -G DEB and -G TGZ in BUILD_DIR
# 2. apt-get install the .deb; run /usr/bin/tiefsee --self-test, tiefsee-cli --version,
#    desktop-file-validate, appstreamcli validate --no-net; check icons and Depends
# 3. apt-get remove --purge; every file the package listed (dpkg -L) must be gone
# 4. unpack the .tar.gz in a temporary folder and run its self-test
# Exit 77 (CTest: skipped) when not root, since it installs into /usr.
set -euo pipefail
build="$1"
version="$2"
app_id=io.github.tiefsee.Tiefsee

if [ "$(id -u)" != 0 ]; then
  echo "install_package: needs root (it installs the package into /usr); skipped"
  exit 77
fi
for tool in cpack apt-get dpkg dpkg-deb desktop-file-validate appstreamcli flock; do
  command -v "$tool" >/dev/null || { echo "install_package: $tool is missing (scripts/deps.sh installs it)"; exit 1; }
done
[ -x "$build/bin/tiefsee" ] || { echo "install_package: $build/bin/tiefsee is not built (build all first)"; exit 1; }

# One package test at a time on a machine (several build trees may run their suites).
exec 9>/tmp/tiefsee-install-test.lock
flock -w 600 9

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
step() { echo; echo "== $*"; }

step "building the packages (cpack)"
(cd "$build" && cpack -G "DEB;TGZ" -B "$work/pkg") > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb="$work/pkg/tiefsee_${version}_amd64.deb"
tgz="$(ls "$work"/pkg/tiefsee-"${version}"-Linux*.tar.gz)"
ls -la "$deb" "$tgz"

step "package metadata"
dpkg-deb -f "$deb" Package Version Depends Recommends
depends="$(dpkg-deb -f "$deb" Depends)"
for need in libvulkan1 qml6-module-qtquick qml6-module-qtquick-controls libqt6quick6 libsqlite3-0 qt6-qpa-plugins; do
  grep -q "$need" <<<"$depends" || { echo "FAIL: Depends lacks $need"; exit 1; }
done
dpkg-deb -f "$deb" Recommends | grep -q mesa-vulkan-drivers || { echo "FAIL: mesa-vulkan-drivers not recommended"; exit 1; }

if dpkg -s tiefsee >/dev/null 2>&1; then  # left over from an interrupted run
  apt-get remove --purge "${apt_opts[@]}" tiefsee
fi

step "apt-get install $deb"
apt-get install "${apt_opts[@]}" "$deb"
dpkg -L tiefsee > "$work/files.txt"
echo "$(wc -l < "$work/files.txt") paths installed"

step "installed self-test"
QT_QPA_PLATFORM=offscreen /usr/bin/tiefsee --self-test
/usr/bin/tiefsee-cli --version | tee "$work/version.txt"
grep -q "$version" "$work/version.txt"

step "desktop file, metainfo, icons, licence"
desktop-file-validate /usr/share/applications/$app_id.desktop
appstreamcli validate --no-net /usr/share/metainfo/$app_id.metainfo.xml
test -f /usr/share/icons/hicolor/scalable/apps/$app_id.svg
for size in 16 32 48 64 128 256 512; do test -f /usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png; done
test -f /usr/share/doc/tiefsee/copyright

step "apt-get remove --purge tiefsee"
apt-get remove --purge "${apt_opts[@]}" tiefsee
left=0
while IFS= read -r path; do
  [ -d "$path" ] && continue            # shared folders (/usr/bin, ...) stay
  if [ -e "$path" ] || [ -L "$path" ]; then echo "left behind: $path"; left=1; fi
done < "$work/files.txt"
[ ! -e /usr/share/doc/tiefsee ] || { echo "left behind: /usr/share/doc/tiefsee"; left=1; }
[ "$left" = 0 ] || { echo "FAIL: files of the package remain in /usr"; exit 1; }
echo "nothing of the package is left"

step "relocatable tar.gz: unpacked in $work/unpacked"
mkdir "$work/unpacked"
tar -xzf "$tgz" -C "$work/unpacked"
root="$(ls -d "$work"/unpacked/*/)"
if readelf -d "$root/bin/tiefsee" | grep -E "R(UN)?PATH" | grep -q "$build"; then
  echo "FAIL: the binary points into the build tree"; exit 1
fi
QT_QPA_PLATFORM=offscreen "$root/bin/tiefsee" --self-test
"$root/bin/tiefsee-cli" --version
test -f "$root/share/applications/$app_id.desktop"

echo
echo "install_package: all steps passed"
