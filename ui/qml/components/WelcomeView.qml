// First run: no model yet. Recommends the R1 distill that fits the detected GPU with
// one Download button, and offers "I already have a GGUF file" (import, or a model
// found in another app's folder).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Tiefsee.Ui

Item {
    id: root
    objectName: "welcomeView"
    signal settingsRequested()

    readonly property var rec: App.models.recommended
    // Catalog sizes come from the Hub: ask only when the user sees the recommendation.
    onVisibleChanged: if (visible) App.models.fetchSizes()
    readonly property bool hasRecommendation: rec !== undefined && rec.id !== undefined
    // The fit verdict in the UI language (models:: gives English; same mapping as ModelCard).
    readonly property string fitLabel: !hasRecommendation ? ""
                                     : rec.fit === "fits" ? qsTr("fits")
                                     : rec.fit === "smaller-context" ? qsTr("fits with a smaller context (%1)").arg(rec.fitContext)
                                     : rec.fit === "too-large" ? qsTr("too large") : rec.fitText

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(parent.width - 2 * Theme.spacingXl, 620)
            x: (parent.width - width) / 2
            spacing: Theme.spacingL

            Item { implicitHeight: Theme.spacingXl * 2 }
            Label {
                text: qsTr("Welcome to Tiefsee")
                font.pixelSize: Theme.fontSizeTitle * 1.2
                font.weight: Font.Light
                color: Theme.text
                Accessible.role: Accessible.Heading
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: qsTr("Chat with DeepSeek-R1 on your own graphics card. It thinks before it answers, and nothing you write leaves this computer. To start, Tiefsee needs a model.")
            }

            // ---- recommended download
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: recColumn.implicitHeight + 2 * Theme.spacingL
                radius: Theme.radiusL
                color: Theme.surface
                border.width: 1
                border.color: Theme.border
                ColumnLayout {
                    id: recColumn
                    anchors.fill: parent
                    anchors.margins: Theme.spacingL
                    spacing: Theme.spacingS
                    Label {
                        text: qsTr("Recommended for %1").arg(App.models.deviceText)
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSizeSmall
                        font.weight: Font.DemiBold
                    }
                    Label {
                        visible: root.hasRecommendation
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        // Catalog names usually carry the quant already ("… 1.5B Q6_K"): don't repeat it.
                        text: !root.hasRecommendation ? ""
                              : root.rec.name.indexOf(root.rec.quant) >= 0 ? root.rec.name
                              : root.rec.name + " · " + root.rec.quant
                        font.pixelSize: Theme.fontSizeLarge
                        font.weight: Font.DemiBold
                        color: Theme.text
                    }
                    Label {
                        visible: root.hasRecommendation
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: root.hasRecommendation ? root.rec.description : ""
                        color: Theme.textMuted
                    }
                    Label {
                        visible: root.hasRecommendation
                        text: root.hasRecommendation ? qsTr("%1 download · %2").arg(root.rec.sizeText).arg(root.fitLabel) : ""
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSizeSmall
                    }
                    Label {
                        visible: !root.hasRecommendation
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: App.models.error.length > 0 ? App.models.error
                                                          : qsTr("Looking at your GPU to pick a model…")
                        color: App.models.error.length > 0 ? Theme.danger : Theme.textMuted
                    }
                    RowLayout {
                        visible: root.hasRecommendation && root.rec.downloading === true
                        Layout.fillWidth: true
                        ProgressBar {
                            Layout.fillWidth: true
                            from: 0; to: 1
                            value: root.hasRecommendation && root.rec.progress !== undefined ? root.rec.progress : 0
                            Accessible.name: qsTr("Download progress")
                        }
                        Label {
                            text: root.hasRecommendation && root.rec.progressText !== undefined ? root.rec.progressText : ""
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSizeSmall
                        }
                    }
                    AccentButton {
                        objectName: "downloadRecommended"
                        visible: root.hasRecommendation && root.rec.downloading !== true
                        Layout.topMargin: Theme.spacingS
                        text: qsTr("Download")
                        Accessible.name: qsTr("Download %1").arg(root.hasRecommendation ? root.rec.name : "")
                        onClicked: App.models.download(root.rec.id)
                    }
                }
            }

            // ---- already have one
            Label {
                Layout.topMargin: Theme.spacingS
                text: qsTr("I already have a GGUF file")
                font.weight: Font.DemiBold
                color: Theme.text
            }
            RowLayout {
                spacing: Theme.spacingS
                FlatButton {
                    objectName: "importButton"
                    text: qsTr("Choose a file…")
                    icon.source: "qrc:/Tiefsee/Ui/qml/icons/folder.svg"
                    Accessible.name: qsTr("Import a GGUF model file")
                    onClicked: importDialog.open()
                }
                FlatButton {
                    text: qsTr("See all models")
                    Accessible.name: qsTr("Open the models settings")
                    onClicked: root.settingsRequested()
                }
            }
            Repeater {
                model: App.models.discovered
                delegate: RowLayout {
                    required property string name
                    required property string path
                    required property string origin
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 (found in %2)").arg(name).arg(origin)
                        elide: Text.ElideMiddle
                        color: Theme.textMuted
                    }
                    FlatButton {
                        text: qsTr("Use")
                        Accessible.name: qsTr("Use %1").arg(name)
                        onClicked: App.models.useDiscovered(path)
                    }
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("Everything stays on this computer: the only network traffic is the download you start.")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSizeSmall
                Layout.topMargin: Theme.spacingL
            }
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: App.models.importFile(App.localPath(selectedFile))
    }
}
