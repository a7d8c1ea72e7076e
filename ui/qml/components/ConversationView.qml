// The conversation: messages of the active path, a status banner (loading,
// prefill, errors) and the composer. Follows the bottom while an answer streams
// unless the user scrolled up.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Item {
    id: root
    signal settingsRequested(int page)

    function focusComposer() { composer.focusInput() }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: messages
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: App.chat.messages
            spacing: Theme.spacingS
            topMargin: Theme.spacingXl
            bottomMargin: Theme.spacingL
            boundsBehavior: Flickable.StopAtBounds
            reuseItems: false
            cacheBuffer: 2000
            Accessible.name: qsTr("Messages")
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }

            // Stick to the bottom while streaming, unless the user scrolled away.
            property bool followBottom: true
            onMovementEnded: followBottom = atYEnd
            onContentHeightChanged: if (followBottom) Qt.callLater(positionViewAtEnd)
            onCountChanged: { followBottom = true; Qt.callLater(positionViewAtEnd) }

            delegate: MessageDelegate {}

            // Empty conversation: a quiet prompt.
            ColumnLayout {
                anchors.centerIn: parent
                visible: messages.count === 0
                width: Math.min(parent.width - 2 * Theme.spacingXl, 460)
                spacing: Theme.spacingS
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("What shall we think about?")
                    font.pixelSize: Theme.fontSizeTitle
                    font.weight: Font.Light
                    color: Theme.text
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: qsTr("DeepSeek-R1 reasons before it answers. Put all instructions into your message; everything stays on this computer.")
                    color: Theme.textMuted
                }
            }
        }

        StatusBanner {
            Layout.fillWidth: true
            Layout.maximumWidth: Theme.contentMaxWidth
            Layout.alignment: Qt.AlignHCenter
            Layout.leftMargin: Theme.spacingXl
            Layout.rightMargin: Theme.spacingXl
            onSettingsRequested: function(page) { root.settingsRequested(page) }
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            Layout.maximumWidth: Theme.contentMaxWidth + 2 * Theme.spacingXl
            Layout.alignment: Qt.AlignHCenter
            Layout.margins: Theme.spacingXl
            Layout.topMargin: Theme.spacingS
            onSettingsRequested: root.settingsRequested(0)
        }
    }
}
