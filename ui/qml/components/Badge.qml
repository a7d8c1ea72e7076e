// A small rounded label: fit verdicts, "default", "recommended".
import QtQuick
import QtQuick.Controls
import Tiefsee.Ui

Rectangle {
    id: badge
    property alias text: label.text
    property string tone: "neutral"  // "neutral" | "accent" | "success" | "warning" | "danger"
    implicitWidth: label.implicitWidth + 2 * Theme.spacingS
    implicitHeight: label.implicitHeight + 4
    radius: height / 2
    color: tone === "accent" ? Theme.accentSoft : tone === "success" ? Theme.successSoft
         : tone === "warning" ? Theme.warningSoft : tone === "danger" ? Theme.dangerSoft : Theme.surfaceAlt
    Label {
        id: label
        anchors.centerIn: parent
        font.pixelSize: Theme.fontSizeSmall
        color: badge.tone === "accent" ? Theme.accent : badge.tone === "success" ? Theme.success
             : badge.tone === "warning" ? Theme.warning : badge.tone === "danger" ? Theme.danger : Theme.textMuted
    }
}
