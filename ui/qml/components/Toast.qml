// A short message at the bottom of the window with an optional action ("Undo").
// Disappears after a few seconds; `dismissed` fires then unless the action was taken.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tiefsee.Ui

Popup {
    id: toast
    property string message: ""
    property string actionText: ""
    signal actionTriggered()
    signal dismissed()

    property bool actionTaken: false
    function show(text, action) {
        if (opened && !actionTaken)
            dismissed()  // a new toast replaces the old one: settle its pending action
        message = text
        actionText = action
        actionTaken = false
        open()
        timer.restart()
    }

    parent: Overlay.overlay
    x: (parent.width - width) / 2
    y: parent.height - height - Theme.spacingXl
    modal: false
    focus: false
    closePolicy: Popup.NoAutoClose
    padding: Theme.spacingM
    onClosed: if (!actionTaken) dismissed()

    Timer {
        id: timer
        interval: 6000
        onTriggered: toast.close()
    }

    background: Rectangle {
        radius: Theme.radiusM
        color: Theme.dark ? "#e7e6e3" : "#2a2d32"
    }
    contentItem: RowLayout {
        spacing: Theme.spacingL
        Label {
            objectName: "toastMessage"
            text: toast.message
            color: Theme.dark ? "#1e2227" : "#f4f3ef"
            Accessible.role: Accessible.AlertMessage
        }
        Button {
            objectName: "toastAction"
            visible: toast.actionText.length > 0
            text: toast.actionText
            flat: true
            Accessible.name: toast.actionText
            contentItem: Label {
                text: parent.text
                font.weight: Font.DemiBold
                color: Theme.dark ? "#1f6fa8" : "#79b8e8"
            }
            background: null
            onClicked: {
                toast.actionTaken = true
                toast.actionTriggered()
                toast.close()
            }
        }
    }
}
