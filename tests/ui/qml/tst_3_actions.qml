// Actions on a finished conversation, in a fresh engine after tst_2_restart: stats on
// hover, Ctrl+Shift+C copies the last answer, delete with undo; and Verify of a model. The conversation is
// imported (a known answer with Markdown; the random-weight test model only "thinks").
import QtQuick
import QtQuick.Controls
import QtTest
import Tiefsee.Ui

TestCase {
    id: tc
    name: "Actions"
    when: windowShown

    Component { id: mainComponent; Main {} }
    property var win: null
    property var messages: null
    property var conversations: null
    property var importedId: 0

    readonly property string answer: "The sea is blue because **water absorbs red light** a little.\n\n```python\nprint('blue')\n```"

    function initTestCase() {
        win = mainComponent.createObject(null)
        verify(win !== null)
        waitForRendering(win.contentItem)
        messages = findChild(win.contentItem, "messageList")
        conversations = findChild(win.contentItem, "conversationList")
        const now = Date.now()
        importedId = App.conversations.importJson(JSON.stringify({
            format: "tiefsee-conversation", version: 1,
            conversation: { title: "Colour of the sea", created: now, updated: now, activeLeaf: 2 },
            messages: [
                { id: 1, parent: null, role: "user", content: "What colour is the sea?", created: now },
                { id: 2, parent: 1, role: "assistant", content: answer, reasoning: "Water absorbs red.",
                  thinkingMs: 3000, promptTokens: 9, generatedTokens: 42, tokensPerSecond: 21.5,
                  model: "mini-qwen2-q8_0", status: "complete", created: now }
            ]
        }))
        verify(importedId > 0, App.conversations.error)
    }
    function cleanupTestCase() {
        win.destroy()
    }
    // The sidebar row of conversation `id`, or null. The list applies model changes at
    // its next layout, so that is waited for first (otherwise a removed row's delegate
    // can still be found).
    function rowOf(id) {
        tryVerify(function() { return !isPolishScheduled(conversations) })
        for (let i = 0; i < conversations.count; ++i) {
            const row = conversations.itemAtIndex(i)
            if (row && row.conversationId === id)
                return row
        }
        return null
    }

    function test_1_openImported() {
        tryVerify(function() { return rowOf(importedId) !== null })
        mouseClick(rowOf(importedId))
        compare(App.chat.conversationId, importedId)
        tryCompare(messages, "count", 2)
        tryVerify(function() { return messages.itemAtIndex(1) !== null })
        compare(messages.itemAtIndex(1).content, answer)
    }

    // Tokens, speed and model appear while the pointer is over the answer.
    function test_2_statsOnHover() {
        const reply = messages.itemAtIndex(1)
        const stats = findChild(reply, "statsLabel")
        mouseMove(messages.itemAtIndex(0), 5, 5)
        tryVerify(function() { return !stats.visible })
        mouseMove(reply, reply.width / 2, 10)
        tryVerify(function() { return stats.visible })
        compare(stats.text, "42 tokens · 21.5 t/s · mini-qwen2-q8_0")
        mouseMove(messages.itemAtIndex(0), 5, 5)
        tryVerify(function() { return !stats.visible })
    }

    // Ctrl+Shift+C puts the last answer (its Markdown source) on the clipboard.
    function test_3_copyLastAnswer() {
        App.copyText("something else")
        compare(App.clipboardText(), "something else")
        win.requestActivate()
        keyClick(Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
        compare(App.clipboardText(), answer)
        const toast = findChild(win.contentItem, "toast") || findChild(win, "toast")
        verify(toast !== null)
        tryVerify(function() { return toast.opened })
        compare(toast.message, "Last answer copied")
        toast.close()
        tryVerify(function() { return !toast.opened })
    }

    // Delete (keyboard) hides the conversation and closes it; Undo brings it back, open.
    function test_4_deleteAndUndo() {
        const countBefore = conversations.count
        let row = rowOf(importedId)
        row.forceActiveFocus()
        keyClick(Qt.Key_Delete)
        tryVerify(function() { return rowOf(importedId) === null })
        compare(conversations.count, countBefore - 1)
        compare(App.chat.conversationId, 0)
        compare(messages.count, 0)
        const toast = findChild(win.contentItem, "toast") || findChild(win, "toast")
        tryVerify(function() { return toast.opened })
        compare(toast.message, "Deleted “Colour of the sea”")
        const undo = findChild(toast.contentItem, "toastAction")
        verify(undo.visible)
        compare(undo.text, "Undo")
        mouseClick(undo)
        tryVerify(function() { return !toast.opened })
        tryVerify(function() { return rowOf(importedId) !== null })
        compare(conversations.count, countBefore)
        compare(App.chat.conversationId, importedId)
        tryCompare(messages, "count", 2)

        // Deleting again and letting the toast go deletes it for good.
        row = rowOf(importedId)
        row.forceActiveFocus()
        keyClick(Qt.Key_Delete)
        tryVerify(function() { return toast.opened })
        toast.close()  // what its timer does after a few seconds
        tryVerify(function() { return !toast.opened })
        compare(rowOf(importedId), null)
        App.conversations.undoDelete()  // too late: nothing is pending any more
        compare(rowOf(importedId), null)
        compare(App.chat.openConversation(importedId), false)
    }

    // Models settings → Verify on the installed test model: hashed off the GUI thread,
    // no checksum on record for it, so its sha256 is shown.
    function test_5_verifyInstalledModel() {
        win.openSettings(0)
        const panel = findChild(win.contentItem, "settingsPanel")
        tryVerify(function() { return panel.opened })
        const list = findChild(panel.contentItem, "modelList")
        tryVerify(function() { return list.count > 0 && list.itemAtIndex(0) !== null })
        const card = list.itemAtIndex(0)
        compare(card.kind, "installed")
        verify(card.path.endsWith("/mini-qwen2-q8_0.gguf"), card.path)
        const button = findChild(card, "verifyButton")
        tryVerify(function() { return button.visible && button.enabled })
        mouseClick(button)
        tryVerify(function() { return !App.models.verifier.busy && card.verifyState === "unknown" }, 20000)
        const result = findChild(card, "verifyResult")
        verify(result.visible)
        verify(/^No checksum is on record for this file\. Its sha256 is [0-9a-f]{64}\.$/.test(result.text), result.text)
        panel.close()
        tryVerify(function() { return !panel.opened })
    }
}
