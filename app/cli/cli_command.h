// The subcommand registry of tiefsee-cli. Each cmd_*.cpp defines a run function and
// registers it with TIEFSEE_CLI_COMMAND; main.cpp dispatches on the first argument.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::cli {

using Args = std::vector<std::string>;  // arguments after the subcommand name

struct Command {
    std::string_view name;     // "info"
    std::string_view usage;    // "info MODEL.gguf [--json]"
    std::string_view summary;  // one line for --help
    int (*run)(const Args& args);  // returns the process exit code
};

void registerCommand(const Command& command);
// All commands, sorted by name.
std::vector<Command> commands();
const Command* findCommand(std::string_view name);

struct Registrar {
    explicit Registrar(const Command& command) { registerCommand(command); }
};

// Exit codes shared by all commands.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the operation failed (bad file, network, ...)
constexpr int kExitUsage = 2;    // the command line was wrong

// Prints "tiefsee-cli <command>: <message>" to stderr and returns `code`.
int fail(std::string_view command, std::string_view message, int code = kExitFailure);

}  // namespace tiefsee::cli

#define TIEFSEE_CLI_CONCAT2(a, b) a##b
#define TIEFSEE_CLI_CONCAT(a, b) TIEFSEE_CLI_CONCAT2(a, b)
// TIEFSEE_CLI_COMMAND("info", "info MODEL.gguf [--json]", "prints the model description", &runInfo)
#define TIEFSEE_CLI_COMMAND(...) \
    static const ::tiefsee::cli::Registrar TIEFSEE_CLI_CONCAT(s_cliRegistrar, __LINE__){::tiefsee::cli::Command{__VA_ARGS__}}
