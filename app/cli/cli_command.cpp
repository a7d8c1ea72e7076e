#include "cli_command.h"

#include <algorithm>
#include <iostream>

namespace tiefsee::cli {
namespace {

std::vector<Command>& registry()
{
    static std::vector<Command> r;  // filled by static Registrars before main()
    return r;
}

}  // namespace

void registerCommand(const Command& command) { registry().push_back(command); }

std::vector<Command> commands()
{
    auto all = registry();
    std::sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
    return all;
}

const Command* findCommand(std::string_view name)
{
    for (const Command& c : registry())
        if (c.name == name)
            return &c;
    return nullptr;
}

int fail(std::string_view command, std::string_view message, int code)
{
    std::cerr << "tiefsee-cli " << command << ": " << message << "\n";
    return code;
}

}  // namespace tiefsee::cli
