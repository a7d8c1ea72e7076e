// The composer: a multi-line input (Enter sends, Shift+Enter adds a line), the
// model chip with a quick switcher, and Send / Stop. It stays usable while an
// answer streams: the next message can be written meanwhile.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl  // IconImage: a tinted icon (what the Basic style uses)
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: root
    signal settingsRequested()

    function focusInput() { input.forceActiveFocus() }
    function send() {
        const text = input.text.trim()
        if (text.length === 0 || App.chat.generating)
            return
        if (App.chat.send(text))
            input.clear()
    }

    radius: Theme.radiusL
    color: Theme.surface
    border.width: 1
    border.color: input.activeFocus ? Theme.accent : Theme.border
    implicitHeight: column.implicitHeight + 2 * Theme.spacingS

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacingS
        spacing: Theme.spacingXs

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(Math.max(input.implicitHeight, 44), 220)
            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: qsTr("Message DeepSeek-R1…  (Enter sends, Shift+Enter for a new line)")
                placeholderTextColor: Theme.textFaint
                color: Theme.text
                wrapMode: TextEdit.Wrap
                selectByMouse: true
                background: null
                font.pixelSize: Theme.fontSize
                Accessible.name: qsTr("Message")
                Accessible.description: qsTr("Enter sends, Shift+Enter adds a new line")
                Keys.onPressed: function(event) {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        event.accepted = true
                        root.send()
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            // Model chip: the loaded (or default) model; click for the quick switcher.
            Button {
                id: modelChip
                objectName: "modelChip"
                flat: true
                padding: Theme.spacingXs
                horizontalPadding: Theme.spacingS
                Accessible.name: qsTr("Model: %1. Switch model").arg(chipText.text)
                contentItem: RowLayout {
                    spacing: Theme.spacingXs
                    Rectangle {
                        width: 8
                        height: 8
                        radius: 4
                        color: App.chat.modelLoaded ? Theme.success : Theme.textFaint
                    }
                    Label {
                        id: chipText
                        text: App.chat.modelName.length > 0 ? App.chat.modelName : qsTr("No model")
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSizeSmall
                        elide: Text.ElideRight
                        Layout.maximumWidth: 320
                    }
                    IconImage {
                        source: "qrc:/Tiefsee/Ui/qml/icons/chevron-down.svg"
                        sourceSize: Qt.size(12, 12)
                        color: Theme.textMuted  // tinted: the SVG is black
                        opacity: 0.8
                    }
                }
                background: Rectangle {
                    radius: height / 2
                    color: modelChip.hovered || modelChip.visualFocus ? Theme.hover : Theme.surfaceAlt
                }
                onClicked: switcher.popup(modelChip, 0, -switcher.implicitHeight - Theme.spacingXs)
            }
            Menu {
                id: switcher
                Repeater {
                    model: App.models.installed
                    delegate: MenuItem {
                        required property string name
                        required property string path
                        text: name
                        checkable: true
                        checked: path === App.chat.modelPath
                        onTriggered: App.chat.loadModel(path)
                    }
                }
                MenuSeparator {}
                MenuItem {
                    text: qsTr("Manage models…")
                    onTriggered: root.settingsRequested()
                }
            }

            Label {
                Layout.fillWidth: true
                objectName: "contextLabel"
                horizontalAlignment: Text.AlignRight
                visible: App.chat.contextUsed > 0
                text: qsTr("%1 / %2 tokens").arg(App.chat.contextUsed).arg(App.chat.contextSize)
                color: App.chat.contextUsed > 0.85 * App.chat.contextSize ? Theme.warning : Theme.textFaint
                font.pixelSize: Theme.fontSizeSmall
            }
            Item { Layout.fillWidth: true; visible: App.chat.contextUsed <= 0 }

            RoundButton {
                id: sendButton
                objectName: App.chat.generating ? "stopButton" : "sendButton"
                implicitWidth: 36
                implicitHeight: 36
                enabled: App.chat.generating || input.text.trim().length > 0
                icon.source: App.chat.generating ? "qrc:/Tiefsee/Ui/qml/icons/stop.svg" : "qrc:/Tiefsee/Ui/qml/icons/send.svg"
                icon.color: enabled ? Theme.accentText : Theme.textFaint
                icon.width: 18
                icon.height: 18
                Accessible.name: App.chat.generating ? qsTr("Stop generating (Esc)") : qsTr("Send message")
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: Accessible.name
                background: Rectangle {
                    radius: width / 2
                    color: !sendButton.enabled ? Theme.hover : (sendButton.hovered ? Theme.accentHover : Theme.accent)
                }
                onClicked: App.chat.generating ? App.chat.stop() : root.send()
            }
        }
    }
}
