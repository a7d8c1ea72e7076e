// One message of the active path. User messages sit in a bubble on the right;
// answers use the full width with their reasoning above. Hovering shows the
// actions (copy, edit / regenerate), the branch switch "‹ 2/3 ›" and stats.
// The reply being generated shows App.chat's streaming text instead of the stored one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Item {
    id: root
    // Roles of the store's MessageListModel.
    required property int index
    required property var messageId
    required property string modelName
    required property string role
    required property string content
    required property string reasoning
    required property var thinkingMs
    required property string status
    required property int siblingIndex
    required property int siblingCount
    required property int generatedTokens
    required property real tokensPerSecond

    signal editRequested(var messageId, string text)

    readonly property bool isUser: role === "user"
    readonly property bool live: App.chat.generating && messageId === App.chat.streamingMessageId
    readonly property string shownAnswer: live ? App.chat.streamingAnswer : content
    readonly property string shownReasoning: live ? App.chat.streamingReasoning : reasoning
    property bool editing: false

    implicitHeight: layout.implicitHeight + Theme.spacingL
    width: ListView.view ? ListView.view.width : 400

    HoverHandler { id: hover }

    ColumnLayout {
        id: layout
        width: Math.min(root.width - 2 * Theme.spacingXl, Theme.contentMaxWidth)
        anchors.horizontalCenter: parent.horizontalCenter
        spacing: Theme.spacingXs

        // ---- user message
        Rectangle {
            visible: root.isUser && !root.editing
            Layout.alignment: Qt.AlignRight
            Layout.maximumWidth: layout.width * 0.85
            implicitWidth: Math.min(userText.implicitWidth + 2 * Theme.spacingM, layout.width * 0.85)
            implicitHeight: userText.implicitHeight + 2 * Theme.spacingS + 2
            radius: Theme.radiusL
            color: Theme.userBubble
            TextEdit {
                id: userText
                anchors.fill: parent
                anchors.margins: Theme.spacingM
                anchors.topMargin: Theme.spacingS + 1
                anchors.bottomMargin: Theme.spacingS + 1
                text: root.content
                textFormat: TextEdit.PlainText
                wrapMode: TextEdit.Wrap
                readOnly: true
                selectByMouse: true
                color: Theme.text
                font.pixelSize: Theme.fontSize
                selectionColor: Theme.accent
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("You: %1").arg(root.content)
            }
        }

        // ---- editing a user message (creates a new branch)
        ColumnLayout {
            visible: root.editing
            Layout.fillWidth: true
            TextArea {
                id: editArea
                objectName: "editArea"
                Layout.fillWidth: true
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Edit message")
                background: Rectangle {
                    radius: Theme.radiusM
                    color: Theme.surface
                    border.color: Theme.accent
                }
                Keys.onEscapePressed: root.editing = false
            }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                FlatButton {
                    text: qsTr("Cancel")
                    onClicked: root.editing = false
                }
                AccentButton {
                    objectName: "editSend"
                    text: qsTr("Send")
                    enabled: editArea.text.trim().length > 0 && !App.chat.generating
                    onClicked: {
                        root.editing = false
                        App.chat.editMessage(root.messageId, editArea.text)
                    }
                }
            }
        }

        // ---- assistant message
        ReasoningSection {
            objectName: "reasoningSection"
            visible: !root.isUser && root.shownReasoning.length > 0
            Layout.fillWidth: true
            reasoning: root.shownReasoning
            thinking: root.live && App.chat.thinking
            seconds: root.live ? App.chat.thinkingSeconds : Number(root.thinkingMs) / 1000
        }
        MarkdownView {
            objectName: "answerView"
            visible: !root.isUser && root.shownAnswer.length > 0
            Layout.fillWidth: true
            markdown: root.shownAnswer
        }
        Label {
            visible: !root.isUser && !root.live && (root.status === "stopped" || root.status === "failed")
            text: root.status === "stopped" ? qsTr("Stopped") : qsTr("Generation failed")
            color: root.status === "failed" ? Theme.danger : Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            font.italic: true
        }

        // ---- actions row: branch switch, copy, edit/regenerate, stats
        RowLayout {
            id: actions
            Layout.alignment: root.isUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: 2
            opacity: hover.hovered || root.siblingCount > 1 || actions.activeFocus ? 1 : 0
            visible: !root.live && !root.editing
            Behavior on opacity { NumberAnimation { duration: Theme.animationMs } }

            IconButton {
                visible: root.siblingCount > 1
                implicitWidth: 24
                implicitHeight: 24
                enabled: root.siblingIndex > 0 && !App.chat.generating
                objectName: "previousVersion"
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/chevron-left.svg"
                Accessible.name: qsTr("Previous version")
                onClicked: App.chat.switchBranch(root.index, -1)
            }
            Label {
                objectName: "branchLabel"
                visible: root.siblingCount > 1
                text: qsTr("%1/%2").arg(root.siblingIndex + 1).arg(root.siblingCount)
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
                Accessible.name: qsTr("Version %1 of %2").arg(root.siblingIndex + 1).arg(root.siblingCount)
            }
            IconButton {
                visible: root.siblingCount > 1
                implicitWidth: 24
                implicitHeight: 24
                enabled: root.siblingIndex + 1 < root.siblingCount && !App.chat.generating
                objectName: "nextVersion"
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/chevron-right.svg"
                Accessible.name: qsTr("Next version")
                onClicked: App.chat.switchBranch(root.index, +1)
            }
            IconButton {
                implicitWidth: 28
                implicitHeight: 28
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/copy.svg"
                toolTipText: qsTr("Copy")
                Accessible.name: root.isUser ? qsTr("Copy message") : qsTr("Copy answer")
                onClicked: App.copyText(root.content)
            }
            IconButton {
                visible: root.isUser
                implicitWidth: 28
                implicitHeight: 28
                enabled: !App.chat.generating
                objectName: "editButton"
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/edit.svg"
                toolTipText: qsTr("Edit")
                Accessible.name: qsTr("Edit message")
                onClicked: {
                    editArea.text = root.content
                    root.editing = true
                    editArea.forceActiveFocus()
                }
            }
            IconButton {
                visible: !root.isUser
                implicitWidth: 28
                implicitHeight: 28
                enabled: !App.chat.generating
                objectName: "regenerateButton"
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/regenerate.svg"
                toolTipText: qsTr("Regenerate")
                Accessible.name: qsTr("Regenerate answer")
                onClicked: App.chat.regenerate(root.messageId)
            }
            Label {
                objectName: "statsLabel"
                visible: !root.isUser && hover.hovered && root.generatedTokens > 0
                Layout.leftMargin: Theme.spacingS
                text: qsTr("%1 tokens · %2 t/s · %3").arg(root.generatedTokens)
                          .arg(root.tokensPerSecond.toFixed(1)).arg(root.modelName)
                color: Theme.textFaint
                font.pixelSize: Theme.fontSizeSmall
            }
        }
    }
}
