// Facts about the application build: name, version, where its data lives.
#pragma once

#include <string>

namespace tiefsee::app {

// "0.1.0", from the one version in the top-level CMakeLists.txt.
const char* version();
// "tiefsee 0.1.0 (engine: Vulkan compute, GGUF v2/v3)" for --version outputs.
std::string versionLine(const char* program);

}  // namespace tiefsee::app
