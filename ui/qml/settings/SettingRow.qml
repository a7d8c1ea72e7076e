// One labelled setting: title and explanation on the left, the control on the right.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

RowLayout {
    id: row
    property string title: ""
    property string explanation: ""
    default property alias control: holder.data
    spacing: Theme.spacingL
    Layout.fillWidth: true

    ColumnLayout {
        Layout.fillWidth: true
        spacing: 2
        Label {
            text: row.title
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        Label {
            visible: row.explanation.length > 0
            text: row.explanation
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
    }
    Item {
        id: holder
        implicitWidth: childrenRect.width
        implicitHeight: childrenRect.height
        Layout.alignment: Qt.AlignRight | Qt.AlignVCenter
    }
}
