# Windows installer (NSIS). UNTESTED: no Windows machine in this project's CI.
# Build on Windows with Qt 6 and the Vulkan SDK, then `cpack -G NSIS` (or ZIP).
# Qt's DLLs and QML modules must be deployed next to tiefsee.exe first, e.g. by a
# post-install step running windeployqt:
#   windeployqt --qmldir <src>/ui/qml <install>/bin/tiefsee.exe
# The Vulkan loader (vulkan-1.dll) ships with every GPU driver and is not bundled.
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_DISPLAY_NAME "Tiefsee")
set(CPACK_NSIS_PACKAGE_NAME "Tiefsee ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/io.github.tiefsee.Tiefsee.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\tiefsee.exe")
set(CPACK_NSIS_CREATE_ICONS_EXTRA "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\Tiefsee.lnk' '$INSTDIR\\\\bin\\\\tiefsee.exe'")
set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$SMPROGRAMS\\\\$START_MENU\\\\Tiefsee.lnk'")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# The uninstaller removes only $INSTDIR: conversations (%APPDATA%\Tiefsee) and models stay.
