// Models: installed, discovered (other apps' folders) and catalog models in one list,
// with a fit badge for the selected GPU, download progress with pause / resume /
// cancel, verify, delete, set as default and open folder.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Tiefsee.Ui

ColumnLayout {
    spacing: Theme.spacingM
    // Catalog sizes come from the Hub: ask only when the user looks at this page.
    onVisibleChanged: if (visible) App.models.fetchSizes()

    RowLayout {
        Layout.fillWidth: true
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.textMuted
            text: qsTr("Fit is estimated for %1.").arg(App.models.deviceText)
        }
        FlatButton {
            text: qsTr("Import GGUF file…")
            icon.source: "qrc:/Tiefsee/Ui/qml/icons/download.svg"
            Accessible.name: qsTr("Import a GGUF model file")
            onClicked: importDialog.open()
        }
        FlatButton {
            text: qsTr("Open models folder")
            icon.source: "qrc:/Tiefsee/Ui/qml/icons/folder.svg"
            Accessible.name: qsTr("Open the models folder")
            onClicked: Qt.openUrlExternally(App.folderUrl(App.models.modelsFolder))
        }
    }
    Label {
        Layout.fillWidth: true
        visible: App.models.error.length > 0
        wrapMode: Text.Wrap
        color: Theme.danger
        text: App.models.error
    }
    Label {
        objectName: "hubNotice"
        Layout.fillWidth: true
        visible: App.models.notice.length > 0 && App.models.error.length === 0
        wrapMode: Text.Wrap
        color: Theme.textMuted
        text: App.models.notice
    }

    ListView {
        id: list
        objectName: "modelList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: Theme.spacingS
        model: App.models.model
        Accessible.name: qsTr("Models")
        ScrollBar.vertical: ScrollBar {}
        section.property: "kind"
        section.delegate: Label {
            required property string section
            topPadding: Theme.spacingS
            text: section === "installed" ? qsTr("Installed")
                  : section === "discovered" ? qsTr("Found on this computer")
                  : qsTr("Available to download")
            color: Theme.textMuted
            font.weight: Font.DemiBold
            font.pixelSize: Theme.fontSizeSmall
        }
        delegate: ModelCard { width: ListView.view.width }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: App.models.importFile(App.localPath(selectedFile))
    }
}
