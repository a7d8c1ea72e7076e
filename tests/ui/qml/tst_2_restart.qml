// Runs after tst_1_chat_flow in a fresh QML engine (a new App, like a restarted app):
// the last conversation, its branch choice and the window size come back.
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
        const messages = findChild(win.contentItem, "messageList")
        tryCompare(messages, "count", 2)
        // The model is remembered and loads again.
        tryVerify(function() { return App.chat.modelLoaded }, 60000)
    }
}
