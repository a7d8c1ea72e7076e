// tiefsee-cli self-test: the same installation check as `tiefsee --self-test`
// (app/selftest): Vulkan device, shader pipelines, a tiny generated model, a
// temporary conversation database. Exit code 0 when everything passed.
#include "arg_parser.h"
#include "cli_command.h"
#include "selftest/selftest.h"

namespace tiefsee::cli {
namespace {

constexpr std::string_view kName = "self-test";

int runSelfTest(const Args& args)
{
    ArgParser p(args);
    if (auto err = p.finish())
        return fail(kName, *err, kExitUsage);
    return tiefsee::app::selfTestMain();
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName, "self-test", "checks that this machine can run Tiefsee (Vulkan, shaders, a tiny model, the database)",
                    &runSelfTest);

}  // namespace tiefsee::cli
