// Privacy: what Tiefsee sends over the network (only the downloads you start).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

ColumnLayout {
    spacing: Theme.spacingL
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.text
        font.pixelSize: Theme.fontSizeLarge
        text: qsTr("Everything stays on this computer.")
    }
    Repeater {
        model: [
            qsTr("Your conversations, the model's answers and your settings are stored only on this computer."),
            qsTr("The model runs on your own graphics card. Nothing you type is sent anywhere."),
            qsTr("The only network traffic is a model download that you start, from Hugging Face (or the mirror you configured), and the list of file sizes for the model catalog."),
            qsTr("There is no telemetry, no analytics and no crash reporting.")
        ]
        delegate: RowLayout {
            required property string modelData
            Layout.fillWidth: true
            spacing: Theme.spacingM
            Image {
                Layout.alignment: Qt.AlignTop
                source: "qrc:/Tiefsee/Ui/qml/icons/check.svg"
                sourceSize: Qt.size(18, 18)
                opacity: 0.7
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: modelData
                color: Theme.textMuted
            }
        }
    }
    Item { Layout.fillHeight: true }
}
