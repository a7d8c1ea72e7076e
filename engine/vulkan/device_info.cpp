#include "vulkan/device_info.h"

// Vulkan structs are initialised as {sType} and filled field by field.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

#if defined(__linux__)
#include <unistd.h>
#endif

namespace tiefsee::vk {

const char* deviceTypeName(DeviceType t)
{
    switch (t) {
    case DeviceType::Discrete: return "discrete GPU";
    case DeviceType::Integrated: return "integrated GPU";
    case DeviceType::Virtual: return "virtual GPU";
    case DeviceType::Cpu: return "CPU";
    case DeviceType::Other: break;
    }
    return "other";
}

const char* resultName(VkResult r)
{
    switch (r) {
    case VK_SUCCESS: return "success";
    case VK_NOT_READY: return "not ready";
    case VK_TIMEOUT: return "timeout";
    case VK_INCOMPLETE: return "incomplete";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "out of host memory";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "out of device memory";
    case VK_ERROR_INITIALIZATION_FAILED: return "initialization failed";
    case VK_ERROR_DEVICE_LOST: return "device lost";
    case VK_ERROR_MEMORY_MAP_FAILED: return "memory map failed";
    case VK_ERROR_LAYER_NOT_PRESENT: return "layer not present";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "extension not present";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "feature not present";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "incompatible driver (no Vulkan driver installed?)";
    case VK_ERROR_TOO_MANY_OBJECTS: return "too many objects";
    case VK_ERROR_FRAGMENTED_POOL: return "fragmented pool";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "out of pool memory";
    default: break;
    }
    return "Vulkan error";
}

namespace {

std::string vendorName(uint32_t id)
{
    switch (id) {
    case 0x10DE: return "NVIDIA";
    case 0x1002: return "AMD";
    case 0x8086: return "Intel";
    case 0x10005: return "Mesa";
    case 0x13B5: return "ARM";
    case 0x5143: return "Qualcomm";
    case 0x106B: return "Apple";
    default: break;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", id);
    return buf;
}

bool hasLayer(const char* name)
{
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> layers(n);
    vkEnumerateInstanceLayerProperties(&n, layers.data());
    for (const auto& l : layers)
        if (std::strcmp(l.layerName, name) == 0)
            return true;
    return false;
}

}  // namespace

bool preferWideCpuVectors()
{
    const char* name = "LP_NATIVE_VECTOR_WIDTH";
    if (const char* v = std::getenv(name))
        return std::strcmp(v, "512") == 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        return setenv(name, "512", 0) == 0;
#endif
    return false;
}

uint32_t cpuDeviceThreads()
{
    const char* v = std::getenv("LP_NUM_THREADS");
    const int n = v ? std::atoi(v) : 0;
    return n > 0 ? uint32_t(n) : std::max(1u, std::thread::hardware_concurrency());
}

Result<VkInstance> createInstance(bool validation, bool* validationOn)
{
#if defined(__linux__)
    // Only on the main thread: setenv while another thread reads the environment is a
    // data race. Processes that create devices elsewhere (the app's engine thread) have
    // called it in main() already.
    if (gettid() == getpid())
        preferWideCpuVectors();
#endif
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Tiefsee";
    app.pEngineName = "Tiefsee";
    app.apiVersion = VK_API_VERSION_1_3;  // highest we use; devices may report 1.2

    const char* layer = "VK_LAYER_KHRONOS_validation";
    const bool useLayer = validation && hasLayer(layer);
    if (validationOn)
        *validationOn = useLayer;

    VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ci.pApplicationInfo = &app;
    ci.enabledLayerCount = useLayer ? 1 : 0;
    ci.ppEnabledLayerNames = useLayer ? &layer : nullptr;

    VkInstance instance = VK_NULL_HANDLE;
    VkResult r = vkCreateInstance(&ci, nullptr, &instance);
    if (r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot start Vulkan (") + resultName(r) +
                                                "): no Vulkan driver found — install your GPU driver or mesa-vulkan-drivers");
    return instance;
}

DeviceInfo queryDeviceInfo(VkPhysicalDevice pd, uint32_t index)
{
    DeviceInfo d;
    d.index = index;

    uint32_t extCount = 0;
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &extCount, nullptr);
    std::vector<VkExtensionProperties> exts(extCount);
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &extCount, exts.data());
    auto hasExt = [&](const char* name) {
        for (const auto& e : exts)
            if (std::strcmp(e.extensionName, name) == 0)
                return true;
        return false;
    };

    VkPhysicalDeviceProperties base{};
    vkGetPhysicalDeviceProperties(pd, &base);
    d.apiVersion = base.apiVersion;
    const bool v13 = VK_API_VERSION_MINOR(base.apiVersion) >= 3 || VK_API_VERSION_MAJOR(base.apiVersion) > 1;
    const bool v12 = VK_API_VERSION_MINOR(base.apiVersion) >= 2 || VK_API_VERSION_MAJOR(base.apiVersion) > 1;

    // Properties (chained structs only where the device's version defines them).
    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceMaintenance3Properties maint3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
    VkPhysicalDeviceShaderIntegerDotProductProperties dotProps{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_PROPERTIES};
    VkPhysicalDeviceSubgroupSizeControlProperties sizeControl{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    subgroup.pNext = &maint3;
    if (v12)
        maint3.pNext = &driver;
    if (v13) {
        driver.pNext = &dotProps;
        dotProps.pNext = &sizeControl;
    }
    vkGetPhysicalDeviceProperties2(pd, &props);

    d.name = base.deviceName;
    d.vendorId = base.vendorID;
    d.vendor = vendorName(base.vendorID);
    if (v12) {
        d.driverName = driver.driverName;
        d.driverInfo = driver.driverInfo;
    }
    if (d.driverInfo.empty()) {
        d.driverInfo = std::to_string(VK_API_VERSION_MAJOR(base.driverVersion)) + "." +
                       std::to_string(VK_API_VERSION_MINOR(base.driverVersion)) + "." +
                       std::to_string(VK_API_VERSION_PATCH(base.driverVersion));
    }
    switch (base.deviceType) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: d.type = DeviceType::Discrete; break;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: d.type = DeviceType::Integrated; break;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: d.type = DeviceType::Virtual; break;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: d.type = DeviceType::Cpu; break;
    default: d.type = DeviceType::Other; break;
    }
    d.cpuKernels = d.type == DeviceType::Cpu;

    d.subgroupSize = subgroup.subgroupSize;
    d.subgroupArithmetic = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                           (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
    d.subgroupShuffle = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                        (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
    d.maxStorageBufferRange = base.limits.maxStorageBufferRange;
    d.maxMemoryAllocationSize = maint3.maxMemoryAllocationSize;
    d.minStorageBufferOffsetAlignment = base.limits.minStorageBufferOffsetAlignment;
    d.maxTexelBufferElements = base.limits.maxTexelBufferElements;
    d.minTexelBufferOffsetAlignment = base.limits.minTexelBufferOffsetAlignment;
    d.maxComputeSharedMemorySize = base.limits.maxComputeSharedMemorySize;
    d.maxComputeWorkGroupInvocations = base.limits.maxComputeWorkGroupInvocations;
    for (int i = 0; i < 3; ++i)
        d.maxComputeWorkGroupCount[i] = base.limits.maxComputeWorkGroupCount[i];
    d.maxPushConstantsSize = base.limits.maxPushConstantsSize;
    d.timestampPeriodNs = base.limits.timestampPeriod;
    if (v13)
        d.integerDotAccelerated = dotProps.integerDotProduct4x8BitPackedSignedAccelerated;

    // Features.
    VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
    VkPhysicalDeviceFeatures2 feats{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    if (v12) {
        feats.pNext = &f11;
        f11.pNext = &f12;
        if (v13)
            f12.pNext = &f13;
        vkGetPhysicalDeviceFeatures2(pd, &feats);
    } else {
        vkGetPhysicalDeviceFeatures(pd, &feats.features);
    }
    d.int16 = feats.features.shaderInt16;
    d.storage16 = f11.storageBuffer16BitAccess;
    d.storage8 = f12.storageBuffer8BitAccess;
    d.float16 = f12.shaderFloat16;
    d.int8 = f12.shaderInt8;
    d.integerDot = (v13 && f13.shaderIntegerDotProduct) || hasExt("VK_KHR_shader_integer_dot_product");
    d.subgroupSizeControl = v13 && f13.subgroupSizeControl &&
                            (sizeControl.requiredSubgroupSizeStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                            d.subgroupSize >= sizeControl.minSubgroupSize && d.subgroupSize <= sizeControl.maxSubgroupSize;
    d.maxComputeWorkgroupSubgroups = sizeControl.maxComputeWorkgroupSubgroups;
    d.cooperativeMatrix = hasExt("VK_KHR_cooperative_matrix") || hasExt("VK_NV_cooperative_matrix");

    // Memory: sum of device-local heaps, and the budget when the driver reports one.
    d.hasMemoryBudget = hasExt(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 mem{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
    if (d.hasMemoryBudget)
        mem.pNext = &budget;
    vkGetPhysicalDeviceMemoryProperties2(pd, &mem);
    for (uint32_t h = 0; h < mem.memoryProperties.memoryHeapCount; ++h) {
        if (!(mem.memoryProperties.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT))
            continue;
        d.vramSize += mem.memoryProperties.memoryHeaps[h].size;
        d.vramBudget += d.hasMemoryBudget ? budget.heapBudget[h] : mem.memoryProperties.memoryHeaps[h].size;
    }

    // Queues: any family with compute.
    uint32_t qCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &qCount, nullptr);
    std::vector<VkQueueFamilyProperties> qs(qCount);
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &qCount, qs.data());
    bool compute = false;
    for (const auto& q : qs) {
        if (q.queueFlags & VK_QUEUE_COMPUTE_BIT) {
            compute = true;
            d.timestamps = q.timestampValidBits > 0;
            break;
        }
    }

    d.usable = true;
    if (!v12) {
        d.usable = false;
        d.unusableReason = "supports only Vulkan " + std::to_string(VK_API_VERSION_MAJOR(base.apiVersion)) + "." +
                           std::to_string(VK_API_VERSION_MINOR(base.apiVersion)) + "; Tiefsee needs 1.2 — update the driver";
    } else if (!compute) {
        d.usable = false;
        d.unusableReason = "has no compute queue";
    }
    return d;
}

Result<std::vector<DeviceInfo>> listDevices()
{
    auto inst = createInstance(false);
    if (!inst)
        return inst.error();
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(*inst, &n, nullptr);
    std::vector<VkPhysicalDevice> pds(n);
    vkEnumeratePhysicalDevices(*inst, &n, pds.data());
    std::vector<DeviceInfo> out;
    for (uint32_t i = 0; i < n; ++i)
        out.push_back(queryDeviceInfo(pds[i], i));
    vkDestroyInstance(*inst, nullptr);
    return out;
}

}  // namespace tiefsee::vk
