// The sidebar: new chat, search (full text, with snippets), the conversation list
// (pinned first, then newest), and the settings button at the bottom.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: root
    color: Theme.sidebar

    signal settingsRequested()
    signal conversationDeleted(string title)

    function focusSearch() {
        searchField.forceActiveFocus()
        searchField.selectAll()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.spacingXs
            spacing: Theme.spacingS
            Label {
                text: "Tiefsee"
                font.pixelSize: Theme.fontSizeLarge
                font.weight: Font.DemiBold
                color: Theme.text
                Layout.fillWidth: true
                Accessible.role: Accessible.Heading
            }
            IconButton {
                objectName: "newChatButton"
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/new-chat.svg"
                toolTipText: qsTr("New chat (Ctrl+N)")
                Accessible.name: qsTr("New chat")
                onClicked: App.chat.newConversation()
            }
        }

        SearchField {
            id: searchField
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations (Ctrl+K)")
            Accessible.name: qsTr("Search conversations")
            onTextChanged: App.conversations.searchText = text
            Keys.onEscapePressed: { text = ""; focus = false }
            Keys.onDownPressed: list.forceActiveFocus()
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: App.conversations.model
            currentIndex: -1
            spacing: 2
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            Accessible.name: qsTr("Conversations")
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }

            section.property: App.conversations.searching ? "" : "pinned"
            section.criteria: ViewSection.FullString
            section.delegate: Label {
                required property string section
                width: ListView.view.width
                topPadding: Theme.spacingM
                bottomPadding: Theme.spacingXs
                leftPadding: Theme.spacingS
                text: section === "true" ? qsTr("Pinned") : qsTr("Recent")
                font.pixelSize: Theme.fontSizeSmall
                font.weight: Font.DemiBold
                color: Theme.textMuted
            }

            delegate: ConversationRow {
                width: ListView.view.width
                onActivated: App.chat.openConversation(conversationId)
                onDeleteRequested: {
                    const t = title
                    App.conversations.scheduleDelete(conversationId)
                    root.conversationDeleted(t)
                }
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingL
                visible: list.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: App.conversations.searching ? qsTr("No conversation matches “%1”.").arg(searchField.text)
                                                  : qsTr("Your conversations will appear here.")
            }
        }

        Label {
            Layout.fillWidth: true
            visible: App.conversations.error.length > 0
            text: App.conversations.error
            wrapMode: Text.Wrap
            color: Theme.danger
            font.pixelSize: Theme.fontSizeSmall
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }
        FlatButton {
            objectName: "settingsButton"
            Layout.fillWidth: true
            text: qsTr("Settings")
            icon.source: "qrc:/Tiefsee/Ui/qml/icons/settings.svg"
            Accessible.name: qsTr("Open settings (Ctrl+,)")
            onClicked: root.settingsRequested()
        }
    }
}
