// The window shell without a model: first-run view, settings panel pages, theme and
// language switching, keyboard shortcuts, and accessible names on the controls.
import QtQuick
import QtQuick.Controls
import QtTest
import Tiefsee.Ui

TestCase {
    id: tc
    name: "Shell"
    when: windowShown
    width: 1000
    height: 700

    Component { id: mainComponent; Main {} }
    property var win: null

    function initTestCase() {
        // One window for the whole case (createTemporaryObject would destroy it after each test).
        win = mainComponent.createObject(null)
        verify(win !== null)
        tryVerify(function() { return win.visible && win.active !== undefined })
        waitForRendering(win.contentItem)
    }

    function cleanupTestCase() {
        win.destroy()
    }

    function find(name) {
        const panel = findChild(win.contentItem, "settingsPanel")
        const item = findChild(win.contentItem, name) || (panel ? findChild(panel.contentItem, name) : null)
        verify(item !== null, "no item " + name)
        return item
    }

    function test_1_firstRunShowsWelcome() {
        compare(App.models.hasInstalled, false)
        verify(find("welcomeView").visible)
    }

    function test_2_settingsOpenWithShortcut() {
        win.requestActivate()
        keyClick(Qt.Key_Comma, Qt.ControlModifier)
        const panel = find("settingsPanel")
        tryVerify(function() { return panel.opened })
        // Every page can be shown.
        for (let i = 0; i < 5; ++i) {
            mouseClick(find("settingsTab" + i))
            compare(panel.currentPage, i)
        }
        keyClick(Qt.Key_Escape)
        tryVerify(function() { return !panel.opened })
    }

    function test_3_themeSwitch() {
        App.settings.theme = "light"
        compare(Theme.dark, false)
        const lightBg = String(win.color)
        App.settings.theme = "dark"
        compare(Theme.dark, true)
        verify(String(win.color) !== lightBg)
        App.settings.theme = "system"
    }

    // Choosing German in Appearance retranslates the open window at once, and back.
    function test_4_languageSwitch() {
        win.openSettings(3)
        const panel = find("settingsPanel")
        tryVerify(function() { return panel.opened })
        // The tabs are Repeater items made from a qsTr() list: retranslating rebuilds them,
        // so they are looked up again after each switch.
        const title = find("settingsPageTitle")
        compare(title.text, "Appearance")
        compare(find("settingsTab3").text, "Appearance")
        const box = find("languageBox")
        tryVerify(function() { return box.visible })
        box.forceActiveFocus()
        // Keyboard choice in the combo box, like a user: the "Deutsch" entry.
        const german = box.indexOfValue("de")
        verify(german >= 0)
        for (let i = 0; i < 3 && box.currentIndex !== german; ++i)
            keyClick(box.currentIndex < german ? Qt.Key_Down : Qt.Key_Up)
        compare(box.currentIndex, german)
        compare(box.displayText, "Deutsch")
        compare(App.settings.language, "de")
        compare(App.uiLanguage, "de")
        tryCompare(title, "text", "Darstellung")
        compare(find("settingsTab3").text, "Darstellung")
        compare(find("settingsTab0").text, "Modelle")
        compare(box.label(""), "Systemstandard")
        box.forceActiveFocus()
        const english = box.indexOfValue("en")
        for (let i = 0; i < 3 && box.currentIndex !== english; ++i)
            keyClick(box.currentIndex < english ? Qt.Key_Down : Qt.Key_Up)
        compare(box.currentIndex, english)
        compare(App.settings.language, "en")
        compare(App.uiLanguage, "en")
        tryCompare(title, "text", "Appearance")
        compare(find("settingsTab3").text, "Appearance")
        compare(find("settingsTab0").text, "Models")
        panel.close()
        tryVerify(function() { return !panel.opened })
    }

    function test_5_generationReset() {
        App.settings.temperature = 1.2
        verify(!App.settings.generationIsDefault)
        win.openSettings(1)
        const panel = find("settingsPanel")
        tryVerify(function() { return panel.opened })
        const reset = find("resetGeneration")
        tryVerify(function() { return reset.visible && reset.enabled })
        reset.forceActiveFocus()
        keyClick(Qt.Key_Space)
        compare(App.settings.temperature, 0.6)
        compare(App.settings.topP, 0.95)
        verify(App.settings.generationIsDefault)
        panel.close()
    }

    // Every interactive control in the window has an accessible name.
    function test_6_accessibleNames() {
        const missing = []
        function walk(item) {
            if (!item || !item.visible)
                return
            const interactive = (item instanceof AbstractButton || item instanceof TextField
                                 || item instanceof TextArea || item instanceof Slider
                                 || item instanceof ComboBox || item instanceof SpinBox)
            if (interactive && item.enabled && (!item.Accessible.name || item.Accessible.name.length === 0)
                    && (!item.text || item.text.length === 0))
                missing.push(item.objectName + " " + item)
            for (let i = 0; i < item.children.length; ++i)
                walk(item.children[i])
        }
        walk(win.contentItem)
        compare(missing.length, 0, "controls without an accessible name: " + missing.join(", "))
    }
}
