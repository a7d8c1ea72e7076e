// The whole chat flow on the real window with the mini test model on lavapipe:
// first run → import a model → send → streaming reasoning (open while it streams)
// → stop → regenerate → switch branches → search finds the conversation.
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
        // What tst_2_restart must find again after the "restart".
        testMemo.conversationId = App.chat.conversationId
        // As JSON text: a JavaScript value would belong to this suite's engine, which goes.
        const rows = []
        for (let i = 0; i < messages.count; ++i) {
            const row = messages.itemAtIndex(i)
            rows.push({ messageId: row.messageId, role: row.role, content: row.content,
                                 reasoning: row.reasoning, status: row.status, shown: shownText(i),
                                 branch: branchText(i) })
        }
        testMemo.rows = JSON.stringify(rows)
        win.close()  // saves the window geometry like a user closing it
        win.destroy()
    }
    function find(name) {
        const item = findChild(win.contentItem, name)
        verify(item !== null, "no item " + name)
        return item
    }
    // Lets the list and the layouts inside its rows finish laying out before a click:
    // when a reply finishes, parts of its row appear or hide and a ColumnLayout only
    // moves its children at its next polish; a click before that lands on stale
    // positions (seen as a lost click ~1 run in 3).
    function polishPending(item) {
        if (isPolishScheduled(item))
            return true
        for (let i = 0; i < item.children.length; ++i)
            if (polishPending(item.children[i]))
                return true
        return false
    }
    function settle() {
        tryVerify(function() { return !polishPending(messages) })
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

    // Sends, watches the reasoning stream open ("Thinking…"), stops it with Esc and
    // checks it collapsed ("Thought for N s"). Deterministic: greedy sampling (the same
    // tokens every run), a token limit far beyond what streams before Esc, and the view
    // is checked in the same JavaScript turn as the controller state it must show.
    function test_2_sendStreamAndStop() {
        App.settings.temperature = 0
        App.settings.maxTokens = 4000
        const input = find("composerInput")
        input.forceActiveFocus()
        type("Why is the sea blue?")
        keyClick(Qt.Key_Return)
        tryVerify(function() { return App.chat.generating }, 5000)
        compare(input.text, "")  // sent: the composer is empty and stays usable
        compare(messages.count, 2)
        tryVerify(function() { return messages.itemAtIndex(1) !== null })
        const reply = messages.itemAtIndex(1)
        compare(reply.role, "assistant")
        const section = findChild(reply, "reasoningSection")
        const label = findChild(section, "reasoningLabel")
        const text = findChild(section, "reasoningText")

        // Wait on the controller's state, not on time: reasoning is streaming.
        tryVerify(function() { return App.chat.phase === "thinking" && App.chat.streamingReasoning.length > 20 },
                  30000, "no reasoning streamed: " + App.chat.errorMessage)
        // No event processing since the check above: the view shows exactly that state.
        verify(App.chat.generating && App.chat.thinking)
        verify(section.visible)
        verify(section.expanded, "the reasoning is open while it streams")
        compare(label.text, "Thinking…")
        verify(text.visible)
        compare(text.text, App.chat.streamingReasoning)

        keyClick(Qt.Key_Escape)
        tryVerify(function() { return !App.chat.generating }, 10000)
        compare(messages.itemAtIndex(1), reply)  // the same row, now finished
        compare(reply.status, "stopped")
        verify(reply.reasoning.length > 20)
        verify(Number(reply.thinkingMs) > 0)
        verify(!section.expanded, "the reasoning collapses when the answer is done")
        verify(!text.visible)
        verify(/^Thought for \d+ s$/.test(label.text), label.text)
        compare(label.text, "Thought for " + Math.max(1, Math.round(Number(reply.thinkingMs) / 1000)) + " s")
        // The user can open it again.
        settle()
        mouseClick(findChild(section, "reasoningHeader"))
        verify(section.expanded)
        verify(text.visible)
        compare(text.text, reply.reasoning)
    }

    // What the row at `index` shows: its reasoning and answer as the view has them.
    function shownText(index) {
        const row = messages.itemAtIndex(index)
        return findChild(row, "reasoningSection").reasoning + "|" + findChild(row, "answerView").markdown
    }

    function branchText(index) {
        const row = messages.itemAtIndex(index)
        const label = row ? findChild(row, "branchLabel") : null
        return label && label.visible ? label.text : ""
    }

    // Regenerate makes a second answer next to the first: "‹ 2/2 ›", and ‹ shows the first again.
    function test_3_regenerateAndSwitch() {
        App.settings.maxTokens = 12  // short: runs to the limit
        const first = messages.itemAtIndex(1)
        const firstId = first.messageId
        const firstText = shownText(1)
        compare(firstText, first.reasoning + "|" + first.content)
        verify(firstText.length > 1)
        settle()
        mouseMove(first, 10, 10)
        mouseClick(findChild(first, "regenerateButton"))
        tryVerify(function() { return App.chat.generating }, 5000, "regenerate did not start: " + App.chat.errorMessage)
        tryVerify(function() { return !App.chat.generating }, 30000)
        compare(messages.count, 2)
        let reply = messages.itemAtIndex(1)
        verify(reply.messageId !== firstId)
        compare(reply.status, "complete")
        const label = findChild(reply, "branchLabel")
        verify(label.visible)
        compare(label.text, "2/2")
        const secondText = shownText(1)

        // The switch replaces the row (another message id): look the items up again.
        settle()
        mouseClick(findChild(reply, "previousVersion"))
        tryVerify(function() { return branchText(1) === "1/2" })
        reply = messages.itemAtIndex(1)
        compare(reply.messageId, firstId)
        compare(reply.status, "stopped")
        compare(shownText(1), firstText)
        settle()
        mouseClick(findChild(reply, "nextVersion"))
        tryVerify(function() { return branchText(1) === "2/2" })
        compare(shownText(1), secondText)
    }

    // Editing the question makes a second version of it with its own answer; ‹ goes back
    // to the first question and its answers.
    function test_4_editMakesBranch() {
        let question = messages.itemAtIndex(0)
        const firstQuestionId = question.messageId
        const answerBefore = messages.itemAtIndex(1).messageId
        compare(question.content, "Why is the sea blue?")
        settle()
        mouseMove(question, 10, 10)
        mouseClick(findChild(question, "editButton"))
        const area = findChild(question, "editArea")
        tryVerify(function() { return area.visible && area.activeFocus })
        compare(area.text, "Why is the sea blue?")
        area.selectAll()
        type("Why is the sky blue?")
        settle()
        mouseClick(findChild(question, "editSend"))
        tryVerify(function() { return App.chat.generating }, 5000, "the edit did not start an answer: " + App.chat.errorMessage)
        tryVerify(function() { return !App.chat.generating }, 30000)

        compare(messages.count, 2)
        question = messages.itemAtIndex(0)
        verify(question.messageId !== firstQuestionId)
        compare(question.content, "Why is the sky blue?")
        compare(branchText(0), "2/2")
        const answer = messages.itemAtIndex(1)
        verify(answer.messageId !== answerBefore)
        compare(answer.siblingCount, 1)  // the new question's only answer
        compare(answer.status, "complete")
        verify(shownText(1).length > 1)

        settle()
        mouseClick(findChild(question, "previousVersion"))
        tryVerify(function() { return branchText(0) === "1/2" })
        compare(messages.itemAtIndex(0).content, "Why is the sea blue?")
        compare(messages.itemAtIndex(1).messageId, answerBefore)  // its newest answer again
        compare(branchText(1), "2/2")
    }

    function test_6_searchFindsIt() {
        const id = App.chat.conversationId
        keyClick(Qt.Key_N, Qt.ControlModifier)  // a new chat: the search opens the old one again
        compare(App.chat.conversationId, 0)
        compare(messages.count, 0)
        keyClick(Qt.Key_K, Qt.ControlModifier)
        const field = find("searchField")
        verify(field.activeFocus)
        type("sea")
        const list = find("conversationList")
        tryVerify(function() { return App.conversations.searching && list.count === 1 })
        const row = list.itemAtIndex(0)
        compare(row.conversationId, id)
        mouseClick(row)
        compare(App.chat.conversationId, id)
        tryCompare(messages, "count", 2)
        field.text = ""
        tryVerify(function() { return !App.conversations.searching })
    }
}
