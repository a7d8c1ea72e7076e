// Full-text search over conversation titles and messages (FTS5, schema v3).
#include "store/conversation_store.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <unordered_map>

namespace tiefsee::store {
namespace {

// ?1 FTS5 query, ?2/?3 highlight markers, ?4 row limit, ?5 snippet length in tokens.
constexpr const char* kSqlSearchTitles =
    "SELECT c.id, highlight(conversations_fts, 0, ?2, ?3), bm25(conversations_fts) "
    "FROM conversations_fts JOIN conversations c ON c.id = conversations_fts.rowid "
    "WHERE conversations_fts MATCH ?1 ORDER BY rank LIMIT ?4";
constexpr const char* kSqlSearchMessages =
    "SELECT m.conversation_id, m.id, snippet(messages_fts, -1, ?2, ?3, '\u2026', ?5), bm25(messages_fts), c.title "
    "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE messages_fts MATCH ?1 ORDER BY rank LIMIT ?4";

// Turns what the user typed into an FTS5 expression: every word becomes a quoted
// prefix phrase ("sea"*), so FTS syntax characters in the text mean nothing. The
// expression is passed as a bound parameter, never spliced into SQL.
QString ftsQuery(const QString& text)
{
    QStringList terms;
    for (const QString& word : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        if (std::none_of(word.begin(), word.end(), [](QChar c) { return c.isLetterOrNumber(); }))
            continue;  // punctuation alone matches nothing and would make an empty phrase
        QString quoted = word;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + quoted + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

}  // namespace

Result<std::vector<SearchHit>> ConversationStore::search(const QString& query, const SearchOptions& options)
{
    const QString terms = ftsQuery(query);
    std::vector<SearchHit> hits;
    if (terms.isEmpty() || options.limit <= 0)
        return hits;
    std::unordered_map<qint64, size_t> byConversation;  // conversation id → index in hits

    auto titles = m_db.statement(kSqlSearchTitles);
    if (!titles)
        return titles.error();
    titles->bind(1, terms).bind(2, options.highlightOpen).bind(3, options.highlightClose).bind(4, options.limit);
    for (;;) {
        auto row = titles->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        SearchHit h;
        h.conversationId = titles->int64(0);
        h.title = titles->text(1);
        h.rank = titles->real(2) * 2.0;  // a title match counts double (bm25 is negative)
        byConversation.emplace(h.conversationId, hits.size());
        hits.push_back(std::move(h));
    }

    // Answers only: a column filter keeps the reasoning column out of the match.
    const QString messageQuery =
        options.includeReasoning ? terms : QStringLiteral("{content} : (") + terms + QLatin1Char(')');
    auto messages = m_db.statement(kSqlSearchMessages);
    if (!messages)
        return messages.error();
    // Many messages of one conversation may match; fetch more rows than conversations wanted.
    messages->bind(1, messageQuery)
        .bind(2, options.highlightOpen)
        .bind(3, options.highlightClose)
        .bind(4, options.limit * 4)
        .bind(5, options.snippetTokens);
    for (;;) {
        auto row = messages->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        const qint64 conv = messages->int64(0);
        auto it = byConversation.find(conv);
        if (it != byConversation.end()) {
            SearchHit& h = hits[it->second];
            if (h.snippet.isEmpty()) {  // rows come best first: keep the first snippet
                h.snippet = messages->text(2);
                h.messageId = messages->int64(1);
                h.rank = std::min(h.rank, messages->real(3)) + h.rank * 0.5;
            }
            continue;
        }
        SearchHit h;
        h.conversationId = conv;
        h.messageId = messages->int64(1);
        h.snippet = messages->text(2);
        h.rank = messages->real(3);
        h.title = messages->text(4);
        byConversation.emplace(conv, hits.size());
        hits.push_back(std::move(h));
    }
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.rank < b.rank; });
    if (int(hits.size()) > options.limit)
        hits.resize(size_t(options.limit));
    return hits;
}

}  // namespace tiefsee::store
