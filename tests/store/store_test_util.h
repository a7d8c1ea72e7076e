// Helpers shared by the store tests: a fresh database in a temporary folder.
#pragma once

#include "store/conversation_store.h"

#include <QTemporaryDir>
#include <QTest>

namespace tiefsee::store::test {

// Opens (creating) a store at `path`; fails the current test on error.
inline std::unique_ptr<ConversationStore> openStore(const QString& path)
{
    auto opened = ConversationStore::open(path);
    if (!opened) {
        qWarning("open failed: %s", opened.error().message.c_str());
        return nullptr;
    }
    return std::move(opened->store);
}

inline NewMessage userMessage(const QString& text)
{
    NewMessage m;
    m.role = Role::User;
    m.content = text;
    return m;
}

inline NewMessage assistantMessage(const QString& text, const QString& reasoning = {})
{
    NewMessage m;
    m.role = Role::Assistant;
    m.content = text;
    m.reasoning = reasoning;
    m.model = QStringLiteral("test-model");
    return m;
}

}  // namespace tiefsee::store::test

// QVERIFY for Result: prints the error message on failure.
#define STORE_VERIFY(expr)                                                                   \
    do {                                                                                     \
        const auto& r_ = (expr);                                                             \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                        \
    } while (0)
