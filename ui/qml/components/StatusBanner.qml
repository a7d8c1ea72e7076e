// What the engine is doing or what went wrong, in plain words: loading a model
// (name, size, progress), reading a long prompt (prefill progress), or an error
// with the way forward (open the models page, pick a device...).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Rectangle {
    id: banner
    objectName: "statusBanner"
    signal settingsRequested(int page)

    readonly property bool hasError: App.chat.errorMessage.length > 0
    readonly property bool busy: App.chat.phase === "loading" || App.chat.phase === "prefill"
    visible: hasError || busy || App.chat.contextNotice.length > 0
    implicitHeight: visible ? content.implicitHeight + 2 * Theme.spacingM : 0
    radius: Theme.radiusM
    color: hasError ? Theme.dangerSoft : (App.chat.contextNotice.length > 0 && !busy ? Theme.warningSoft : Theme.surfaceAlt)
    border.width: 1
    border.color: hasError ? Theme.danger : Theme.border
    Accessible.role: Accessible.AlertMessage
    Accessible.name: hasError ? App.chat.errorMessage : statusLabel.text

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM
            Label {
                id: statusLabel
                objectName: "statusText"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: banner.hasError ? Theme.danger : Theme.text
                text: banner.hasError ? App.chat.errorMessage
                      : App.chat.phase === "loading" ? qsTr("Loading %1 (%2)…").arg(App.chat.modelName).arg(App.chat.modelSizeText)
                      : App.chat.phase === "prefill" ? qsTr("Reading your conversation… %1 of %2 tokens").arg(App.chat.progressDone).arg(App.chat.progressTotal)
                      : App.chat.contextNotice
            }
            FlatButton {
                visible: banner.hasError && App.chat.errorActionText.length > 0
                text: App.chat.errorActionText
                Accessible.name: text
                onClicked: {
                    const page = App.chat.errorSettingsPage
                    App.chat.clearError()
                    if (page >= 0)
                        banner.settingsRequested(page)
                }
            }
            IconButton {
                visible: banner.hasError
                icon.source: "qrc:/Tiefsee/Ui/qml/icons/close.svg"
                Accessible.name: qsTr("Dismiss message")
                onClicked: App.chat.clearError()
            }
        }
        ProgressBar {
            visible: banner.busy
            Layout.fillWidth: true
            from: 0
            to: 1
            value: App.chat.progress
            indeterminate: App.chat.progress <= 0
            Accessible.name: statusLabel.text
        }
    }
}
