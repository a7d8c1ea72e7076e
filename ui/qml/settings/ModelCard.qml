// One model in the Models settings list: name, architecture, quant, size, fit badge,
// and the actions its state allows (download / pause / resume / cancel, verify,
// delete, set as default, open folder).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: card
    required property string modelId
    required property string name
    required property string arch
    required property string quant
    required property string sizeText
    required property string fitKey
    required property string fitText
    required property string state       // "installed" | "discovered" | "available" | "downloading" | "paused" | "failed"
    required property real progress      // 0..1 while downloading
    required property string progressText
    required property string path
    required property bool isDefault
    required property bool recommended
    required property string problem     // unsupported file, failed download... in plain words

    implicitHeight: column.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusM
    color: Theme.surface
    border.width: 1
    border.color: isDefault ? Theme.accent : Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: Theme.spacingXs
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS
            Label {
                Layout.fillWidth: true
                text: card.name
                elide: Text.ElideRight
                font.weight: Font.DemiBold
                color: Theme.text
            }
            Badge {
                visible: card.recommended
                text: qsTr("recommended")
                tone: "accent"
            }
            Badge {
                visible: card.isDefault
                text: qsTr("default")
                tone: "accent"
            }
            Badge {
                visible: card.fitKey.length > 0
                text: card.fitText
                tone: card.fitKey === "fits" ? "success" : card.fitKey === "too-large" ? "danger" : "warning"
            }
        }
        Label {
            text: [card.arch, card.quant, card.sizeText].filter(function(s) { return s.length > 0 }).join(" · ")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        Label {
            visible: card.problem.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: card.problem
            color: Theme.danger
            font.pixelSize: Theme.fontSizeSmall
        }
        RowLayout {
            visible: card.state === "downloading" || card.state === "paused"
            Layout.fillWidth: true
            ProgressBar {
                Layout.fillWidth: true
                from: 0; to: 1
                value: card.progress
                Accessible.name: qsTr("Download progress of %1").arg(card.name)
            }
            Label {
                text: card.state === "paused" ? qsTr("Paused · %1").arg(card.progressText) : card.progressText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacingXs
            FlatButton {
                visible: card.state === "available" || card.state === "failed"
                text: card.state === "failed" ? qsTr("Retry download") : qsTr("Download")
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/download.svg"
                Accessible.name: qsTr("Download %1").arg(card.name)
                onClicked: App.models.download(card.modelId)
            }
            FlatButton {
                visible: card.state === "downloading"
                text: qsTr("Pause")
                Accessible.name: qsTr("Pause the download of %1").arg(card.name)
                onClicked: App.models.pause(card.modelId)
            }
            FlatButton {
                visible: card.state === "paused"
                text: qsTr("Resume")
                Accessible.name: qsTr("Resume the download of %1").arg(card.name)
                onClicked: App.models.resume(card.modelId)
            }
            FlatButton {
                visible: card.state === "downloading" || card.state === "paused"
                text: qsTr("Cancel")
                Accessible.name: qsTr("Cancel the download of %1").arg(card.name)
                onClicked: App.models.cancel(card.modelId)
            }
            FlatButton {
                visible: (card.state === "installed" || card.state === "discovered") && !card.isDefault
                text: qsTr("Use")
                Accessible.name: qsTr("Use %1 and make it the default").arg(card.name)
                onClicked: App.chat.loadModel(card.path)
            }
            FlatButton {
                visible: card.state === "installed"
                text: qsTr("Verify")
                Accessible.name: qsTr("Verify the file of %1").arg(card.name)
                onClicked: App.models.verify(card.modelId)
            }
            FlatButton {
                visible: card.path.length > 0
                text: qsTr("Open folder")
                Accessible.name: qsTr("Open the folder of %1").arg(card.name)
                onClicked: Qt.openUrlExternally(App.folderUrl(card.path))
            }
            FlatButton {
                visible: card.state === "installed"
                text: qsTr("Delete")
                Accessible.name: qsTr("Delete %1").arg(card.name)
                onClicked: App.models.remove(card.modelId)
            }
        }
    }
}
