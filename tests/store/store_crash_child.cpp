// Child process of tst_store_crash: writes conversations to the database given as
// argv[1] as fast as the app would, forever, and reports on stdout what is durable:
//   conv ID            a conversation was committed
//   msg ID             a message was committed (user message, empty reply)
//   saved ID LENGTH    the reply's content of LENGTH UTF-16 units was committed
//   done ID LENGTH     the reply was finalized (status complete)
// Each line is written with one write(2) after the commit returned, so a line the
// parent has read is a promise the database must keep after SIGKILL.
#include "store/conversation_store.h"
#include "store/streaming_reply.h"

#include <QCoreApplication>
#include <QThread>

#include <cstdio>
#include <random>
#include <string>
#include <unistd.h>

using namespace tiefsee::store;

static void report(const std::string& line)
{
    const std::string l = line + "\n";
    (void)!::write(STDOUT_FILENO, l.data(), l.size());
}

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: store_crash_child DB SEED\n");
        return 2;
    }
    auto opened = ConversationStore::open(QString::fromLocal8Bit(argv[1]));
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    if (!opened->movedAsideTo.isEmpty()) {
        std::fprintf(stderr, "database was damaged, moved to %s\n", qPrintable(opened->movedAsideTo));
        return 3;
    }
    ConversationStore& store = *opened->store;
    (void)store.markInterruptedReplies();
    std::mt19937 rng(unsigned(std::stoul(argv[2])));
    std::uniform_int_distribution<int> words(1, 6), pauseUs(0, 300);
    for (int turn = 0;; ++turn) {
        auto conv = store.createConversation({});
        if (!conv)
            return 1;
        report("conv " + std::to_string(*conv));
        qint64 parent = 0;
        for (int exchange = 0; exchange < 3; ++exchange) {
            NewMessage user;
            user.content = QStringLiteral("Question %1 of turn %2 about the deep sea").arg(exchange).arg(turn);
            auto u = store.appendMessage(*conv, parent, user);
            if (!u)
                return 1;
            report("msg " + std::to_string(*u));
            auto reply = store.beginReply(*conv, *u, QStringLiteral("crash-model"));
            if (!reply)
                return 1;
            report("msg " + std::to_string(*reply));
            // Save every 3 ms instead of every second so kills land between many saves.
            StreamingReply writer(store, *reply, 3);
            qsizetype saved = 0;
            for (int piece = 0; piece < 60; ++piece) {
                writer.appendReasoning(QStringLiteral("hmm "));
                writer.appendContent(QStringLiteral("token%1 ").arg(piece).repeated(words(rng)));
                if (writer.savedContentSize() != saved) {
                    saved = writer.savedContentSize();
                    report("saved " + std::to_string(*reply) + " " + std::to_string(saved));
                }
                QThread::usleep(static_cast<unsigned long>(pauseUs(rng)));
            }
            if (!writer.finish(MessageStatus::Complete))
                return 1;
            report("done " + std::to_string(*reply) + " " + std::to_string(writer.state().content.size()));
            parent = *reply;
        }
    }
}
