#include "chat/stop_strings.h"

#include <algorithm>

namespace tiefsee::chat {

StopStringMatcher::StopStringMatcher(std::vector<std::string> stops) : m_stops(std::move(stops)) {}

StopStringMatcher::Output StopStringMatcher::feed(std::string_view text)
{
    Output out;
    if (m_stopped) return out;
    m_held += text;
    // Earliest full match of any stop string.
    size_t first = std::string::npos;
    for (size_t i = 0; i < m_stops.size(); ++i) {
        const size_t at = m_stops[i].empty() ? std::string::npos : m_held.find(m_stops[i]);
        if (at < first) {
            first = at;
            out.which = i;
        }
    }
    if (first != std::string::npos) {
        out.text = m_held.substr(0, first);
        out.stopped = m_stopped = true;
        m_held.clear();
        return out;
    }
    // Longest suffix of the buffer that a stop string starts with: keep it back.
    size_t keep = 0;
    for (const std::string& s : m_stops) {
        if (s.empty()) continue;
        for (size_t k = std::min(s.size() - 1, m_held.size()); k > keep; --k) {
            if (std::string_view(m_held).substr(m_held.size() - k) == std::string_view(s).substr(0, k)) {
                keep = k;
                break;
            }
        }
    }
    out.text = m_held.substr(0, m_held.size() - keep);
    m_held.erase(0, m_held.size() - keep);
    return out;
}

std::string StopStringMatcher::flush()
{
    std::string rest = m_stopped ? std::string{} : std::move(m_held);
    m_held.clear();
    return rest;
}

}  // namespace tiefsee::chat
