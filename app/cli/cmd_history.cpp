// tiefsee-cli history: the conversation database from a terminal, the same file the
// app uses (or --db PATH).
//   history list                              id, pinned mark, updated time, title
//   history search QUERY [--reasoning]        id, title and a snippet per match ([word] marks hits)
//   history export ID --format md|json [--tree] [--output FILE]   active path, or --tree for all branches
//   history export-all FILE                   every conversation into one JSON file
//   history import FILE                       prints the new conversation id(s), one per line
#include "arg_parser.h"
#include "cli_command.h"
#include "store/conversation_store.h"
#include "store/export_import.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <iostream>

namespace tiefsee::cli {
namespace {

using namespace tiefsee::store;

constexpr std::string_view kName = "history";

std::string utf8(const QString& s) { return s.toStdString(); }

Result<void> writeFile(const QString& path, const QByteArray& data)
{
    QSaveFile file(path);  // written to a temporary and renamed: never a half file
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return makeError(ErrorKind::Io, "Could not write " + utf8(path) + ": " + utf8(file.errorString()));
    return {};
}

int runList(ConversationStore& store)
{
    auto list = store.listConversations();
    if (!list)
        return fail(kName, list.error().message);
    for (const ConversationSummary& s : *list) {
        std::cout << s.id << "\t" << (s.pinned ? "*" : " ") << "\t"
                  << utf8(QDateTime::fromMSecsSinceEpoch(s.updatedMs).toString(QStringLiteral("yyyy-MM-dd hh:mm")))
                  << "\t" << utf8(s.title) << "\n";
    }
    return kExitOk;
}

int runSearch(ConversationStore& store, const QString& query, bool reasoning)
{
    SearchOptions options;
    options.includeReasoning = reasoning;
    auto hits = store.search(query, options);
    if (!hits)
        return fail(kName, hits.error().message);
    for (const SearchHit& h : *hits) {
        std::cout << h.conversationId << "\t" << utf8(h.title) << "\n";
        if (!h.snippet.isEmpty())
            std::cout << "\t" << utf8(h.snippet.simplified()) << "\n";
    }
    if (hits->empty())
        std::cerr << "no matches\n";
    return kExitOk;
}

int runExport(ConversationStore& store, const std::string& idText, const std::string& format, bool tree,
              const std::optional<std::string>& output)
{
    bool ok = false;
    const qint64 id = QString::fromStdString(idText).toLongLong(&ok);
    if (!ok || id <= 0)
        return fail(kName, "'" + idText + "' is not a conversation id (see 'history list')", kExitUsage);
    const ExportScope scope = tree ? ExportScope::WholeTree : ExportScope::ActivePath;
    QByteArray data;
    if (format == "json") {
        auto json = exportConversationJson(store, id, scope);
        if (!json)
            return fail(kName, json.error().message);
        data = *json;
    } else if (format == "md" || format == "markdown") {
        auto md = exportConversationMarkdown(store, id, scope);
        if (!md)
            return fail(kName, md.error().message);
        data = md->toUtf8();
    } else {
        return fail(kName, "--format must be md or json", kExitUsage);
    }
    if (output) {
        if (auto r = writeFile(QString::fromStdString(*output), data); !r)
            return fail(kName, r.error().message);
    } else {
        std::cout.write(data.constData(), data.size());
    }
    return kExitOk;
}

int runHistory(const Args& args)
{
    ArgParser p(args);
    const auto db = p.value("--db");
    const auto format = p.value("--format", "-f");
    const auto output = p.value("--output", "-o");
    const bool tree = p.flag("--tree");
    const bool reasoning = p.flag("--reasoning");
    if (auto err = p.finish(1, 2))
        return fail(kName, *err, kExitUsage);
    const auto& pos = p.positional();
    const std::string& action = pos[0];
    const bool needsArg = action == "search" || action == "export" || action == "export-all" || action == "import";
    if (action != "list" && !needsArg)
        return fail(kName, "unknown action '" + action + "' (list, search, export, export-all, import)", kExitUsage);
    if (needsArg != (pos.size() == 2))
        return fail(kName, needsArg ? "'" + action + "' needs an argument" : "'list' takes no argument", kExitUsage);

    const QString path = db ? QString::fromStdString(*db) : ConversationStore::defaultPath();
    auto opened = ConversationStore::open(path);
    if (!opened)
        return fail(kName, opened.error().message);
    if (!opened->movedAsideTo.isEmpty())
        std::cerr << "tiefsee-cli history: the database was damaged and was moved to " << utf8(opened->movedAsideTo)
                  << "; a new empty one was created.\n";
    ConversationStore& store = *opened->store;

    if (action == "list")
        return runList(store);
    const QString arg = QString::fromStdString(pos[1]);
    if (action == "search")
        return runSearch(store, arg, reasoning);
    if (action == "export")
        return runExport(store, pos[1], format.value_or("md"), tree, output);
    if (action == "export-all") {
        auto json = exportAllJson(store);
        if (!json)
            return fail(kName, json.error().message);
        if (auto r = writeFile(arg, *json); !r)
            return fail(kName, r.error().message);
        return kExitOk;
    }
    // import
    QFile file(arg);
    if (!file.open(QIODevice::ReadOnly))
        return fail(kName, "cannot read " + pos[1] + ": " + utf8(file.errorString()));
    auto ids = importJson(store, file.readAll());
    if (!ids)
        return fail(kName, ids.error().message);
    for (qint64 id : *ids)
        std::cout << id << "\n";
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName,
                    "history [--db PATH] list | search QUERY [--reasoning] | export ID --format md|json [--tree] "
                    "[--output FILE] | export-all FILE | import FILE",
                    "lists, searches, exports and imports the saved conversations", &runHistory);

}  // namespace tiefsee::cli
