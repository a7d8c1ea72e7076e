#include "vulkan/context.h"

// Vulkan structs are initialised as {sType} and filled field by field.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace tiefsee::vk {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

int typeRank(DeviceType t)
{
    switch (t) {
    case DeviceType::Discrete: return 0;
    case DeviceType::Integrated: return 1;
    case DeviceType::Virtual: return 2;
    case DeviceType::Cpu: return 3;
    case DeviceType::Other: break;
    }
    return 4;
}

// The first required feature `d` lacks, or empty.
std::string missingFeature(const DeviceInfo& d, const DeviceRequirements& r)
{
    if (r.storage16 && !d.storage16) return "storageBuffer16BitAccess (16-bit storage buffers)";
    if (r.subgroupArithmetic && !d.subgroupArithmetic) return "subgroup arithmetic in compute shaders";
    if (r.subgroupShuffle && !d.subgroupShuffle) return "subgroup shuffles in compute shaders";
    if (r.storage8 && !d.storage8) return "storageBuffer8BitAccess (8-bit storage buffers)";
    if (r.float16 && !d.float16) return "shaderFloat16 (16-bit float arithmetic)";
    if (r.int8 && !d.int8) return "shaderInt8 (8-bit integer arithmetic)";
    if (r.integerDot && !d.integerDot) return "shaderIntegerDotProduct (integer dot product)";
    if (r.cooperativeMatrix && !d.cooperativeMatrix) return "cooperative matrix (VK_KHR_cooperative_matrix)";
    return {};
}

}  // namespace

Result<std::unique_ptr<Context>> Context::create(const DeviceChoice& choice)
{
    std::unique_ptr<Context> ctx(new Context());
    if (auto r = ctx->init(choice); !r)
        return r.error();
    return ctx;
}

Result<void> Context::init(const DeviceChoice& choice)
{
    m_choice = choice;
    auto inst = createInstance(choice.validation, &m_validation);
    if (!inst)
        return inst.error();
    m_instance = *inst;

    uint32_t n = 0;
    vkEnumeratePhysicalDevices(m_instance, &n, nullptr);
    std::vector<VkPhysicalDevice> pds(n);
    vkEnumeratePhysicalDevices(m_instance, &n, pds.data());
    if (n == 0)
        return makeError(ErrorKind::Device, "no Vulkan device found — install your GPU driver or mesa-vulkan-drivers");
    std::vector<DeviceInfo> infos;
    for (uint32_t i = 0; i < n; ++i)
        infos.push_back(queryDeviceInfo(pds[i], i));

    // Pick the device.
    int pick = -1;
    if (choice.index >= 0) {
        if (choice.index >= int(n))
            return makeError(ErrorKind::NotFound, "there is no Vulkan device " + std::to_string(choice.index) + " (this machine has " +
                                                      std::to_string(n) + "; see `tiefsee-cli devices`)");
        pick = choice.index;
    } else if (!choice.nameContains.empty()) {
        std::string names;
        for (const auto& d : infos) {
            if (pick < 0 && lower(d.name).find(lower(choice.nameContains)) != std::string::npos)
                pick = int(d.index);
            names += (names.empty() ? "" : ", ") + d.name;
        }
        if (pick < 0)
            return makeError(ErrorKind::NotFound, "no Vulkan device named like '" + choice.nameContains + "' (found: " + names + ")");
    } else {
        for (const auto& d : infos) {
            if (!d.usable || !missingFeature(d, choice.require).empty())
                continue;
            if (pick < 0 || typeRank(d.type) < typeRank(infos[pick].type))
                pick = int(d.index);
        }
        if (pick < 0)
            pick = 0;  // none fits: report the first device's problem below
    }
    m_info = infos[pick];
    if (choice.gpuKernels)
        m_info.cpuKernels = false;
    m_physical = pds[pick];
    if (!m_info.usable)
        return makeError(ErrorKind::Device, "device " + m_info.name + " " + m_info.unusableReason);
    if (auto miss = missingFeature(m_info, choice.require); !miss.empty())
        return makeError(ErrorKind::Device, "device " + m_info.name + " lacks " + miss + ", which Tiefsee needs");

    // Queue family: prefer a compute-only family (async compute on GPUs), else any with compute.
    uint32_t qCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(m_physical, &qCount, nullptr);
    std::vector<VkQueueFamilyProperties> qs(qCount);
    vkGetPhysicalDeviceQueueFamilyProperties(m_physical, &qCount, qs.data());
    m_queueFamily = UINT32_MAX;
    for (uint32_t i = 0; i < qCount; ++i)
        if ((qs[i].queueFlags & VK_QUEUE_COMPUTE_BIT) && m_queueFamily == UINT32_MAX)
            m_queueFamily = i;
    m_info.timestamps = qs[m_queueFamily].timestampValidBits > 0;

    // Enable every feature we may use that the device has.
    const bool v13 = VK_API_VERSION_MINOR(m_info.apiVersion) >= 3;
    VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
    VkPhysicalDeviceFeatures2 feats{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    feats.features.shaderInt16 = m_info.int16;
    feats.pNext = &f11;
    f11.pNext = &f12;
    f11.storageBuffer16BitAccess = m_info.storage16;
    f12.storageBuffer8BitAccess = m_info.storage8;
    f12.shaderFloat16 = m_info.float16;
    f12.shaderInt8 = m_info.int8;
    if (v13) {
        f12.pNext = &f13;
        f13.shaderIntegerDotProduct = m_info.integerDot;
        f13.subgroupSizeControl = m_info.subgroupSizeControl;
    }
    std::vector<const char*> exts;
    if (m_info.hasMemoryBudget)
        exts.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);

    const float prio = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = m_queueFamily;
    qci.queueCount = 1;
    qci.pQueuePriorities = &prio;
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.pNext = &feats;
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    dci.enabledExtensionCount = uint32_t(exts.size());
    dci.ppEnabledExtensionNames = exts.data();
    if (VkResult r = vkCreateDevice(m_physical, &dci, nullptr, &m_device); r != VK_SUCCESS)
        return makeError(ErrorKind::Device, "cannot open Vulkan device " + m_info.name + ": " + resultName(r));
    vkGetDeviceQueue(m_device, m_queueFamily, 0, &m_queue);

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = m_queueFamily;
    if (VkResult r = vkCreateCommandPool(m_device, &pci, nullptr, &m_commandPool); r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot create a command pool: ") + resultName(r));

    // Pipeline cache, seeded from the file when present. A cache from another driver is
    // rejected by the driver's header check, which is fine: we start empty then.
    std::vector<char> cacheData;
    if (!choice.pipelineCachePath.empty()) {
        std::ifstream f(choice.pipelineCachePath, std::ios::binary);
        if (f)
            cacheData.assign(std::istreambuf_iterator<char>(f), {});
    }
    VkPipelineCacheCreateInfo cci{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    cci.initialDataSize = cacheData.size();
    cci.pInitialData = cacheData.empty() ? nullptr : cacheData.data();
    if (vkCreatePipelineCache(m_device, &cci, nullptr, &m_pipelineCache) != VK_SUCCESS) {
        cci.initialDataSize = 0;
        cci.pInitialData = nullptr;
        if (VkResult r = vkCreatePipelineCache(m_device, &cci, nullptr, &m_pipelineCache); r != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("cannot create a pipeline cache: ") + resultName(r));
    }

    // Memory types: device-local on the largest device-local heap; host-visible coherent
    // (cached preferred, for fast readback).
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(m_physical, &mp);
    uint64_t bestHeap = 0;
    for (uint32_t i = 0; i < mp.memoryTypeCount; ++i) {
        const auto& t = mp.memoryTypes[i];
        if ((t.propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && mp.memoryHeaps[t.heapIndex].size > bestHeap) {
            bestHeap = mp.memoryHeaps[t.heapIndex].size;
            m_deviceType = i;
            m_deviceHeap = t.heapIndex;
        }
    }
    const VkMemoryPropertyFlags hv = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    for (uint32_t i = 0; i < mp.memoryTypeCount; ++i) {
        const auto f = mp.memoryTypes[i].propertyFlags;
        if ((f & hv) == hv && (m_hostType == UINT32_MAX || (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT)))
            m_hostType = i;
    }
    if (m_deviceType == UINT32_MAX)
        m_deviceType = m_hostType;
    if (m_deviceType == UINT32_MAX || m_hostType == UINT32_MAX)
        return makeError(ErrorKind::Device, "device " + m_info.name + " has no usable memory type");
    return {};
}

Context::~Context()
{
    if (m_device)
        vkDeviceWaitIdle(m_device);
    m_staging.reset();
    for (VkFence f : m_stagingFence)
        if (f)
            vkDestroyFence(m_device, f, nullptr);
    if (m_device) {
        destroyAllBlocks();
        if (m_pipelineCache)
            vkDestroyPipelineCache(m_device, m_pipelineCache, nullptr);
        if (m_commandPool)
            vkDestroyCommandPool(m_device, m_commandPool, nullptr);
        vkDestroyDevice(m_device, nullptr);
    }
    if (m_instance)
        vkDestroyInstance(m_instance, nullptr);
}

Result<void> Context::savePipelineCache(const std::string& path) const
{
    size_t size = 0;
    vkGetPipelineCacheData(m_device, m_pipelineCache, &size, nullptr);
    std::vector<char> data(size);
    vkGetPipelineCacheData(m_device, m_pipelineCache, &size, data.data());
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f.write(data.data(), std::streamsize(size)))
        return makeError(ErrorKind::Io, "cannot write the pipeline cache to " + path);
    return {};
}

VkCommandBuffer Context::beginOneShot()
{
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_commandPool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cb = VK_NULL_HANDLE;
    VkResult r = vkAllocateCommandBuffers(m_device, &ai, &cb);
    assert(r == VK_SUCCESS);
    (void)r;
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vkBeginCommandBuffer(cb, &bi);
    return cb;
}

Result<void> Context::endOneShot(VkCommandBuffer cb)
{
    vkEndCommandBuffer(cb);
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cb;
    VkResult r = vkQueueSubmit(m_queue, 1, &si, VK_NULL_HANDLE);
    if (r == VK_SUCCESS)
        r = vkQueueWaitIdle(m_queue);
    vkFreeCommandBuffers(m_device, m_commandPool, 1, &cb);
    if (r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("GPU work failed: ") + resultName(r));
    return {};
}

}  // namespace tiefsee::vk
