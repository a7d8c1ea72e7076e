// Hardware: pick the Vulkan device the model runs on (name, memory, capabilities).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

ColumnLayout {
    spacing: Theme.spacingM

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.textMuted
        text: qsTr("Tiefsee runs the model with Vulkan. “Automatic” picks a discrete GPU first, then an integrated one, then the CPU fallback. The change applies the next time a model loads.")
    }
    Label {
        Layout.fillWidth: true
        visible: App.devices.error.length > 0
        wrapMode: Text.Wrap
        color: Theme.danger
        text: App.devices.error
    }
    ButtonGroup { id: deviceGroup }
    RadioButton {
        objectName: "deviceAuto"
        text: qsTr("Automatic")
        checked: App.settings.deviceIndex < 0
        ButtonGroup.group: deviceGroup
        Accessible.name: qsTr("Choose the device automatically")
        onClicked: App.settings.deviceIndex = -1
    }
    ListView {
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: Theme.spacingS
        model: App.devices.model
        delegate: Rectangle {
            required property int deviceIndex
            required property string name
            required property string typeText
            required property string memoryText
            required property string capabilities
            required property bool usable
            required property string unusableReason
            width: ListView.view.width
            implicitHeight: deviceColumn.implicitHeight + 2 * Theme.spacingM
            radius: Theme.radiusM
            color: Theme.surface
            border.width: 1
            border.color: radio.checked ? Theme.accent : Theme.border
            ColumnLayout {
                id: deviceColumn
                anchors.fill: parent
                anchors.margins: Theme.spacingM
                spacing: 2
                RadioButton {
                    id: radio
                    text: name
                    enabled: usable
                    checked: App.settings.deviceIndex === deviceIndex
                    ButtonGroup.group: deviceGroup
                    Accessible.name: qsTr("Use %1").arg(name)
                    onClicked: App.settings.deviceIndex = deviceIndex
                }
                Label {
                    Layout.leftMargin: 32
                    text: typeText + " · " + memoryText
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSizeSmall
                }
                Label {
                    Layout.leftMargin: 32
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: usable ? capabilities : unusableReason
                    color: usable ? Theme.textFaint : Theme.danger
                    font.pixelSize: Theme.fontSizeSmall
                }
            }
        }
    }
}
