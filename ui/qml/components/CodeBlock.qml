// A fenced code block (or display math): monospace on a tinted panel, with the
// language and a copy button in its header. Long lines scroll horizontally.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: block
    property string code: ""
    property string language: ""
    property bool math: false

    radius: Theme.radiusS
    color: Theme.codeBackground
    border.width: 1
    border.color: Theme.border
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 0
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingM
            Layout.rightMargin: Theme.spacingXs
            Layout.topMargin: 2
            Label {
                Layout.fillWidth: true
                text: block.math ? qsTr("math (TeX)") : (block.language.length > 0 ? block.language : qsTr("code"))
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
            IconButton {
                id: copyButton
                implicitWidth: 28
                implicitHeight: 28
                property bool copied: false
                icon.source: copied ? "qrc:/Tiefsee/Ui/qml/icons/check.svg" : "qrc:/Tiefsee/Ui/qml/icons/copy.svg"
                toolTipText: copied ? qsTr("Copied") : qsTr("Copy code")
                Accessible.name: qsTr("Copy code")
                onClicked: { App.copyText(block.code); copied = true; resetTimer.restart() }
                Timer { id: resetTimer; interval: 1500; onTriggered: copyButton.copied = false }
            }
        }
        Flickable {
            Layout.fillWidth: true
            implicitHeight: codeText.implicitHeight + Theme.spacingM
            contentWidth: codeText.implicitWidth + 2 * Theme.spacingM
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            clip: true
            ScrollBar.horizontal: ScrollBar { policy: ScrollBar.AsNeeded }
            TextEdit {
                id: codeText
                x: Theme.spacingM
                text: block.code
                readOnly: true
                selectByMouse: true
                textFormat: TextEdit.PlainText
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSizeSmall
                color: Theme.text
                selectionColor: Theme.accent
                selectedTextColor: Theme.accentText
                Accessible.name: block.math ? qsTr("Formula") : qsTr("Code")
            }
        }
    }
}
