// Generation settings: sampling parameters, lengths and the system prompt, either as
// defaults for every chat or as overrides for the open conversation only.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

ScrollView {
    id: page
    contentWidth: availableWidth
    // The object being edited: the app defaults, or the open conversation's overrides.
    readonly property var target: scopeSwitch.checked ? App.chat.overrides : App.settings

    ColumnLayout {
        width: page.availableWidth
        spacing: Theme.spacingL

        SettingRow {
            title: qsTr("Only for this conversation")
            explanation: App.chat.conversationId > 0
                         ? qsTr("Changes apply to the open conversation and are saved with it.")
                         : qsTr("Open a conversation to give it its own settings.")
            Switch {
                id: scopeSwitch
                objectName: "overrideSwitch"
                enabled: App.chat.conversationId > 0
                checked: App.chat.overrides.active
                Accessible.name: qsTr("Use settings only for this conversation")
                onToggled: App.chat.overrides.active = checked
            }
        }
        Rectangle { Layout.fillWidth: true; implicitHeight: 1; color: Theme.border }

        SliderSetting {
            objectName: "temperatureSetting"
            title: qsTr("Temperature")
            explanation: qsTr("Randomness. DeepSeek recommends 0.5–0.7 for R1 (0.6 default); lower values may repeat endlessly.")
            from: 0; to: 1.5; stepSize: 0.05
            value: page.target.temperature
            onMoved: function(v) { page.target.temperature = v }
        }
        SliderSetting {
            title: qsTr("Top-p")
            explanation: qsTr("Sample only from the most likely tokens that together reach this probability.")
            from: 0.05; to: 1; stepSize: 0.01
            value: page.target.topP
            onMoved: function(v) { page.target.topP = v }
        }
        SliderSetting {
            title: qsTr("Top-k")
            explanation: qsTr("Sample only from the k most likely tokens.")
            from: 0; to: 200; stepSize: 1; decimals: 0
            offText: qsTr("off")
            value: page.target.topK
            onMoved: function(v) { page.target.topK = Math.round(v) }
        }
        SliderSetting {
            title: qsTr("Min-p")
            explanation: qsTr("Drop tokens less likely than this fraction of the most likely one.")
            from: 0; to: 0.5; stepSize: 0.01
            offText: qsTr("off")
            value: page.target.minP
            onMoved: function(v) { page.target.minP = v }
        }
        SliderSetting {
            title: qsTr("Repetition penalty")
            explanation: qsTr("Discourages repeating recent tokens. 1.0 is off.")
            from: 1; to: 1.5; stepSize: 0.01
            offText: qsTr("off")
            value: page.target.repeatPenalty
            onMoved: function(v) { page.target.repeatPenalty = v }
        }
        SettingRow {
            title: qsTr("Maximum answer length")
            explanation: qsTr("Tokens per answer, reasoning included. R1 may think for thousands of tokens.")
            SpinBox {
                from: 16; to: 131072; stepSize: 1024
                editable: true
                value: page.target.maxTokens
                Accessible.name: qsTr("Maximum answer length in tokens")
                onValueModified: page.target.maxTokens = value
            }
        }
        SettingRow {
            title: qsTr("Context length")
            explanation: qsTr("How much of the conversation the model sees, in tokens. Longer needs more GPU memory; the oldest turns are dropped when it is full.")
            SpinBox {
                from: 512; to: 131072; stepSize: 1024
                editable: true
                value: page.target.contextLength
                Accessible.name: qsTr("Context length in tokens")
                onValueModified: page.target.contextLength = value
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs
            Label { text: qsTr("System prompt"); color: Theme.text }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("DeepSeek's advice: R1 works best without a system prompt. Put all instructions into your message instead.")
                color: Theme.warning
                font.pixelSize: Theme.fontSizeSmall
            }
            TextArea {
                id: systemPrompt
                Layout.fillWidth: true
                Layout.preferredHeight: 90
                wrapMode: TextEdit.Wrap
                text: page.target.systemPrompt
                placeholderText: qsTr("None (recommended)")
                Accessible.name: qsTr("System prompt")
                onEditingFinished: page.target.systemPrompt = text
                background: Rectangle {
                    radius: Theme.radiusS
                    color: Theme.surface
                    border.color: systemPrompt.activeFocus ? Theme.accent : Theme.border
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            FlatButton {
                objectName: "resetGeneration"
                text: qsTr("Reset to R1 defaults")
                enabled: !page.target.generationIsDefault
                Accessible.name: qsTr("Reset to R1 defaults: temperature 0.6, top-p 0.95, no system prompt")
                onClicked: { page.target.resetGenerationDefaults(); systemPrompt.text = page.target.systemPrompt }
            }
        }
    }
}
