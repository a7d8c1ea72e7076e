// Stop strings in streamed text: holds back the text that could be the start of a
// stop string (so it is never shown and then retracted) and cuts the reply at the
// first full match. Threads: one matcher per reply, one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::chat {

class StopStringMatcher {
public:
    explicit StopStringMatcher(std::vector<std::string> stops);  // empty strings never match

    struct Output {
        std::string text;      // safe to show now (everything before a match)
        bool stopped = false;  // a stop string matched; the reply ends here
        size_t which = 0;      // index (in the constructor's list) of the string that matched
    };
    // Feeds the next piece of text. After a stop, further input is ignored.
    Output feed(std::string_view text);
    // End of the reply: the held-back text (it did not become a stop string).
    std::string flush();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stops;
    std::string m_held;  // suffix that is a proper prefix of some stop string
    bool m_stopped = false;
};

}  // namespace tiefsee::chat
