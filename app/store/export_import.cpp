#include "store/export_import.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <unordered_map>

namespace tiefsee::store {
namespace {

constexpr const char* kFormatConversation = "tiefsee-conversation";
constexpr const char* kFormatAll = "tiefsee-export";
constexpr int kFormatVersion = 1;

QJsonValue idOrNull(qint64 id) { return id ? QJsonValue(double(id)) : QJsonValue(QJsonValue::Null); }

QString isoTime(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms).toString(Qt::ISODate); }

Error badFile(const std::string& why) { return makeError(ErrorKind::InvalidInput, "Not a Tiefsee export: " + why); }

}  // namespace

QJsonObject conversationToJson(const ConversationTree& tree)
{
    const Conversation& c = tree.conversation;
    QJsonObject conv{{"title", c.title},
                     {"created", double(c.createdMs)},
                     {"updated", double(c.updatedMs)},
                     {"pinned", c.pinned},
                     {"model", c.model},
                     {"systemPrompt", c.systemPrompt},
                     {"settings", QJsonDocument::fromJson(c.settingsJson.toUtf8()).object()},
                     {"activeLeaf", idOrNull(c.activeLeafId)}};
    QJsonArray messages;
    for (const Message& m : tree.messages) {
        messages.append(QJsonObject{{"id", double(m.id)},
                                    {"parent", idOrNull(m.parentId)},
                                    {"role", roleName(m.role)},
                                    {"content", m.content},
                                    {"reasoning", m.reasoning},
                                    {"thinkingMs", double(m.thinkingMs)},
                                    {"promptTokens", m.promptTokens},
                                    {"generatedTokens", m.generatedTokens},
                                    {"tokensPerSecond", m.tokensPerSecond},
                                    {"model", m.model},
                                    {"created", double(m.createdMs)},
                                    {"status", statusName(m.status)}});
    }
    return QJsonObject{{"format", kFormatConversation}, {"version", kFormatVersion}, {"conversation", conv},
                       {"messages", messages}};
}

Result<ConversationTree> conversationFromJson(const QJsonObject& object)
{
    if (object.value("format").toString() != QLatin1String(kFormatConversation))
        return badFile("the \"format\" field is not \"tiefsee-conversation\".");
    if (object.value("version").toInt() > kFormatVersion)
        return badFile("the file was written by a newer Tiefsee (format version " +
                       std::to_string(object.value("version").toInt()) + ").");
    const QJsonObject conv = object.value("conversation").toObject();
    ConversationTree t;
    Conversation& c = t.conversation;
    c.title = conv.value("title").toString();
    c.createdMs = qint64(conv.value("created").toDouble());
    c.updatedMs = qint64(conv.value("updated").toDouble());
    c.pinned = conv.value("pinned").toBool();
    c.model = conv.value("model").toString();
    c.systemPrompt = conv.value("systemPrompt").toString();
    c.settingsJson = QString::fromUtf8(QJsonDocument(conv.value("settings").toObject()).toJson(QJsonDocument::Compact));
    c.activeLeafId = qint64(conv.value("activeLeaf").toDouble());
    for (const QJsonValue& v : object.value("messages").toArray()) {
        const QJsonObject o = v.toObject();
        Message m;
        m.id = qint64(o.value("id").toDouble());
        if (m.id <= 0)
            return badFile("a message has no valid \"id\".");
        m.parentId = qint64(o.value("parent").toDouble());
        auto role = roleFromName(o.value("role").toString());
        if (!role)
            return badFile("message " + std::to_string(m.id) + " has an unknown role.");
        m.role = *role;
        m.content = o.value("content").toString();
        m.reasoning = o.value("reasoning").toString();
        m.thinkingMs = qint64(o.value("thinkingMs").toDouble());
        m.promptTokens = o.value("promptTokens").toInt();
        m.generatedTokens = o.value("generatedTokens").toInt();
        m.tokensPerSecond = o.value("tokensPerSecond").toDouble();
        m.model = o.value("model").toString();
        m.createdMs = qint64(o.value("created").toDouble());
        m.status = statusFromName(o.value("status").toString()).value_or(MessageStatus::Complete);
        t.messages.push_back(std::move(m));
    }
    return t;
}

QString conversationToMarkdown(const ConversationTree& tree, ExportScope scope)
{
    const Conversation& c = tree.conversation;
    QString md = QStringLiteral("# ") + (c.title.isEmpty() ? QStringLiteral("Untitled conversation") : c.title) +
                 QStringLiteral("\n\n");
    md += QStringLiteral("*Created %1").arg(isoTime(c.createdMs));
    if (!c.model.isEmpty())
        md += QStringLiteral(" · model %1").arg(c.model);
    md += QStringLiteral("*\n\n");
    if (!c.systemPrompt.isEmpty())
        md += QStringLiteral("> System prompt: ") + QString(c.systemPrompt).replace('\n', QStringLiteral("\n> ")) +
              QStringLiteral("\n\n");

    std::unordered_map<qint64, int> number;  // message id → its number in this export (1-based)
    for (const Message& m : tree.messages) {
        const int n = int(number.size()) + 1;
        number[m.id] = n;
        QString heading = m.role == Role::User        ? QStringLiteral("You")
                          : m.role == Role::Assistant ? QStringLiteral("Tiefsee")
                                                      : QStringLiteral("System");
        if (m.role == Role::Assistant && !m.model.isEmpty())
            heading += QStringLiteral(" (%1)").arg(m.model);
        if (scope == ExportScope::WholeTree) {
            heading = QStringLiteral("%1. %2").arg(n).arg(heading);
            if (m.parentId && number.count(m.parentId))
                heading += QStringLiteral(" — reply to %1").arg(number[m.parentId]);
        }
        md += QStringLiteral("## ") + heading + QStringLiteral("\n\n");
        if (!m.reasoning.isEmpty()) {
            md += QStringLiteral("<details><summary>Thinking (%1 s)</summary>\n\n")
                      .arg(double(m.thinkingMs) / 1000.0, 0, 'f', 1);
            md += m.reasoning.trimmed() + QStringLiteral("\n\n</details>\n\n");
        }
        md += m.content.trimmed() + QStringLiteral("\n\n");
        if (m.status == MessageStatus::Stopped)
            md += QStringLiteral("*(stopped)*\n\n");
        else if (m.status == MessageStatus::Failed)
            md += QStringLiteral("*(failed)*\n\n");
    }
    return md;
}

Result<QByteArray> exportConversationJson(ConversationStore& store, qint64 id, ExportScope scope)
{
    auto tree = store.tree(id, scope == ExportScope::ActivePath);
    if (!tree)
        return tree.error();
    return QJsonDocument(conversationToJson(*tree)).toJson(QJsonDocument::Indented);
}

Result<QString> exportConversationMarkdown(ConversationStore& store, qint64 id, ExportScope scope)
{
    auto tree = store.tree(id, scope == ExportScope::ActivePath);
    if (!tree)
        return tree.error();
    return conversationToMarkdown(*tree, scope);
}

Result<QByteArray> exportAllJson(ConversationStore& store)
{
    auto list = store.listConversations();
    if (!list)
        return list.error();
    QJsonArray all;
    for (const ConversationSummary& s : *list) {
        auto tree = store.tree(s.id, false);
        if (!tree)
            return tree.error();
        all.append(conversationToJson(*tree));
    }
    return QJsonDocument(QJsonObject{{"format", kFormatAll}, {"version", kFormatVersion}, {"conversations", all}})
        .toJson(QJsonDocument::Indented);
}

Result<std::vector<qint64>> importJson(ConversationStore& store, const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return badFile("the JSON is malformed (" + parseError.errorString().toStdString() + " at byte " +
                       std::to_string(parseError.offset) + ").");
    const QJsonObject root = doc.object();
    std::vector<ConversationTree> trees;
    if (root.value("format").toString() == QLatin1String(kFormatAll)) {
        for (const QJsonValue& v : root.value("conversations").toArray()) {
            auto t = conversationFromJson(v.toObject());
            if (!t)
                return t.error();
            trees.push_back(std::move(*t));
        }
    } else {
        auto t = conversationFromJson(root);
        if (!t)
            return t.error();
        trees.push_back(std::move(*t));
    }
    auto tx = store.beginBatch();
    if (!tx)
        return tx.error();
    std::vector<qint64> ids;
    for (const ConversationTree& t : trees) {
        auto id = store.importTree(t);
        if (!id)
            return id.error();
        ids.push_back(*id);
    }
    if (auto r = tx->commit(); !r)
        return r.error();
    return ids;
}

}  // namespace tiefsee::store
