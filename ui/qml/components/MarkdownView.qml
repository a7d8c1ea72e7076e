// Renders one message's Markdown: prose blocks with Text.MarkdownText, fenced code
// and display math as CodeBlocks. MarkdownDocument updates rows in place, so a
// streaming answer only re-lays out its last block.
import QtQuick
import QtQuick.Controls
import Tiefsee.Ui

Column {
    id: view
    property alias markdown: doc.markdown
    property color textColor: Theme.text
    property int fontPixelSize: Theme.fontSize
    spacing: Theme.spacingS

    MarkdownDocument { id: doc }

    Repeater {
        model: doc
        delegate: Loader {
            required property string kind
            required property string text
            required property string language
            width: view.width
            sourceComponent: kind === "text" ? prose : codeBlock
            Component {
                id: prose
                TextEdit {
                    text: parent ? parent.text : ""
                    textFormat: TextEdit.MarkdownText
                    wrapMode: TextEdit.Wrap
                    readOnly: true
                    selectByMouse: true
                    color: view.textColor
                    font.pixelSize: view.fontPixelSize
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.accentText
                    onLinkActivated: function(link) { Qt.openUrlExternally(link) }
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                }
            }
            Component {
                id: codeBlock
                CodeBlock {
                    code: parent ? parent.text : ""
                    language: parent ? parent.language : ""
                    math: parent ? parent.kind === "math" : false
                }
            }
        }
    }
}
