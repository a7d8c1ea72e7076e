// The installation self-test behind `tiefsee --self-test` and `tiefsee-cli self-test`:
// a headless check that this machine can run Tiefsee, with a readable report for
// support requests and for the package tests (tests/install).
//
// Checks, in order (a later check is skipped when one it needs failed):
//   1. Vulkan device    a device is found and created (discrete > integrated > CPU)
//   2. Shader pipelines every embedded shader (tiefsee::shaders::all()) becomes a pipeline
//   3. Tiny model       a 2-layer model with random weights is generated (mkmodel),
//                       loaded and run for a few greedy tokens
//   4. Conversation database  a temporary database is created, written, searched,
//                       integrity-checked and closed (the user's own database is not touched)
//
// Runs on the calling thread; needs no QCoreApplication and opens no window.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tiefsee::app {

struct SelfTestCheck {
    std::string name;      // "Vulkan device"
    bool ran = false;      // false: skipped because an earlier check failed
    bool ok = false;
    std::string detail;    // what was found, or the error in plain words
    double seconds = 0;
};

struct SelfTestReport {
    std::vector<SelfTestCheck> checks;
    bool ok() const;  // every check ran and passed
};

SelfTestReport runSelfTest();
void printSelfTestReport(const SelfTestReport& report, std::ostream& out);
// Runs, prints to stdout, returns the exit code (0 all passed, 1 otherwise).
int selfTestMain();

}  // namespace tiefsee::app
