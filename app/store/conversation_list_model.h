// ConversationListModel: the sidebar's list of conversations for QML.
//
//   ConversationListModel list;          // GUI thread
//   list.setStore(&store);               // not owned; must outlive the model, same thread
//   list.setFilter("sea");               // full-text search; "" shows everything
//
// Order: pinned first, then the most recently updated (also while filtering).
// Roles (QML names): conversationId, title, created (QDateTime), updated (QDateTime), pinned (bool),
// modelName, snippet (rich text: HTML-escaped match with <b>…</b>; empty without a filter
// or when only the title matched).
// Invokables change the store and refresh: rename, setPinned, remove. The model does
// not watch the database: call refresh() after writing through another connection
// (e.g. when the worker finished a reply). Errors land in lastError (plain words).
#pragma once

#include "store/store_types.h"

#include <QAbstractListModel>

namespace tiefsee::store {

class ConversationStore;

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        CreatedRole,
        UpdatedRole,
        PinnedRole,
        ModelRole,
        SnippetRole,
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject* parent = nullptr);

    void setStore(ConversationStore* store);
    ConversationStore* store() const { return m_store; }

    QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    int count() const { return int(m_rows.size()); }
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Reloads from the store (keeps the filter).
    Q_INVOKABLE void refresh();
    Q_INVOKABLE int indexOfId(qint64 id) const;  // -1 if not listed
    Q_INVOKABLE qint64 idAt(int row) const;      // 0 if out of range
    Q_INVOKABLE bool rename(qint64 id, const QString& title);
    Q_INVOKABLE bool setPinned(qint64 id, bool pinned);
    Q_INVOKABLE bool remove(qint64 id);

signals:
    void filterChanged();
    void countChanged();
    void lastErrorChanged();

private:
    struct Row {
        ConversationSummary summary;
        QString snippetHtml;
    };
    bool report(const std::optional<Error>& error);
    ConversationStore* m_store = nullptr;
    QString m_filter;
    std::vector<Row> m_rows;
    QString m_lastError;
};

// Escapes `text` for Qt rich text and turns the \x01 … \x02 markers into <b> … </b>.
QString highlightToHtml(const QString& text);

}  // namespace tiefsee::store
