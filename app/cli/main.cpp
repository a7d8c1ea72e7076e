// tiefsee-cli: the engine and app core from a terminal. Dispatches to the
// subcommands registered in cmd_*.cpp.
#include "cli_command.h"
#include "core/app_info.h"
#include "vulkan/device_info.h"

#include <iostream>

using namespace tiefsee::cli;

static void printHelp()
{
    std::cout << "Usage: tiefsee-cli COMMAND [ARGS...]\n\n"
                 "Runs DeepSeek-R1 distilled models (GGUF) with Tiefsee's Vulkan engine.\n\n"
                 "Commands:\n";
    for (const Command& c : commands())
        std::cout << "  " << c.usage << "\n      " << c.summary << "\n";
    std::cout << "\nOptions:\n  --help, -h     this help (or COMMAND --help)\n  --version      print the version\n";
}

int main(int argc, char** argv)
{
    tiefsee::vk::preferWideCpuVectors();  // before any thread or Vulkan driver starts
    if (argc < 2) {
        printHelp();
        return kExitUsage;
    }
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        printHelp();
        return kExitOk;
    }
    if (first == "--version") {
        std::cout << tiefsee::app::versionLine("tiefsee-cli") << "\n";
        return kExitOk;
    }
    const Command* cmd = findCommand(first);
    if (!cmd) {
        std::cerr << "tiefsee-cli: unknown command '" << first << "' (see tiefsee-cli --help)\n";
        return kExitUsage;
    }
    Args args(argv + 2, argv + argc);
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << "Usage: tiefsee-cli " << cmd->usage << "\n" << cmd->summary << "\n";
        return kExitOk;
    }
    return cmd->run(args);
}
