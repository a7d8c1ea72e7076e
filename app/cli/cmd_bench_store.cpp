// tiefsee-cli bench-store: how the conversation store scales. Fills a database with
// synthetic conversations (deterministic pseudo-words with a Zipf-like frequency, so
// searches hit common, medium and rare words) and reports:
//   - insert rate, batched (one transaction per conversation, like an import) and
//     one commit per message (what the chat does), messages/s
//   - opening the store (pragmas + quick_check + schema check), ms
//   - loading the conversation list (what the sidebar does at start), ms
//   - loading one conversation's active path, ms
//   - search latency for several kinds of queries, median ms
// Without --db it works in a temporary folder that is removed afterwards.
#include "arg_parser.h"
#include "cli_command.h"
#include "store/conversation_list_model.h"
#include "store/conversation_store.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <iostream>
#include <random>

namespace tiefsee::cli {
namespace {

using namespace tiefsee::store;

constexpr std::string_view kName = "bench-store";

class TextGenerator {
public:
    explicit TextGenerator(unsigned seed) : m_rng(seed)
    {
        static const char* syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "qu", "ze", "bra",
                                          "del", "fin", "gor", "hel", "ist", "jun", "kor", "lum", "mar"};
        std::uniform_int_distribution<int> pick(0, 19), length(2, 4);
        while (m_vocab.size() < 5000) {
            QString w;
            for (int i = length(m_rng); i > 0; --i)
                w += QLatin1String(syllables[pick(m_rng)]);
            if (std::find(m_vocab.begin(), m_vocab.end(), w) == m_vocab.end())
                m_vocab.push_back(w);
        }
    }
    // Word i of the vocabulary; low i are frequent.
    const QString& word(size_t i) const { return m_vocab[i]; }
    QString sentence(int minWords, int maxWords)
    {
        std::uniform_int_distribution<int> n(minWords, maxWords);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        QString s;
        for (int i = n(m_rng); i > 0; --i) {
            const double x = u(m_rng);
            s += m_vocab[size_t(double(m_vocab.size() - 1) * x * x * x)];  // Zipf-like: cubic skew
            s += i % 9 == 0 ? QStringLiteral(". ") : QStringLiteral(" ");
        }
        return s.trimmed();
    }

private:
    std::mt19937 m_rng;
    std::vector<QString> m_vocab;
};

// Wall time and this process's CPU time. On a shared, busy machine the wall time
// includes waiting for a core; the CPU time is what the store itself costs.
class Timer {
public:
    Timer() { restart(); }
    void restart()
    {
        m_wall.start();
        m_cpu = std::clock();
    }
    double wallMs() const { return double(m_wall.nsecsElapsed()) / 1e6; }
    double cpuMs() const { return double(std::clock() - m_cpu) * 1000.0 / CLOCKS_PER_SEC; }

private:
    QElapsedTimer m_wall;
    std::clock_t m_cpu;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

int runBench(const Args& args)
{
    ArgParser p(args);
    const auto dbArg = p.value("--db");
    const long long conversations = p.intValue("--conversations").value_or(10000);
    const long long messages = p.intValue("--messages").value_or(200000);
    if (auto err = p.finish())
        return fail(kName, *err, kExitUsage);
    if (conversations <= 0 || messages < conversations)
        return fail(kName, "need --conversations > 0 and --messages >= --conversations", kExitUsage);

    QTemporaryDir tmp;
    const QString path = dbArg ? QString::fromStdString(*dbArg) : tmp.filePath(QStringLiteral("bench.sqlite"));
    auto opened = ConversationStore::open(path);
    if (!opened)
        return fail(kName, opened.error().message);
    auto store = std::move(opened->store);
    TextGenerator text(42);
    const long long perConversation = messages / conversations;
    std::printf("database: %s\nfilling %lld conversations x %lld messages...\n", path.toUtf8().constData(),
                conversations, perConversation);

    // ---- batched insert: one transaction per conversation
    Timer t;
    long long inserted = 0;
    for (long long c = 0; c < conversations; ++c) {
        auto tx = store->beginBatch();
        if (!tx)
            return fail(kName, tx.error().message);
        Conversation conv;
        conv.model = QStringLiteral("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M");
        conv.pinned = c % 500 == 0;
        auto id = store->createConversation(conv);
        if (!id)
            return fail(kName, id.error().message);
        qint64 parent = 0;
        for (long long m = 0; m < perConversation; ++m) {
            NewMessage msg;
            msg.role = m % 2 == 0 ? Role::User : Role::Assistant;
            msg.content = msg.role == Role::User ? text.sentence(8, 30) : text.sentence(30, 80);
            if (msg.role == Role::Assistant) {
                msg.reasoning = text.sentence(20, 60);
                msg.generatedTokens = 200;
                msg.tokensPerSecond = 42.0;
                msg.thinkingMs = 1500;
            }
            auto mid = store->appendMessage(*id, parent, msg);
            if (!mid)
                return fail(kName, mid.error().message);
            parent = *mid;
            ++inserted;
        }
        if (auto r = tx->commit(); !r)
            return fail(kName, r.error().message);
    }
    const double batchedMs = t.wallMs(), batchedCpu = t.cpuMs();

    // ---- one commit per message, as during a chat (WAL, synchronous=NORMAL)
    const int singles = 2000;
    auto conv = store->createConversation({});
    if (!conv)
        return fail(kName, conv.error().message);
    t.restart();
    qint64 parent = 0;
    for (int i = 0; i < singles; ++i) {
        NewMessage msg;
        msg.role = i % 2 == 0 ? Role::User : Role::Assistant;
        msg.content = text.sentence(10, 40);
        auto mid = store->appendMessage(*conv, parent, msg);
        if (!mid)
            return fail(kName, mid.error().message);
        parent = *mid;
    }
    const double singleMs = t.wallMs(), singleCpu = t.cpuMs();
    store.reset();  // close before timing the open

    // ---- open, list, path
    t.restart();
    opened = ConversationStore::open(path);
    if (!opened)
        return fail(kName, opened.error().message);
    const double openMs = t.wallMs(), openCpu = t.cpuMs();
    store = std::move(opened->store);

    std::vector<double> listTimes, listCpu, pathTimes;
    for (int i = 0; i < 7; ++i) {
        ConversationListModel model;
        t.restart();
        model.setStore(store.get());
        listTimes.push_back(t.wallMs());
        listCpu.push_back(t.cpuMs());
        if (model.count() < conversations)
            return fail(kName, "the list model shows fewer conversations than were inserted");
        t.restart();
        auto path = store->activePath(model.idAt(int(model.count() / 2)));
        pathTimes.push_back(t.wallMs());
        if (!path)
            return fail(kName, path.error().message);
    }

    std::printf("\ninserted %lld messages in %lld conversations\n", inserted, conversations);
    std::printf("                                             wall           CPU\n");
    std::printf("insert, one transaction per conversation : %8.0f msg/s  %8.0f msg/s  (%.1f s wall)\n",
                double(inserted) / (batchedMs / 1000.0), double(inserted) / (batchedCpu / 1000.0), batchedMs / 1000.0);
    std::printf("insert, one commit per message           : %8.0f msg/s  %8.0f msg/s  (%d messages)\n",
                singles / (singleMs / 1000.0), singles / (singleCpu / 1000.0), singles);
    std::printf("open store (pragmas, quick_check, schema) : %8.1f ms     %8.1f ms\n", openMs, openCpu);
    std::printf("conversation list model load (median of 7): %8.1f ms     %8.1f ms  (%lld rows)\n", median(listTimes),
                median(listCpu), conversations + 1);
    std::printf("active path of one conversation (median)  : %8.2f ms\n", median(pathTimes));

    // ---- search latency
    struct Query {
        const char* label;
        QString text;
        bool reasoning;
    };
    const std::vector<Query> queries = {
        {"common word", text.word(0), false},
        {"medium word", text.word(300), false},
        {"rare word", text.word(4900), false},
        {"two words", text.word(40) + QLatin1Char(' ') + text.word(900), false},
        {"prefix", text.word(700).left(4), false},
        {"with reasoning", text.word(300), true},
    };
    std::printf("\nsearch (50 conversations max, median of 9 runs): wall, CPU\n");
    for (const Query& q : queries) {
        std::vector<double> times, cpu;
        size_t found = 0;
        for (int i = 0; i < 9; ++i) {
            SearchOptions options;
            options.includeReasoning = q.reasoning;
            t.restart();
            auto hits = store->search(q.text, options);
            times.push_back(t.wallMs());
            cpu.push_back(t.cpuMs());
            if (!hits)
                return fail(kName, hits.error().message);
            found = hits->size();
        }
        std::printf("  %-15s %-22s %8.2f ms %8.2f ms  (%zu hits)\n", q.label, q.text.toUtf8().constData(),
                    median(times), median(cpu), found);
    }
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName, "bench-store [--db PATH] [--conversations 10000] [--messages 200000]",
                    "measures the conversation store: insert rate, open and list time, search latency", &runBench);

}  // namespace tiefsee::cli
