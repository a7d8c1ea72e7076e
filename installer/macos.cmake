# macOS disk image (DragNDrop). UNTESTED: no Mac in this project's CI.
# macOS has no native Vulkan: Tiefsee needs MoltenVK (Vulkan on Metal), from the
# Vulkan SDK or Homebrew (`brew install molten-vk vulkan-loader`). Bundle
# libMoltenVK.dylib and its ICD json (Contents/Resources/vulkan/icd.d/) into the app,
# and run macdeployqt on the bundle for Qt:
#   macdeployqt Tiefsee.app -qmldir=<src>/ui/qml
# MoltenVK lacks some features lavapipe/desktop drivers have (e.g. 64-bit atomics on
# older GPUs); the engine's feature checks report what is missing.
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "Tiefsee ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
set(MACOSX_BUNDLE_BUNDLE_NAME Tiefsee)
set(MACOSX_BUNDLE_GUI_IDENTIFIER io.github.tiefsee.Tiefsee)
set(MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION})
# Conversations live in ~/Library/Application Support/Tiefsee; dragging the app to the
# bin leaves them (and downloaded models) alone.
