// Demo conversations (see demo_conversation.h).
#include "demo_conversation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tiefsee::ui {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;
const char* const kModel = "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M";

QJsonObject message(int id, int parent, const char* role, const QString& content, qint64 created)
{
    QJsonObject m{{"id", id}, {"role", role}, {"content", content}, {"created", double(created)}, {"status", "complete"}};
    m["parent"] = parent > 0 ? QJsonValue(parent) : QJsonValue();
    return m;
}

QJsonObject answer(int id, int parent, const QString& content, const QString& reasoning, qint64 thinkingMs,
                   int tokens, double tokensPerSecond, qint64 created)
{
    QJsonObject m = message(id, parent, "assistant", content, created);
    m["reasoning"] = reasoning;
    m["thinkingMs"] = double(thinkingMs);
    m["generatedTokens"] = tokens;
    m["tokensPerSecond"] = tokensPerSecond;
    m["model"] = kModel;
    return m;
}

// A conversation of one question and its answer.
QJsonObject conversation(const QString& title, qint64 created, const QString& question, const QString& reply,
                         const QString& reasoning, qint64 thinkingMs, int tokens)
{
    QJsonObject c{{"title", title}, {"created", double(created)}, {"updated", double(created + kMinuteMs)},
                  {"model", kModel}, {"activeLeaf", 2}};
    QJsonArray messages{message(1, 0, "user", question, created),
                        answer(2, 1, reply, reasoning, thinkingMs, tokens, 38.4, created + kMinuteMs)};
    return QJsonObject{{"format", "tiefsee-conversation"}, {"version", 1}, {"conversation", c}, {"messages", messages}};
}

}  // namespace

QString demoConversationsJson(qint64 nowMs)
{
    QJsonArray all;
    all.append(conversation(QStringLiteral("Binary search in Python"), nowMs - 3 * 60 * kMinuteMs,
                            QStringLiteral("Write a binary search in Python and tell me its cost."),
                            QStringLiteral(
                                "## Binary search\n\n"
                                "Binary search halves the range that can still hold the value at every step, "
                                "so a sorted list of **n** items needs at most `log2(n) + 1` comparisons.\n\n"
                                "```python\n"
                                "def binary_search(items, target):\n"
                                "    lo, hi = 0, len(items) - 1\n"
                                "    while lo <= hi:\n"
                                "        mid = (lo + hi) // 2\n"
                                "        if items[mid] == target:\n"
                                "            return mid\n"
                                "        if items[mid] < target:\n"
                                "            lo = mid + 1\n"
                                "        else:\n"
                                "            hi = mid - 1\n"
                                "    return -1\n"
                                "```\n\n"
                                "- **Time:** O(log n): a million items take about 20 steps.\n"
                                "- **Space:** O(1): only two indices.\n"
                                "- The list must be **sorted**; otherwise use a linear scan."),
                            QStringLiteral(
                                "The user wants code and the complexity. Iterative is clearer than recursive "
                                "and needs no stack. Keep lo and hi inclusive, stop when they cross, return -1 "
                                "when the value is missing. Cost: the range halves each step, so log2(n)."),
                            12000, 286));
    all.append(conversation(QStringLiteral("Sourdough starter schedule"), nowMs - 6 * kDayMs,
                            QStringLiteral("How often should I feed a sourdough starter kept in the fridge?"),
                            QStringLiteral("Once a week is enough for a starter kept in the fridge."),
                            QStringLiteral("Cold slows the yeast down."), 4000, 120));
    all.append(conversation(QStringLiteral("Rust lifetimes, explained"), nowMs - 2 * kDayMs,
                            QStringLiteral("Explain Rust lifetimes with one small example."),
                            QStringLiteral("A lifetime names how long a reference stays valid."),
                            QStringLiteral("Start from borrowing."), 9000, 310));
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{"format", "tiefsee-export"}, {"version", 1}, {"conversations", all}})
            .toJson(QJsonDocument::Compact));
}

}  // namespace tiefsee::ui
