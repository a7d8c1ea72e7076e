#!/usr/bin/env bash
# Refreshes resources/translations/*.ts from the strings in the UI's QML and C++ (run
# after changing user-visible text, then translate the new entries, e.g. in Qt Linguist).
# The build compiles the .ts files into the app (ui/CMakeLists.txt, qt_add_lrelease).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for ts in resources/translations/*.ts; do
  /usr/lib/qt6/bin/lupdate -silent -locations relative -I app -I ui/src ui/qml ui/src app/bridge -ts "$ts"
done
# lupdate (6.4) does not resolve `namespace tiefsee::bridge {` in app/bridge/*.cpp and files
# their strings under the bare class name; tr() looks them up under the qualified one.
sed -i -E 's#<name>(ChatController|ModelVerifier)</name>#<name>tiefsee::bridge::\1</name>#' resources/translations/*.ts
