// tiefsee-cli devices: every Vulkan device with the properties that decide whether
// and how well Tiefsee runs on it, and which one it would pick by default.
#include "arg_parser.h"
#include "cli_command.h"
#include "vulkan/runtime.h"

#include <cstdio>
#include <iostream>

namespace tiefsee::cli {
namespace {

std::string gib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / (1024.0 * 1024.0 * 1024.0));
    return buf;
}

std::string mib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f MiB", double(bytes) / (1024.0 * 1024.0));
    return buf;
}

const char* yesNo(bool b) { return b ? "yes" : "no"; }

int runDevices(const Args& args)
{
    ArgParser p(args);
    if (auto err = p.finish(0, 0))
        return fail("devices", *err, kExitUsage);

    auto devices = vk::listDevices();
    if (!devices)
        return fail("devices", devices.error().message);
    if (devices->empty())
        return fail("devices", "no Vulkan device found — install your GPU driver or mesa-vulkan-drivers");

    // Which one Context::create() would choose with default settings.
    auto ctx = vk::Context::create();
    const int chosen = ctx ? int((*ctx)->info().index) : -1;

    for (const vk::DeviceInfo& d : *devices) {
        std::cout << "[" << d.index << "] " << d.name << (int(d.index) == chosen ? "   <- default" : "") << "\n";
        std::cout << "    type:            " << vk::deviceTypeName(d.type) << ", vendor " << d.vendor << "\n";
        std::cout << "    driver:          " << (d.driverName.empty() ? "?" : d.driverName) << " (" << d.driverInfo << "), Vulkan "
                  << VK_API_VERSION_MAJOR(d.apiVersion) << "." << VK_API_VERSION_MINOR(d.apiVersion) << "."
                  << VK_API_VERSION_PATCH(d.apiVersion) << "\n";
        std::cout << "    memory:          " << gib(d.vramSize) << " device-local, budget " << gib(d.vramBudget)
                  << (d.hasMemoryBudget ? "" : " (no VK_EXT_memory_budget: heap size)") << "\n";
        std::cout << "    subgroup size:   " << d.subgroupSize << " (arithmetic ops " << yesNo(d.subgroupArithmetic)
                  << ", shuffles " << yesNo(d.subgroupShuffle) << ", required per pipeline "
                  << yesNo(d.subgroupSizeControl) << ")\n";
        std::cout << "    features:        fp16 " << yesNo(d.float16) << ", int8 " << yesNo(d.int8) << ", 16-bit storage "
                  << yesNo(d.storage16) << ", 8-bit storage " << yesNo(d.storage8) << ", integer dot " << yesNo(d.integerDot)
                  << (d.integerDotAccelerated ? " (accelerated)" : "") << ", cooperative matrix " << yesNo(d.cooperativeMatrix)
                  << ", timestamps " << yesNo(d.timestamps) << "\n";
        std::cout << "    limits:          storage buffer range " << mib(d.maxStorageBufferRange) << ", allocation "
                  << mib(d.maxMemoryAllocationSize) << ", shared memory " << d.maxComputeSharedMemorySize / 1024
                  << " KiB, workgroup " << d.maxComputeWorkGroupInvocations << " invocations\n";
        if (!d.usable)
            std::cout << "    NOT USABLE:      " << d.unusableReason << "\n";
    }
    if (!ctx)
        std::cout << "\nNo device can run Tiefsee: " << ctx.error().message << "\n";
    return ctx ? kExitOk : kExitFailure;
}

}  // namespace

TIEFSEE_CLI_COMMAND("devices", "devices", "lists the Vulkan devices with their memory, features and limits", &runDevices);

}  // namespace tiefsee::cli
