// The demo conversations shown in the documentation screenshots (`tiefsee --screenshot`):
// a short chat with a finished answer (Markdown, a code block, collapsed reasoning) and a
// few older titles for the sidebar. The random-weight test model can't write such an
// answer, so the screenshot runner imports these instead of generating.
#pragma once

#include <QString>

namespace tiefsee::ui {

// A "tiefsee-export" JSON document (store/export_import.h) with the demo conversations;
// the one to open (the chat) is the first. Times are relative to `nowMs` (ms since the epoch, UTC).
QString demoConversationsJson(qint64 nowMs);

}  // namespace tiefsee::ui
