// A rounded text field with a magnifier, used for the conversation search.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl  // IconImage: a tinted icon (what the Basic style uses)
import Tiefsee.Ui

TextField {
    id: control
    leftPadding: 32
    color: Theme.text
    placeholderTextColor: Theme.textFaint
    selectByMouse: true
    background: Rectangle {
        implicitHeight: 34
        radius: Theme.radiusS
        color: Theme.surface
        border.width: 1
        border.color: control.activeFocus ? Theme.accent : Theme.border
        IconImage {
            source: "qrc:/Tiefsee/Ui/qml/icons/search.svg"
            width: 16
            height: 16
            sourceSize: Qt.size(16, 16)
            color: Theme.textMuted  // the SVGs are black strokes: tinted for light and dark
            opacity: 0.8
            anchors.left: parent.left
            anchors.leftMargin: 10
            anchors.verticalCenter: parent.verticalCenter
        }
    }
}
