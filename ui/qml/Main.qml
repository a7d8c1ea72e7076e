// The main window: sidebar (conversations) | conversation or first-run welcome.
// Settings open as a panel over the window. Window geometry is restored from
// App.settings and saved on close.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import Tiefsee.Ui

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1180
    height: 760
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: App.chat.title.length > 0 ? App.chat.title + " — Tiefsee" : "Tiefsee"
    color: Theme.background
    font.pixelSize: Theme.fontSize

    // Controls 2 "Basic" draws with the palette: feed it the theme so every stock
    // control follows light/dark.
    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.surfaceAlt
    palette.text: Theme.text
    palette.button: Theme.surfaceAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.light: Theme.surface
    palette.midlight: Theme.hover
    palette.mid: Theme.border
    palette.dark: Theme.textMuted
    palette.shadow: Theme.border
    palette.placeholderText: Theme.textFaint
    palette.toolTipBase: Theme.surface
    palette.toolTipText: Theme.text
    palette.brightText: Theme.text

    // First run: no model installed and none chosen yet → the welcome view.
    readonly property bool showWelcome: forceWelcome || (!App.models.hasInstalled && !App.settings.firstRunDone)
    property bool forceWelcome: false  // screenshots of the first-run view

    function closeSettings() { settingsPanel.close() }

    function openSettings(page) {
        settingsPanel.open()
        if (page !== undefined)
            settingsPanel.currentPage = page
    }

    Component.onCompleted: {
        const g = App.settings.windowGeometry
        if (g.width >= minimumWidth && g.height >= minimumHeight) {
            // Only restore a position that is still on a screen (monitors come and go).
            let onScreen = false
            for (let i = 0; i < Qt.application.screens.length; ++i) {
                const s = Qt.application.screens[i]
                if (g.x + 40 >= s.virtualX && g.y + 40 >= s.virtualY
                        && g.x + 40 < s.virtualX + s.width && g.y + 40 < s.virtualY + s.height)
                    onScreen = true
            }
            width = g.width
            height = g.height
            if (onScreen) {
                x = g.x
                y = g.y
            }
        }
        if (App.settings.windowMaximized)
            window.visibility = Window.Maximized
        conversationView.focusComposer()
    }
    onClosing: saveGeometry()

    function saveGeometry() {
        const maximized = window.visibility === Window.Maximized
        App.settings.windowMaximized = maximized
        if (!maximized && window.visibility !== Window.FullScreen)
            App.settings.windowGeometry = Qt.rect(x, y, width, height)
        App.settings.sync()
    }

    // ---- keyboard
    Shortcut {
        sequence: "Ctrl+N"
        onActivated: { App.chat.newConversation(); conversationView.focusComposer() }
    }
    Shortcut {
        sequence: "Ctrl+K"
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequences: ["Ctrl+,", StandardKey.Preferences]
        onActivated: window.openSettings()
    }
    Shortcut {
        sequence: "Esc"
        enabled: App.chat.generating
        onActivated: App.chat.stop()
    }
    Shortcut {
        sequence: "Ctrl+Shift+C"
        onActivated: {
            const answer = App.chat.lastAnswer()
            if (answer.length > 0) {
                App.copyText(answer)
                toast.show(qsTr("Last answer copied"), "")
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Sidebar {
            id: sidebar
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidebarWidth
            onSettingsRequested: window.openSettings()
            onConversationDeleted: function(title) {
                toast.show(qsTr("Deleted “%1”").arg(title), qsTr("Undo"))
            }
        }
        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.border
        }
        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: window.showWelcome ? 0 : 1

            WelcomeView {
                id: welcome
                onSettingsRequested: window.openSettings(0)
            }
            ConversationView {
                id: conversationView
                onSettingsRequested: function(page) { window.openSettings(page) }
            }
        }
    }

    SettingsPanel {
        id: settingsPanel
    }

    Toast {
        id: toast
        objectName: "toast"
        onActionTriggered: App.conversations.undoDelete()
        onDismissed: App.conversations.commitPendingDelete()
    }
}
