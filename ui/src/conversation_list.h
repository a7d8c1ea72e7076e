// ConversationList: the sidebar's C++ side (App.conversations). Exposes the store's
// conversation list model (pinned first, newest first; while searching, the FTS hits
// with highlighted snippets), and the actions on a conversation: rename, pin, export,
// delete with undo (the row disappears at once, the delete happens when the undo toast
// goes away or the app quits).
#pragma once

#include "store/conversation_list_model.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace tiefsee::store {
class ConversationStore;
}

namespace tiefsee::ui {

class ConversationList : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("App.conversations is the one instance")
    Q_PROPERTY(QAbstractItemModel* model READ model NOTIFY modelChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    Q_PROPERTY(bool searching READ searching NOTIFY searchTextChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit ConversationList(QObject* parent = nullptr);
    // Commits a pending delete.
    ~ConversationList() override;

    // Connects the store (not owned); without one the sidebar says so.
    void setStore(store::ConversationStore* store);
    // Re-reads the list (after the chat wrote a message or a title).
    Q_INVOKABLE void refresh();

    QAbstractItemModel* model() const { return m_model; }
    QString searchText() const { return m_searchText; }
    void setSearchText(const QString& text);
    bool searching() const { return !m_searchText.trimmed().isEmpty(); }
    QString error() const { return m_error; }

    Q_INVOKABLE bool rename(qint64 id, const QString& title);
    Q_INVOKABLE bool setPinned(qint64 id, bool pinned);
    // Writes the conversation's active path to `path` as "md" or "json".
    Q_INVOKABLE bool exportTo(qint64 id, const QString& path, const QString& format);
    // Imports conversations exported as JSON (store/export_import.h), all or nothing;
    // returns the id of the first one, or 0 and sets `error`.
    Q_INVOKABLE qint64 importJson(const QString& json);
    Q_INVOKABLE void scheduleDelete(qint64 id);
    Q_INVOKABLE void undoDelete();
    Q_INVOKABLE void commitPendingDelete();

signals:
    // The conversation `id` is about to disappear (hidden for undo): the chat closes it.
    void conversationRemoved(qint64 id);
    // The delete of `id` was undone: it is listed again.
    void conversationRestored(qint64 id);
    void modelChanged();
    void searchTextChanged();
    void errorChanged();

private:
    void setError(const QString& e);

    store::ConversationStore* m_store = nullptr;
    store::ConversationListModel* m_list = nullptr;  // child
    QSortFilterProxyModel* m_visible = nullptr;      // child: m_list without the pending delete
    QAbstractItemModel* m_model = nullptr;
    QString m_searchText;
    QString m_error;
    qint64 m_pendingDelete = 0;
};

}  // namespace tiefsee::ui
