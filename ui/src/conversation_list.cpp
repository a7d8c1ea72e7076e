// ConversationList (see conversation_list.h).
#include "conversation_list.h"

#include "store/conversation_store.h"
#include "store/export_import.h"

#include <QFile>

namespace tiefsee::ui {

namespace {
// Hides the row of one conversation id (the one waiting for its undo toast).
class HideOne : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setHidden(qint64 id)
    {
        m_hidden = id;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        if (m_hidden == 0)
            return true;
        const QModelIndex i = sourceModel()->index(row, 0, parent);
        return i.data(store::ConversationListModel::IdRole).toLongLong() != m_hidden;
    }

private:
    qint64 m_hidden = 0;
};
}  // namespace

ConversationList::ConversationList(QObject* parent) : QObject(parent)
{
    setError(tr("Conversation history is not available: the database could not be opened."));
}

ConversationList::~ConversationList() { commitPendingDelete(); }

void ConversationList::setStore(store::ConversationStore* store)
{
    m_store = store;
    m_list = new store::ConversationListModel(this);
    m_list->setStore(store);
    auto* proxy = new HideOne(this);
    proxy->setSourceModel(m_list);
    m_visible = proxy;
    m_model = proxy;
    connect(m_list, &store::ConversationListModel::lastErrorChanged, this, [this] { setError(m_list->lastError()); });
    setError({});
    emit modelChanged();
}

void ConversationList::refresh()
{
    if (m_list)
        m_list->refresh();
}

void ConversationList::setError(const QString& e)
{
    if (e == m_error)
        return;
    m_error = e;
    emit errorChanged();
}

void ConversationList::setSearchText(const QString& text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    // FTS search runs in SQLite on this thread; it is an index lookup (milliseconds even
    // for 10,000 conversations, see the store's benchmark), so no worker is needed.
    if (m_list)
        m_list->setFilter(text.trimmed());
    emit searchTextChanged();
}

bool ConversationList::rename(qint64 id, const QString& title)
{
    return m_list && !title.trimmed().isEmpty() && m_list->rename(id, title.trimmed());
}

bool ConversationList::setPinned(qint64 id, bool pinned) { return m_list && m_list->setPinned(id, pinned); }

bool ConversationList::exportTo(qint64 id, const QString& path, const QString& format)
{
    if (!m_store)
        return false;
    QByteArray bytes;
    if (format == QLatin1String("json")) {
        auto r = store::exportConversationJson(*m_store, id, store::ExportScope::ActivePath);
        if (!r) {
            setError(QString::fromStdString(r.error().message));
            return false;
        }
        bytes = *r;
    } else {
        auto r = store::exportConversationMarkdown(*m_store, id, store::ExportScope::ActivePath);
        if (!r) {
            setError(QString::fromStdString(r.error().message));
            return false;
        }
        bytes = r->toUtf8();
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        setError(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    setError({});
    return true;
}

qint64 ConversationList::importJson(const QString& json)
{
    if (!m_store)
        return 0;
    auto ids = store::importJson(*m_store, json.toUtf8());
    if (!ids) {
        setError(QString::fromStdString(ids.error().message));
        return 0;
    }
    setError({});
    refresh();
    return ids->empty() ? 0 : ids->front();
}

void ConversationList::scheduleDelete(qint64 id)
{
    commitPendingDelete();  // only one undo at a time
    m_pendingDelete = id;
    if (m_visible)
        static_cast<HideOne*>(m_visible)->setHidden(id);
    emit conversationRemoved(id);
}

void ConversationList::undoDelete()
{
    const qint64 id = m_pendingDelete;
    m_pendingDelete = 0;
    if (m_visible)
        static_cast<HideOne*>(m_visible)->setHidden(0);
    if (id != 0)
        emit conversationRestored(id);
}

void ConversationList::commitPendingDelete()
{
    if (m_pendingDelete == 0)
        return;
    const qint64 id = m_pendingDelete;
    m_pendingDelete = 0;
    if (m_list)
        m_list->remove(id);
    if (m_visible)
        static_cast<HideOne*>(m_visible)->setHidden(0);
}

}  // namespace tiefsee::ui
