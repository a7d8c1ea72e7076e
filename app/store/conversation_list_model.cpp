#include "store/conversation_list_model.h"

#include "store/conversation_store.h"

#include <QDateTime>

#include <unordered_map>

namespace tiefsee::store {
namespace {
// Control characters cannot appear escaped in HTML output, so they mark matches safely.
const QString kMarkOpen = QStringLiteral("\x01");
const QString kMarkClose = QStringLiteral("\x02");
}  // namespace

QString highlightToHtml(const QString& text)
{
    QString html = text.toHtmlEscaped();
    html.replace(kMarkOpen, QStringLiteral("<b>"));
    html.replace(kMarkClose, QStringLiteral("</b>"));
    return html;
}

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {}

void ConversationListModel::setStore(ConversationStore* store)
{
    m_store = store;
    refresh();
}

void ConversationListModel::setFilter(const QString& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit filterChanged();
    refresh();
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    const ConversationSummary& s = row.summary;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return s.title;
    case IdRole: return s.id;
    case CreatedRole: return QDateTime::fromMSecsSinceEpoch(s.createdMs);
    case UpdatedRole: return QDateTime::fromMSecsSinceEpoch(s.updatedMs);
    case PinnedRole: return s.pinned;
    case ModelRole: return s.model;
    case SnippetRole: return row.snippetHtml;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    // Not "id" / "model": see MessageListModel::roleNames.
    return {{IdRole, "conversationId"}, {TitleRole, "title"},      {CreatedRole, "created"}, {UpdatedRole, "updated"},
            {PinnedRole, "pinned"},     {ModelRole, "modelName"}, {SnippetRole, "snippet"}};
}

bool ConversationListModel::report(const std::optional<Error>& error)
{
    const QString text = error ? QString::fromStdString(error->message) : QString();
    if (text != m_lastError) {
        m_lastError = text;
        emit lastErrorChanged();
    }
    return !error;
}

void ConversationListModel::refresh()
{
    std::vector<Row> rows;
    std::optional<Error> error;
    if (m_store) {
        auto all = m_store->listConversations();
        if (!all) {
            error = all.error();
        } else if (m_filter.trimmed().isEmpty()) {
            rows.reserve(all->size());
            for (ConversationSummary& s : *all)
                rows.push_back({std::move(s), QString()});
        } else {
            SearchOptions options;
            options.includeReasoning = true;
            options.limit = 500;
            options.highlightOpen = kMarkOpen;
            options.highlightClose = kMarkClose;
            auto hits = m_store->search(m_filter, options);
            if (!hits) {
                error = hits.error();
            } else {
                std::unordered_map<qint64, const SearchHit*> byId;
                for (const SearchHit& h : *hits)
                    byId.emplace(h.conversationId, &h);
                for (ConversationSummary& s : *all)  // keeps the list order: pinned, then newest
                    if (auto it = byId.find(s.id); it != byId.end())
                        rows.push_back({std::move(s), highlightToHtml(it->second->snippet)});
            }
        }
    }
    const int before = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (count() != before)
        emit countChanged();
    report(error);
}

int ConversationListModel::indexOfId(qint64 id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].summary.id == id)
            return int(i);
    return -1;
}

qint64 ConversationListModel::idAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[size_t(row)].summary.id : 0;
}

bool ConversationListModel::rename(qint64 id, const QString& title)
{
    if (!m_store)
        return false;
    auto r = m_store->renameConversation(id, title);
    if (!r)
        return report(r.error());
    const int row = indexOfId(id);
    if (row >= 0) {  // the order does not change: update in place
        m_rows[size_t(row)].summary.title = title.simplified();
        emit dataChanged(index(row), index(row), {TitleRole, Qt::DisplayRole});
    }
    return report(std::nullopt);
}

bool ConversationListModel::setPinned(qint64 id, bool pinned)
{
    if (!m_store)
        return false;
    auto r = m_store->setPinned(id, pinned);
    if (!r)
        return report(r.error());
    refresh();  // pinning moves the row
    return true;
}

bool ConversationListModel::remove(qint64 id)
{
    if (!m_store)
        return false;
    auto r = m_store->deleteConversation(id);
    if (!r)
        return report(r.error());
    const int row = indexOfId(id);
    if (row >= 0) {
        beginRemoveRows(QModelIndex(), row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
        emit countChanged();
    }
    return report(std::nullopt);
}

}  // namespace tiefsee::store
