// Appearance: light / dark / follow the system, text size, and the language.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

ColumnLayout {
    spacing: Theme.spacingL

    SettingRow {
        title: qsTr("Theme")
        RowLayout {
            spacing: Theme.spacingXs
            Repeater {
                model: [
                    { key: "system", label: qsTr("System") },
                    { key: "light", label: qsTr("Light") },
                    { key: "dark", label: qsTr("Dark") }
                ]
                delegate: Button {
                    required property var modelData
                    objectName: "theme_" + modelData.key
                    text: modelData.label
                    checkable: true
                    checked: App.settings.theme === modelData.key
                    Accessible.name: qsTr("Theme: %1").arg(modelData.label)
                    onClicked: App.settings.theme = modelData.key
                }
            }
        }
    }
    SettingRow {
        title: qsTr("Text size")
        explanation: qsTr("Base size of the text in pixels.")
        SpinBox {
            objectName: "fontSizeBox"
            from: 10; to: 24
            value: App.settings.fontSize
            Accessible.name: qsTr("Text size")
            onValueModified: App.settings.fontSize = value
        }
    }
    SettingRow {
        title: qsTr("Language")
        explanation: qsTr("Changes take effect immediately.")
        ComboBox {
            id: languageBox
            objectName: "languageBox"
            implicitWidth: 200
            // The model holds only the keys: a model with qsTr() labels is rebuilt by
            // retranslate(), which resets the current index under the user's hands.
            model: ["", "en", "de"]
            function label(key) {
                return key === "en" ? "English" : key === "de" ? "Deutsch" : qsTr("System default")
            }
            displayText: label(currentValue)
            delegate: ItemDelegate {
                required property string modelData
                required property int index
                width: ListView.view ? ListView.view.width : implicitWidth
                text: languageBox.label(modelData)
                highlighted: languageBox.highlightedIndex === index
            }
            currentIndex: Math.max(0, indexOfValue(App.settings.language))
            Accessible.name: qsTr("Language")
            onActivated: App.settings.language = currentValue
        }
    }
    Item { Layout.fillHeight: true }
}
