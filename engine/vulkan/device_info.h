// What Tiefsee needs to know about one Vulkan physical device: identity, memory,
// the features our shaders use, and the limits that shape buffers and dispatches.
#pragma once

#include "core/result.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tiefsee::vk {

enum class DeviceType { Discrete, Integrated, Virtual, Cpu, Other };

struct DeviceInfo {
    uint32_t index = 0;            // position in vkEnumeratePhysicalDevices
    std::string name;              // "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string vendor;            // "NVIDIA", "AMD", "Intel", "Mesa", or "0x1234"
    uint32_t vendorId = 0;
    std::string driverName;        // VkPhysicalDeviceDriverProperties::driverName
    std::string driverInfo;        // driver version string, e.g. "Mesa 22.3.6 (LLVM 15.0.6)"
    uint32_t apiVersion = 0;       // VK_MAKE_API_VERSION of the device
    DeviceType type = DeviceType::Other;
    // Whether the engine runs the kernels and weight layouts written for CPU drivers
    // (lavapipe: a workgroup is one SIMD job, texel-buffer weights) rather than the GPU
    // ones: a CPU device's, unless DeviceChoice::gpuKernels asks otherwise.
    bool cpuKernels = false;

    // Memory, bytes. vramBudget comes from VK_EXT_memory_budget when present, else
    // equals vramSize (the sum of DEVICE_LOCAL heaps).
    uint64_t vramSize = 0;
    uint64_t vramBudget = 0;
    bool hasMemoryBudget = false;  // VK_EXT_memory_budget supported

    // Features (what the device can do; what we enable is decided in Context::create).
    uint32_t subgroupSize = 0;         // e.g. 8 on lavapipe, 32 NVIDIA, 64 AMD GCN
    bool subgroupArithmetic = false;   // subgroupAdd & co. in compute shaders
    bool subgroupShuffle = false;      // subgroupShuffle(Xor) in compute shaders
    // Compute pipelines can require subgroupSize (Vulkan 1.3 subgroupSizeControl, with
    // subgroupSize in the device's range), in workgroups of up to that many subgroups.
    bool subgroupSizeControl = false;
    uint32_t maxComputeWorkgroupSubgroups = 0;
    bool float16 = false;              // shaderFloat16
    bool int8 = false;                 // shaderInt8
    bool int16 = false;                // shaderInt16
    bool storage16 = false;            // storageBuffer16BitAccess
    bool storage8 = false;             // storageBuffer8BitAccess
    bool integerDot = false;           // shaderIntegerDotProduct (Vulkan 1.3 / KHR ext)
    bool integerDotAccelerated = false;// 4x8-bit packed signed dot is hardware accelerated
    bool cooperativeMatrix = false;    // VK_KHR_cooperative_matrix or VK_NV_cooperative_matrix
    bool timestamps = false;           // compute queue can write timestamps
    float timestampPeriodNs = 0;       // ns per timestamp tick

    // Limits.
    uint64_t maxStorageBufferRange = 0;          // bytes one storage-buffer binding may span
    uint64_t maxMemoryAllocationSize = 0;        // bytes of one vkAllocateMemory
    uint64_t minStorageBufferOffsetAlignment = 0;
    uint64_t maxTexelBufferElements = 0;         // texels one texel-buffer view may span
    uint64_t minTexelBufferOffsetAlignment = 0;  // of a texel-buffer view's offset
    uint32_t maxComputeSharedMemorySize = 0;     // bytes of shared memory per workgroup
    uint32_t maxComputeWorkGroupInvocations = 0;
    uint32_t maxComputeWorkGroupCount[3] = {};
    uint32_t maxPushConstantsSize = 0;

    bool usable = false;           // has a compute queue and Vulkan >= 1.2
    std::string unusableReason;    // why not, in plain words
};

const char* deviceTypeName(DeviceType t);  // "discrete GPU", "CPU", ...

// Every Vulkan device on this machine with its properties. Creates (and destroys) a
// temporary instance. Errors when there is no Vulkan loader/driver at all.
Result<std::vector<DeviceInfo>> listDevices();

// lavapipe (Mesa's CPU driver) compiles shaders for 256-bit vectors, 8 lanes, even on
// CPUs with AVX-512, unless LP_NATIVE_VECTOR_WIDTH says otherwise. Where the CPU has
// AVX-512 (F, BW, DQ, VL) and the variable is unset, this sets it to 512: 16 lanes per
// instruction, measured on lavapipe with the 1.5B Q4_K_M model: prefill ~25 % and decode
// ~10 % faster. A value the user set is kept (LP_NATIVE_VECTOR_WIDTH=256 turns it off).
// It must run before the first Vulkan (or Mesa OpenGL) driver starts in this process, and
// while no other thread reads the environment: the app and the CLI call it first thing in
// main(); createInstance calls it too when on the main thread (a no-op when already done).
// Returns whether the variable now asks for 512 bits.
bool preferWideCpuVectors();

// Threads that run a CPU device's workgroups at the same time: lavapipe starts
// LP_NUM_THREADS worker threads, one per CPU when that is unset.
uint32_t cpuDeviceThreads();

// A Vulkan 1.2 instance; with `validation` the Khronos validation layer is enabled
// when installed (*validationOn tells whether it was). Caller destroys it.
Result<VkInstance> createInstance(bool validation, bool* validationOn = nullptr);

// Fills a DeviceInfo for one physical device (used by listDevices and Context).
DeviceInfo queryDeviceInfo(VkPhysicalDevice pd, uint32_t index);

// "out of device memory" style names for VkResult codes.
const char* resultName(VkResult r);

}  // namespace tiefsee::vk
