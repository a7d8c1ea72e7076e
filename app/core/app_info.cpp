#include "core/app_info.h"

#include "tiefsee/version.h"

namespace tiefsee::app {

const char* version() { return TIEFSEE_VERSION; }

std::string versionLine(const char* program)
{
    return std::string(program) + " " + TIEFSEE_VERSION;
}

}  // namespace tiefsee::app
