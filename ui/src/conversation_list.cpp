// ConversationList (see conversation_list.h).
#include "conversation_list.h"

namespace tiefsee::ui {

ConversationList::ConversationList(QObject* parent) : QObject(parent)
{
    setError(tr("Conversation history is not connected in this build yet."));
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
    emit searchTextChanged();
}

bool ConversationList::rename(qint64, const QString&) { return false; }
bool ConversationList::setPinned(qint64, bool) { return false; }
bool ConversationList::exportTo(qint64, const QString&, const QString&) { return false; }
void ConversationList::scheduleDelete(qint64 id) { m_pendingDelete = id; }
void ConversationList::undoDelete() { m_pendingDelete = 0; }
void ConversationList::commitPendingDelete() { m_pendingDelete = 0; }

}  // namespace tiefsee::ui
