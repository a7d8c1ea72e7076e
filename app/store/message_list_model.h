// MessageListModel: the messages of one conversation's active path, for QML.
//
//   MessageListModel messages;           // GUI thread
//   messages.setStore(&store);           // not owned; must outlive the model, same thread
//   messages.setConversationId(id);      // loads root..leaf of the active path
//   messages.reload();                   // after a write: rows that stay are kept (no reset)
//   messages.setLiveReply(replyId, content, reasoning);   // streaming text, no database read
//   messages.showSibling(row, +1);       // "‹ 2 / 3 ›": switch branch at that message
//
// Roles (QML names): messageId, parentId, role ("user" | "assistant" | "system"), content,
// reasoning, thinkingMs, promptTokens, generatedTokens, tokensPerSecond, modelName,
// created (QDateTime), status ("complete" | "stopped" | "failed" | "streaming"),
// siblingIndex (0-based), siblingCount.
#pragma once

#include "store/store_types.h"

#include <QAbstractListModel>

namespace tiefsee::store {

class ConversationStore;

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(qint64 conversationId READ conversationId WRITE setConversationId NOTIFY conversationIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        ParentIdRole,
        RoleRole,
        ContentRole,
        ReasoningRole,
        ThinkingMsRole,
        PromptTokensRole,
        GeneratedTokensRole,
        TokensPerSecondRole,
        ModelRole,
        CreatedRole,
        StatusRole,
        SiblingIndexRole,
        SiblingCountRole,
    };
    Q_ENUM(Roles)

    explicit MessageListModel(QObject* parent = nullptr);

    void setStore(ConversationStore* store);
    qint64 conversationId() const { return m_conversationId; }
    void setConversationId(qint64 id);  // 0 = none (empty model)
    int count() const { return int(m_rows.size()); }
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Re-reads the active path. The common prefix stays (dataChanged where it
    // changed); rows after it are removed and the new ones inserted.
    Q_INVOKABLE void reload();
    // Shows the text of a reply in flight without touching the database.
    Q_INVOKABLE void setLiveReply(qint64 messageId, const QString& content, const QString& reasoning);
    // Switches the branch at `row` by `delta` siblings (-1 previous, +1 next).
    Q_INVOKABLE bool showSibling(int row, int delta);
    Q_INVOKABLE int indexOfId(qint64 id) const;

signals:
    void conversationIdChanged();
    void countChanged();
    void lastErrorChanged();

private:
    bool report(const std::optional<Error>& error);
    ConversationStore* m_store = nullptr;
    qint64 m_conversationId = 0;
    std::vector<PathMessage> m_rows;
    QString m_lastError;
};

}  // namespace tiefsee::store
