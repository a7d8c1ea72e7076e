#include "store/message_list_model.h"

#include "store/conversation_store.h"

#include <QDateTime>

namespace tiefsee::store {
namespace {

bool sameRow(const PathMessage& a, const PathMessage& b)
{
    const Message& x = a.message;
    const Message& y = b.message;
    return x.content == y.content && x.reasoning == y.reasoning && x.status == y.status &&
           x.thinkingMs == y.thinkingMs && x.promptTokens == y.promptTokens &&
           x.generatedTokens == y.generatedTokens && x.tokensPerSecond == y.tokensPerSecond && x.model == y.model &&
           a.siblingIndex == b.siblingIndex && a.siblingCount == b.siblingCount;
}

}  // namespace

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

void MessageListModel::setStore(ConversationStore* store)
{
    m_store = store;
    reload();
}

void MessageListModel::setConversationId(qint64 id)
{
    if (id == m_conversationId)
        return;
    m_conversationId = id;
    emit conversationIdChanged();
    // Another conversation shares no rows with this one: reset instead of diffing.
    const int before = count();
    beginResetModel();
    m_rows.clear();
    endResetModel();
    if (before)
        emit countChanged();
    reload();
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PathMessage& p = m_rows[size_t(index.row())];
    const Message& m = p.message;
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole: return m.content;
    case IdRole: return m.id;
    case ParentIdRole: return m.parentId;
    case RoleRole: return QString::fromLatin1(roleName(m.role));
    case ReasoningRole: return m.reasoning;
    case ThinkingMsRole: return m.thinkingMs;
    case PromptTokensRole: return m.promptTokens;
    case GeneratedTokensRole: return m.generatedTokens;
    case TokensPerSecondRole: return m.tokensPerSecond;
    case ModelRole: return m.model;
    case CreatedRole: return QDateTime::fromMSecsSinceEpoch(m.createdMs);
    case StatusRole: return QString::fromLatin1(statusName(m.status));
    case SiblingIndexRole: return p.siblingIndex;
    case SiblingCountRole: return p.siblingCount;
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    // "messageId" and "modelName", not "id" and "model": "id" can't be a QML property
    // name, and a role called "model" would be what a delegate's `required property var
    // model` receives (the model name string) instead of the row object.
    return {{IdRole, "messageId"},
            {ParentIdRole, "parentId"},
            {RoleRole, "role"},
            {ContentRole, "content"},
            {ReasoningRole, "reasoning"},
            {ThinkingMsRole, "thinkingMs"},
            {PromptTokensRole, "promptTokens"},
            {GeneratedTokensRole, "generatedTokens"},
            {TokensPerSecondRole, "tokensPerSecond"},
            {ModelRole, "modelName"},
            {CreatedRole, "created"},
            {StatusRole, "status"},
            {SiblingIndexRole, "siblingIndex"},
            {SiblingCountRole, "siblingCount"}};
}

bool MessageListModel::report(const std::optional<Error>& error)
{
    const QString text = error ? QString::fromStdString(error->message) : QString();
    if (text != m_lastError) {
        m_lastError = text;
        emit lastErrorChanged();
    }
    return !error;
}

void MessageListModel::reload()
{
    std::vector<PathMessage> fresh;
    if (m_store && m_conversationId) {
        auto path = m_store->activePath(m_conversationId);
        if (!path) {
            report(path.error());
            return;
        }
        fresh = std::move(*path);
    }
    const int before = count();
    size_t common = 0;
    while (common < m_rows.size() && common < fresh.size() && m_rows[common].message.id == fresh[common].message.id)
        ++common;
    for (size_t i = 0; i < common; ++i) {
        if (!sameRow(m_rows[i], fresh[i])) {
            m_rows[i] = fresh[i];
            emit dataChanged(index(int(i)), index(int(i)));
        }
    }
    if (m_rows.size() > common) {
        beginRemoveRows(QModelIndex(), int(common), int(m_rows.size()) - 1);
        m_rows.resize(common);
        endRemoveRows();
    }
    if (fresh.size() > common) {
        beginInsertRows(QModelIndex(), int(common), int(fresh.size()) - 1);
        for (size_t i = common; i < fresh.size(); ++i)
            m_rows.push_back(std::move(fresh[i]));
        endInsertRows();
    }
    if (count() != before)
        emit countChanged();
    report(std::nullopt);
}

void MessageListModel::setLiveReply(qint64 messageId, const QString& content, const QString& reasoning)
{
    const int row = indexOfId(messageId);
    if (row < 0)
        return;
    Message& m = m_rows[size_t(row)].message;
    m.content = content;
    m.reasoning = reasoning;
    emit dataChanged(index(row), index(row), {ContentRole, ReasoningRole, Qt::DisplayRole});
}

bool MessageListModel::showSibling(int row, int delta)
{
    if (!m_store || row < 0 || row >= count())
        return false;
    const PathMessage& p = m_rows[size_t(row)];
    const int target = p.siblingIndex + delta;
    if (target < 0 || target >= p.siblingCount)
        return false;
    auto leaf = m_store->selectSibling(p.message.id, target);
    if (!leaf)
        return report(leaf.error());
    reload();
    return true;
}

int MessageListModel::indexOfId(qint64 id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].message.id == id)
            return int(i);
    return -1;
}

}  // namespace tiefsee::store
