// A small command-line parser for subcommands: options are looked up by name and
// consumed; whatever is left must be positional, so typos are reported.
//
//   ArgParser p(args);
//   auto model = p.value("--model", "-m");
//   bool json = p.flag("--json");
//   if (auto err = p.finish(1, 1)) return fail("info", *err, kExitUsage);
//   std::string file = p.positional()[0];
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::cli {

class ArgParser {
public:
    explicit ArgParser(std::vector<std::string> args);

    // True if `name` (or `alias`) appears; consumes it.
    bool flag(std::string_view name, std::string_view alias = {});
    // The value of `--name VALUE` or `--name=VALUE`; consumes both. The last one wins.
    std::optional<std::string> value(std::string_view name, std::string_view alias = {});
    // Every occurrence of a repeatable option, in order.
    std::vector<std::string> values(std::string_view name, std::string_view alias = {});
    // Parsed numeric values; a malformed number is remembered as an error for finish().
    std::optional<long long> intValue(std::string_view name, std::string_view alias = {});
    std::optional<double> doubleValue(std::string_view name, std::string_view alias = {});

    // Checks that no unknown options remain and that the positional count is within
    // [minPositional, maxPositional]; returns an error message otherwise.
    std::optional<std::string> finish(size_t minPositional = 0, size_t maxPositional = 0);
    // Arguments not consumed as options, in order (valid after finish()).
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::vector<std::string> m_args;
    std::vector<bool> m_used;
    std::vector<std::string> m_positional;
    std::string m_error;
};

}  // namespace tiefsee::cli
