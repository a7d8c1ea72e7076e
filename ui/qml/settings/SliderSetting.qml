// A numeric setting as a slider with its value shown beside it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

SettingRow {
    id: row
    property real from: 0
    property real to: 1
    property real stepSize: 0.05
    property int decimals: 2
    property real value: 0
    property string offText: ""  // shown instead of the value when it equals `from` (e.g. "off")
    signal moved(real value)

    RowLayout {
        spacing: Theme.spacingS
        Slider {
            id: slider
            implicitWidth: 200
            from: row.from
            to: row.to
            stepSize: row.stepSize
            value: row.value
            Accessible.name: row.title
            onMoved: row.moved(value)
        }
        Label {
            Layout.preferredWidth: 52
            horizontalAlignment: Text.AlignRight
            text: row.offText.length > 0 && slider.value <= row.from ? row.offText : slider.value.toFixed(row.decimals)
            color: Theme.textMuted
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSizeSmall
        }
    }
}
