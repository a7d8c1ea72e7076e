// The settings panel, over the window: a page list on the left (Models, Generation,
// Hardware, Appearance, Privacy) and the chosen page on the right. Esc closes it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Popup {
    id: panel
    objectName: "settingsPanel"
    property int currentPage: 0

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 2 * Theme.spacingXl, 960)
    height: Math.min(parent.height - 2 * Theme.spacingXl, 680)
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    Overlay.modal: Rectangle { color: Theme.dark ? "#99000000" : "#55000000" }

    background: Rectangle {
        radius: Theme.radiusL
        color: Theme.background
        border.width: 1
        border.color: Theme.border
    }

    contentItem: RowLayout {
        spacing: 0
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 210
            color: Theme.sidebar
            radius: Theme.radiusL
            // square off the right edge of the rounded panel
            Rectangle { anchors.right: parent.right; width: Theme.radiusL; height: parent.height; color: parent.color }

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacingM
                spacing: 2
                Label {
                    text: qsTr("Settings")
                    font.pixelSize: Theme.fontSizeLarge
                    font.weight: Font.DemiBold
                    color: Theme.text
                    Layout.bottomMargin: Theme.spacingS
                    Layout.leftMargin: Theme.spacingS
                    Accessible.role: Accessible.Heading
                }
                Repeater {
                    model: [qsTr("Models"), qsTr("Generation"), qsTr("Hardware"), qsTr("Appearance"), qsTr("Privacy")]
                    delegate: ItemDelegate {
                        required property int index
                        required property string modelData
                        objectName: "settingsTab" + index
                        Layout.fillWidth: true
                        text: modelData
                        highlighted: panel.currentPage === index
                        Accessible.name: qsTr("%1 settings").arg(modelData)
                        onClicked: panel.currentPage = index
                        contentItem: Label { text: parent.text; color: Theme.text }
                        background: Rectangle {
                            radius: Theme.radiusS
                            color: parent.highlighted ? Theme.selected : (parent.hovered || parent.visualFocus ? Theme.hover : "transparent")
                        }
                    }
                }
                Item { Layout.fillHeight: true }
                Label {
                    text: qsTr("Tiefsee %1").arg(App.version)
                    color: Theme.textFaint
                    font.pixelSize: Theme.fontSizeSmall
                    Layout.leftMargin: Theme.spacingS
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0
            RowLayout {
                Layout.fillWidth: true
                Layout.margins: Theme.spacingL
                Layout.bottomMargin: 0
                Label {
                    objectName: "settingsPageTitle"
                    Layout.fillWidth: true
                    text: [qsTr("Models"), qsTr("Generation"), qsTr("Hardware"), qsTr("Appearance"), qsTr("Privacy")][panel.currentPage]
                    font.pixelSize: Theme.fontSizeTitle
                    font.weight: Font.Light
                    color: Theme.text
                    Accessible.role: Accessible.Heading
                }
                IconButton {
                    objectName: "closeSettings"
                    icon.source: "qrc:/Tiefsee/Ui/qml/icons/close.svg"
                    toolTipText: qsTr("Close (Esc)")
                    Accessible.name: qsTr("Close settings")
                    onClicked: panel.close()
                }
            }
            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: Theme.spacingL
                currentIndex: panel.currentPage
                ModelsPage {}
                GenerationPage {}
                HardwarePage {}
                AppearancePage {}
                PrivacyPage {}
            }
        }
    }
}
