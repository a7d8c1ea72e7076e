// One conversation in the sidebar: title (or, while searching, the matching snippet
// with highlights), selected state, and a menu: rename, pin, export, delete.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Tiefsee.Ui

ItemDelegate {
    id: row
    // Roles of the store's ConversationListModel.
    required property int index
    required property var conversationId
    required property string title
    required property bool pinned
    required property string snippet

    signal activated()
    signal deleteRequested()

    readonly property bool current: conversationId === App.chat.conversationId
    height: Math.max(implicitHeight, 36)
    padding: Theme.spacingS
    leftPadding: Theme.spacingS + 2
    highlighted: current
    Accessible.name: qsTr("Conversation: %1").arg(title)
    onClicked: activated()
    Keys.onReturnPressed: activated()
    Keys.onDeletePressed: deleteRequested()

    background: Rectangle {
        radius: Theme.radiusS
        color: row.current ? Theme.selected : (row.hovered || row.visualFocus ? Theme.hover : "transparent")
    }

    contentItem: RowLayout {
        spacing: Theme.spacingS
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            TextField {
                id: renameField
                visible: false
                Layout.fillWidth: true
                Accessible.name: qsTr("New title")
                onAccepted: { App.conversations.rename(row.conversationId, text); visible = false }
                onActiveFocusChanged: if (!activeFocus) visible = false
                Keys.onEscapePressed: visible = false
            }
            Label {
                visible: !renameField.visible
                Layout.fillWidth: true
                text: row.title.length > 0 ? row.title : qsTr("New chat")
                elide: Text.ElideRight
                color: Theme.text
                font.weight: row.current ? Font.DemiBold : Font.Normal
            }
            Label {
                visible: row.snippet.length > 0
                Layout.fillWidth: true
                text: row.snippet
                textFormat: Text.StyledText
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
        }
        Label {
            visible: row.pinned && !row.hovered
            text: "📌"
            font.pixelSize: Theme.fontSizeSmall
            Accessible.ignored: true
        }
        IconButton {
            visible: row.hovered || row.current || menu.opened
            implicitWidth: 26
            implicitHeight: 26
            icon.source: "qrc:/Tiefsee/Ui/qml/icons/more.svg"
            toolTipText: qsTr("More")
            Accessible.name: qsTr("Conversation actions")
            onClicked: menu.popup()
        }
    }

    Menu {
        id: menu
        MenuItem {
            text: qsTr("Rename")
            onTriggered: {
                renameField.text = row.title
                renameField.visible = true
                renameField.forceActiveFocus()
                renameField.selectAll()
            }
        }
        MenuItem {
            text: row.pinned ? qsTr("Unpin") : qsTr("Pin to top")
            onTriggered: App.conversations.setPinned(row.conversationId, !row.pinned)
        }
        MenuItem {
            text: qsTr("Export as Markdown…")
            onTriggered: { exportDialog.format = "md"; exportDialog.open() }
        }
        MenuItem {
            text: qsTr("Export as JSON…")
            onTriggered: { exportDialog.format = "json"; exportDialog.open() }
        }
        MenuSeparator {}
        MenuItem {
            text: qsTr("Delete")
            onTriggered: row.deleteRequested()
        }
    }

    FileDialog {
        id: exportDialog
        property string format: "md"
        fileMode: FileDialog.SaveFile
        title: qsTr("Export conversation")
        nameFilters: format === "md" ? [qsTr("Markdown (*.md)")] : [qsTr("JSON (*.json)")]
        defaultSuffix: format
        onAccepted: App.conversations.exportTo(row.conversationId, App.localPath(selectedFile), format)
    }
}
