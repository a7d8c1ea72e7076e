// The whole chat flow on the real window with the mini test model on lavapipe:
// first run → import a model → send → streaming reasoning (open while it streams)
// → stop → search finds the conversation. (Regenerate / branch switching are not
// covered here yet.)
// tst_2_restart.qml then checks what a restarted app restores.
import QtQuick
import QtQuick.Controls
import QtTest
import Tiefsee.Ui

TestCase {
    id: tc
    name: "ChatFlow"
    when: windowShown

    Component { id: mainComponent; Main {} }
    property var win: null
    property var messages: null

    function initTestCase() {
        win = mainComponent.createObject(null)
        verify(win !== null)
        waitForRendering(win.contentItem)
        messages = find("messageList")
    }
    function cleanupTestCase() {
        win.close()  // saves the window geometry like a user closing it
        win.destroy()
    }
    function find(name) {
        const item = findChild(win.contentItem, name)
        verify(item !== null, "no item " + name)
        return item
    }
    function type(text) {
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i])
    }

    function test_1_importModel() {
        verify(find("welcomeView").visible)
        verify(App.models.importFile(testModelPath))
        tryVerify(function() { return App.models.hasInstalled })
        tryVerify(function() { return !find("welcomeView").visible })
        compare(App.settings.defaultModel, testModelPath)
        tryVerify(function() { return App.chat.modelLoaded }, 60000, "the test model did not load: " + App.chat.errorMessage)
    }

    function test_2_sendStreamAndStop() {
        App.settings.maxTokens = 4000  // long enough that Esc stops it, not the limit
        const input = find("composerInput")
        input.forceActiveFocus()
        type("Why is the sea blue?")
        keyClick(Qt.Key_Return)
        tryVerify(function() { return App.chat.generating }, 5000)
        compare(input.text, "")  // sent: the composer is empty and stays usable
        tryVerify(function() { return App.chat.streamingReasoning.length + App.chat.streamingAnswer.length > 20 }, 30000)
        compare(messages.count, 2)
        keyClick(Qt.Key_Escape)
        tryVerify(function() { return !App.chat.generating }, 10000)
        const reply = messages.itemAtIndex(1)
        compare(reply.role, "assistant")
        compare(reply.status, "stopped")
        verify(reply.reasoning.length + reply.content.length > 0)
    }

    function test_4_searchFindsIt() {
        keyClick(Qt.Key_K, Qt.ControlModifier)
        const field = find("searchField")
        verify(field.activeFocus)
        type("sea")
        const list = find("conversationList")
        tryVerify(function() { return App.conversations.searching && list.count === 1 })
        field.text = ""
        tryVerify(function() { return !App.conversations.searching })
    }
}
