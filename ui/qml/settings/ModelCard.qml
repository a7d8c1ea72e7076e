// One model in the Models settings list: name, architecture, quant, size, fit badge,
// and the actions its state allows (download / pause / resume / cancel, verify,
// delete, set as default, open folder).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: card
    // Roles of models::ModelListModel ("id" is a QML keyword: read it through `model`).
    required property var model
    required property string name
    required property string kind          // "installed" | "discovered" | "catalog"
    required property string origin
    required property string arch
    required property string quant
    required property var sizeBytes
    required property bool supported
    required property string problem
    required property string fit           // "fits" | "smaller-context" | "too-large" | ""
    required property string fitText
    required property int fitContext
    required property bool recommended
    required property string downloadState // "" | "queued" | "downloading" | "paused" | "failed" | ...
    required property real progress
    required property real bytesPerSecond
    required property real etaSeconds
    required property string downloadError
    required property string path
    readonly property string modelId: model.id
    readonly property bool verifying: App.models.verifier.busy && App.models.verifier.currentPath === path
    readonly property var verifyResult: App.models.verifier.results[path] || ({})
    readonly property string verifyState: verifyResult.state || ""
    readonly property bool isDefault: path.length > 0 && path === App.settings.defaultModel
    readonly property string fitKey: fit
    // models:: gives these in English only (app/ has no translations): translated here.
    // WelcomeView has the same mapping for its recommendation.
    readonly property string fitLabel: fit === "fits" ? qsTr("fits")
                                     : fit === "smaller-context" ? qsTr("fits with a smaller context (%1)").arg(fitContext)
                                     : fit === "too-large" ? qsTr("too large") : fitText
    readonly property string originLabel: origin === "models folder" ? qsTr("models folder")
                                        : origin === "imported (reference)" ? qsTr("imported (reference)")
                                        : origin  // app names: LM Studio, GPT4All, Ollama, Hugging Face
    readonly property string sizeText: Number(sizeBytes) <= 0 ? ""
                                     : Number(sizeBytes) < 1e9 ? Math.max(1, Math.round(Number(sizeBytes) / 1e6)) + " MB"
                                     : (Number(sizeBytes) / 1e9).toFixed(1) + " GB"
    readonly property string state: kind === "installed" ? "installed"
                                  : kind === "discovered" ? "discovered"
                                  : (downloadState === "downloading" || downloadState === "queued"
                                     || downloadState === "preparing" || downloadState === "retrying") ? "downloading"
                                  : downloadState === "paused" ? "paused"
                                  : downloadState === "failed" ? "failed" : "available"
    readonly property string progressText: Math.round(progress * 100) + " %"
        + (bytesPerSecond > 0 ? " · " + (bytesPerSecond / 1e6).toFixed(1) + " MB/s" : "")
        + (etaSeconds > 0 ? " · " + qsTr("%1 min left").arg(Math.ceil(etaSeconds / 60)) : "")

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
                text: card.fitLabel
                tone: card.fitKey === "fits" ? "success" : card.fitKey === "too-large" ? "danger" : "warning"
            }
        }
        Label {
            text: [card.originLabel, card.arch, card.quant, card.sizeText].filter(function(s) { return s.length > 0 }).join(" · ")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        Label {
            visible: card.problem.length > 0 || card.downloadError.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: card.problem.length > 0 ? card.problem : card.downloadError
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
        // Verify: the sha256 check, its progress and its result (App.models.verifier).
        RowLayout {
            visible: card.verifying
            Layout.fillWidth: true
            ProgressBar {
                Layout.fillWidth: true
                from: 0; to: 1
                value: App.models.verifier.progress
                Accessible.name: qsTr("Verification progress of %1").arg(card.name)
            }
            Label {
                text: Math.round(App.models.verifier.progress * 100) + " %"
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
        }
        Label {
            objectName: "verifyResult"
            visible: !card.verifying && card.verifyState.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: card.verifyResult.message || ""
            color: card.verifyState === "ok" ? Theme.success
                 : card.verifyState === "unknown" ? Theme.textMuted : Theme.danger
            font.pixelSize: Theme.fontSizeSmall
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
                visible: (card.state === "installed" || card.state === "discovered") && !card.isDefault && card.supported
                text: qsTr("Use")
                Accessible.name: qsTr("Use %1 and make it the default").arg(card.name)
                onClicked: App.chat.loadModel(card.path)
            }
            FlatButton {
                // A catalog row has a path too (where a download would go): no folder yet.
                visible: card.path.length > 0 && (card.state === "installed" || card.state === "discovered")
                text: qsTr("Open folder")
                Accessible.name: qsTr("Open the folder of %1").arg(card.name)
                onClicked: Qt.openUrlExternally(App.folderUrl(card.path))
            }
            FlatButton {
                objectName: "verifyButton"
                visible: (card.state === "installed" || card.state === "discovered") && !card.verifying
                enabled: !App.models.verifier.busy
                text: qsTr("Verify")
                Accessible.name: qsTr("Verify the checksum of %1").arg(card.name)
                onClicked: App.models.verify(card.path)
            }
            FlatButton {
                visible: card.verifying
                text: qsTr("Stop checking")
                Accessible.name: qsTr("Stop verifying %1").arg(card.name)
                onClicked: App.models.verifier.cancel()
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
