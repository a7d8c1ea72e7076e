// A small round icon-only button with a tooltip. Set Accessible.name on every use.
import QtQuick
import QtQuick.Controls
import Tiefsee.Ui

ToolButton {
    id: control
    property string toolTipText: ""
    property color tint: Theme.textMuted
    implicitWidth: 32
    implicitHeight: 32
    padding: 6
    icon.width: 18
    icon.height: 18
    icon.color: enabled ? (hovered ? Theme.text : tint) : Theme.textFaint
    display: AbstractButton.IconOnly
    focusPolicy: Qt.TabFocus
    ToolTip.visible: hovered && toolTipText.length > 0
    ToolTip.delay: 500
    ToolTip.text: toolTipText
    background: Rectangle {
        radius: Theme.radiusS
        color: control.down ? Theme.selected : (control.hovered || control.visualFocus ? Theme.hover : "transparent")
        border.width: control.visualFocus ? 1 : 0
        border.color: Theme.accent
    }
}
