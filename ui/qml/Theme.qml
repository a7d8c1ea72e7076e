// Theme: colours, spacing, radii and fonts for the whole UI. Light and dark palettes;
// "system" follows the desktop. Every component takes its look from here.
pragma Singleton
import QtQuick
import Tiefsee.Ui

QtObject {
    id: theme

    readonly property bool dark: App.settings.theme === "dark"
                                 || (App.settings.theme === "system" && App.systemDark)

    // Colours
    readonly property color background: dark ? "#181a1e" : "#fbfaf8"
    readonly property color sidebar: dark ? "#121417" : "#f1f0ec"
    readonly property color surface: dark ? "#22252a" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#2a2e34" : "#f4f3ef"
    readonly property color hover: dark ? "#2c3036" : "#e9e8e3"
    readonly property color selected: dark ? "#2f3a48" : "#dfe7f1"
    readonly property color border: dark ? "#33373e" : "#e0ded8"
    readonly property color text: dark ? "#e7e6e3" : "#1e2227"
    readonly property color textMuted: dark ? "#9aa0a8" : "#676c73"
    readonly property color textFaint: dark ? "#6d737b" : "#9a9ea4"
    readonly property color accent: dark ? "#5ea8e0" : "#1f6fa8"
    readonly property color accentHover: dark ? "#79b8e8" : "#185d8e"
    readonly property color accentText: dark ? "#0d1b26" : "#ffffff"
    readonly property color accentSoft: dark ? "#1f3445" : "#e3eef7"
    readonly property color userBubble: dark ? "#263341" : "#e8eff6"
    readonly property color codeBackground: dark ? "#111316" : "#f3f2ee"
    readonly property color reasoningText: dark ? "#a6abb2" : "#5d636b"
    readonly property color danger: dark ? "#ef8a80" : "#b3352b"
    readonly property color dangerSoft: dark ? "#3a2220" : "#fbe9e7"
    readonly property color warning: dark ? "#e8c070" : "#8a5a00"
    readonly property color warningSoft: dark ? "#3a3120" : "#fdf3dc"
    readonly property color success: dark ? "#7fcf8a" : "#2e7d32"
    readonly property color successSoft: dark ? "#1f3323" : "#e6f4e7"

    // Spacing (pixels) and corner radii
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 12
    readonly property int spacingL: 16
    readonly property int spacingXl: 24
    readonly property int radiusS: 6
    readonly property int radiusM: 10
    readonly property int radiusL: 14

    // Fonts: sizes derive from the user's base size
    readonly property int fontSize: App.settings.fontSize
    readonly property int fontSizeSmall: Math.round(fontSize * 0.86)
    readonly property int fontSizeLarge: Math.round(fontSize * 1.15)
    readonly property int fontSizeTitle: Math.round(fontSize * 1.6)
    readonly property string monoFamily: "DejaVu Sans Mono"

    readonly property int sidebarWidth: 272
    readonly property int contentMaxWidth: 820
    readonly property int animationMs: 140
}
