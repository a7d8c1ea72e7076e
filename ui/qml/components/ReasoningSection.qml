// The model's reasoning above an answer: "Thinking…" and open while it streams,
// "Thought for 12 s" and collapsed afterwards; the user can open or close it.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl  // IconImage: a tinted icon (what the Basic style uses)
import QtQuick.Layouts
import Tiefsee.Ui

ColumnLayout {
    id: section
    property string reasoning: ""
    property bool thinking: false     // reasoning is streaming right now
    property real seconds: 0          // thinking time, once known
    property bool userChoice: false   // the user clicked the header
    property bool userExpanded: false
    readonly property bool expanded: userChoice ? userExpanded : thinking
    spacing: Theme.spacingXs

    AbstractButton {
        id: header
        objectName: "reasoningHeader"
        Layout.fillWidth: false
        padding: Theme.spacingXs
        focusPolicy: Qt.StrongFocus
        checkable: false
        Accessible.role: Accessible.Button
        Accessible.name: label.text + (section.expanded ? qsTr(", expanded") : qsTr(", collapsed"))
        onClicked: {
            section.userExpanded = !section.expanded
            section.userChoice = true
        }
        contentItem: RowLayout {
            spacing: Theme.spacingXs
            IconImage {
                source: "qrc:/Tiefsee/Ui/qml/icons/chevron-right.svg"
                sourceSize: Qt.size(14, 14)
                rotation: section.expanded ? 90 : 0
                color: Theme.textMuted  // tinted: the SVG is black, invisible on dark
                opacity: 0.8
                Behavior on rotation { NumberAnimation { duration: Theme.animationMs } }
            }
            Label {
                id: label
                objectName: "reasoningLabel"
                text: section.thinking ? qsTr("Thinking…")
                      : section.seconds > 0 ? qsTr("Thought for %n s", "", Math.max(1, Math.round(section.seconds)))
                                            : qsTr("Reasoning")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
                font.weight: Font.DemiBold
                SequentialAnimation on opacity {
                    running: section.thinking
                    loops: Animation.Infinite
                    alwaysRunToEnd: true
                    NumberAnimation { to: 0.45; duration: 700; easing.type: Easing.InOutQuad }
                    NumberAnimation { to: 1.0; duration: 700; easing.type: Easing.InOutQuad }
                }
            }
        }
        background: Rectangle {
            radius: Theme.radiusS
            color: header.hovered || header.visualFocus ? Theme.hover : "transparent"
        }
    }

    Rectangle {
        visible: section.expanded
        Layout.fillWidth: true
        implicitHeight: reasoningText.implicitHeight + 2 * Theme.spacingS
        color: "transparent"
        Rectangle {
            width: 2
            height: parent.height
            radius: 1
            color: Theme.border
        }
        TextEdit {
            id: reasoningText
            objectName: "reasoningText"
            x: Theme.spacingM
            y: Theme.spacingS
            width: parent.width - Theme.spacingM
            text: section.reasoning
            textFormat: TextEdit.PlainText
            wrapMode: TextEdit.Wrap
            readOnly: true
            selectByMouse: true
            color: Theme.reasoningText
            font.pixelSize: Theme.fontSizeSmall
            selectionColor: Theme.accent
            Accessible.name: qsTr("Reasoning")
        }
    }
}
