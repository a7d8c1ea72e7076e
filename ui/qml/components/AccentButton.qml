// The one prominent action of a view (Download, Send...).
import QtQuick
import QtQuick.Controls
import Tiefsee.Ui

Button {
    id: control
    padding: Theme.spacingS
    horizontalPadding: Theme.spacingL
    focusPolicy: Qt.StrongFocus
    font.weight: Font.DemiBold
    contentItem: Label {
        text: control.text
        font: control.font
        color: control.enabled ? Theme.accentText : Theme.textFaint
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        implicitHeight: 36
        radius: Theme.radiusS
        color: !control.enabled ? Theme.hover : (control.down || control.hovered ? Theme.accentHover : Theme.accent)
        border.width: control.visualFocus ? 2 : 0
        border.color: Theme.text
    }
}
