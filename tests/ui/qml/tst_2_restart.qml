// Runs after tst_1_chat_flow in a fresh QML engine (a new App, like a restarted app):
// the last conversation with its messages, its branch choice and the window size come back.
import QtQuick
import QtTest
import Tiefsee.Ui

TestCase {
    name: "Restart"
    when: windowShown

    Component { id: mainComponent; Main {} }

    function test_restoresLastConversation() {
        const saved = App.settings.windowGeometry
        verify(saved.width > 0, "the window geometry was saved on close")
        const win = createTemporaryObject(mainComponent, null)
        verify(win !== null)
        compare(win.width, saved.width)
        compare(win.height, saved.height)
        verify(App.chat.conversationId > 0)
        verify(App.chat.title.indexOf("sea") >= 0, App.chat.title)
        compare(App.chat.conversationId, testMemo.conversationId)
        const messages = findChild(win.contentItem, "messageList")
        // The same messages on the same branches ("1/2" question, "2/2" answer), with the
        // same text in the view.
        const expected = JSON.parse(testMemo.rows)
        compare(expected.length, 2)
        tryCompare(messages, "count", expected.length)
        for (let i = 0; i < expected.length; ++i) {
            tryVerify(function() { return messages.itemAtIndex(i) !== null })
            const row = messages.itemAtIndex(i)
            const want = expected[i]
            compare(row.messageId, want.messageId)
            compare(row.role, want.role)
            compare(row.content, want.content)
            compare(row.reasoning, want.reasoning)
            compare(row.status, want.status)
            const branch = findChild(row, "branchLabel")
            compare(branch.visible ? branch.text : "", want.branch)
            if (want.role === "assistant")
                compare(findChild(row, "reasoningSection").reasoning + "|" + findChild(row, "answerView").markdown,
                        want.shown)
        }
        compare(expected[0].content, "Why is the sea blue?")
        compare(expected[0].branch, "1/2")
        compare(expected[1].branch, "2/2")
        // The model is remembered and loads again.
        tryVerify(function() { return App.chat.modelLoaded }, 60000)
    }
}
