#include "arg_parser.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace tiefsee::cli {

ArgParser::ArgParser(std::vector<std::string> args) : m_args(std::move(args)), m_used(m_args.size(), false) {}

bool ArgParser::flag(std::string_view name, std::string_view alias)
{
    bool found = false;
    for (size_t i = 0; i < m_args.size(); ++i) {
        if (!m_used[i] && (m_args[i] == name || (!alias.empty() && m_args[i] == alias))) {
            m_used[i] = true;
            found = true;
        }
    }
    return found;
}

std::optional<std::string> ArgParser::value(std::string_view name, std::string_view alias)
{
    auto all = values(name, alias);
    if (all.empty())
        return std::nullopt;
    return all.back();
}

std::vector<std::string> ArgParser::values(std::string_view name, std::string_view alias)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < m_args.size(); ++i) {
        if (m_used[i])
            continue;
        const std::string& a = m_args[i];
        for (std::string_view n : {name, alias}) {
            if (n.empty())
                continue;
            if (a == n) {
                m_used[i] = true;
                if (i + 1 >= m_args.size()) {
                    m_error = std::string(n) + " needs a value";
                } else {
                    m_used[i + 1] = true;
                    out.push_back(m_args[i + 1]);
                    ++i;
                }
                break;
            }
            if (a.size() > n.size() && a.compare(0, n.size(), n) == 0 && a[n.size()] == '=') {
                m_used[i] = true;
                out.push_back(a.substr(n.size() + 1));
                break;
            }
        }
    }
    return out;
}

std::optional<long long> ArgParser::intValue(std::string_view name, std::string_view alias)
{
    auto v = value(name, alias);
    if (!v)
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || errno == ERANGE) {
        m_error = std::string(name) + " expects an integer, got '" + *v + "'";
        return std::nullopt;
    }
    return n;
}

std::optional<double> ArgParser::doubleValue(std::string_view name, std::string_view alias)
{
    auto v = value(name, alias);
    if (!v)
        return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0') {
        m_error = std::string(name) + " expects a number, got '" + *v + "'";
        return std::nullopt;
    }
    return d;
}

std::optional<std::string> ArgParser::finish(size_t minPositional, size_t maxPositional)
{
    if (!m_error.empty())
        return m_error;
    m_positional.clear();
    for (size_t i = 0; i < m_args.size(); ++i) {
        if (m_used[i])
            continue;
        const std::string& a = m_args[i];
        if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')))
            return "unknown option " + a;
        m_positional.push_back(a);
    }
    if (m_positional.size() < minPositional)
        return "missing argument";
    if (m_positional.size() > maxPositional)
        return "unexpected argument '" + m_positional[maxPositional] + "'";
    return std::nullopt;
}

}  // namespace tiefsee::cli
