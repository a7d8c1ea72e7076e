// A quiet text button (optionally with an icon) for secondary actions.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Tiefsee.Ui

Button {
    id: control
    flat: true
    padding: Theme.spacingS
    horizontalPadding: Theme.spacingM
    icon.width: 18
    icon.height: 18
    icon.color: enabled ? Theme.textMuted : Theme.textFaint
    focusPolicy: Qt.StrongFocus
    contentItem: IconLabel {
        spacing: Theme.spacingS
        mirrored: control.mirrored
        display: control.display
        alignment: Qt.AlignLeft | Qt.AlignVCenter
        icon: control.icon
        text: control.text
        font: control.font
        color: control.enabled ? Theme.text : Theme.textFaint
    }
    background: Rectangle {
        implicitHeight: 34
        radius: Theme.radiusS
        color: control.down ? Theme.selected : (control.hovered || control.visualFocus ? Theme.hover : "transparent")
        border.width: control.visualFocus ? 1 : 0
        border.color: Theme.accent
    }
}
