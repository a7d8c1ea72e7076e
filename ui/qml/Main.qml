import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    width: 1100
    height: 720
    visible: true
    title: qsTr("Tiefsee")

    Label {
        anchors.centerIn: parent
        text: qsTr("Tiefsee — private DeepSeek-R1 chat")
        font.pixelSize: 22
    }
}
