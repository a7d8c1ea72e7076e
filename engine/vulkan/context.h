// The Vulkan device Tiefsee runs on: instance, chosen physical device, logical device,
// one compute queue, a command pool, the pipeline cache, the memory allocator and the
// upload/download helpers. One Context per process (or per test); single-threaded:
// every call on one Context and everything created from it must come from one thread.
// See vulkan/runtime.h for a usage example.
#pragma once

#include "core/result.h"
#include "vulkan/device_info.h"
#include "vulkan/memory.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace tiefsee::vk {

// Features a caller needs; Context::create fails with a plain-words error naming the
// first one the chosen device lacks. Everything the device supports is enabled anyway.
struct DeviceRequirements {
    bool storage16 = true;           // storageBuffer16BitAccess: weight shaders read 16-bit words
    bool subgroupArithmetic = true;  // subgroupAdd in compute shaders (mat-vec reductions)
    bool subgroupShuffle = true;     // subgroupShuffle in compute shaders (attention, CPU mat-vec)
    bool storage8 = false;           // storageBuffer8BitAccess
    bool float16 = false;            // shaderFloat16 arithmetic
    bool int8 = false;               // shaderInt8 arithmetic
    bool integerDot = false;         // shaderIntegerDotProduct
    bool cooperativeMatrix = false;  // VK_KHR/NV_cooperative_matrix
};

struct DeviceChoice {
    int index = -1;                  // listDevices() index; -1 = automatic (discrete > integrated > virtual > CPU)
    std::string nameContains;        // else the first device whose name contains this (case-insensitive)
    DeviceRequirements require;
#ifdef NDEBUG
    bool validation = false;         // enable VK_LAYER_KHRONOS_validation when installed
#else
    bool validation = true;
#endif
    uint64_t maxBindingBytes = 0;    // tests: bind at most this many bytes, as if maxStorageBufferRange were this
                                     // (0 = the device's)
    bool forceStaging = false;       // upload/download via the staging ring even when device memory is mappable (tests)
    uint64_t blockBytes = 256ull << 20;   // size of the device-memory blocks tensors are sub-allocated from
    uint64_t stagingBytes = 32ull << 20;  // staging ring size (two halves, double-buffered)
    std::string pipelineCachePath;   // load the pipeline cache from here (if it exists); see savePipelineCache
    bool gpuKernels = false;         // GPU kernels and layouts on any device (lavapipe then runs the GPU path)
};

class Context {
public:
    // Creates the device. Errors: no Vulkan driver, no device, no device matching the
    // choice, a missing required feature, device creation failure.
    static Result<std::unique_ptr<Context>> create(const DeviceChoice& choice = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const DeviceInfo& info() const { return m_info; }
    bool validationEnabled() const { return m_validation; }
    VkDevice device() const { return m_device; }
    VkPhysicalDevice physicalDevice() const { return m_physical; }
    VkQueue queue() const { return m_queue; }
    uint32_t queueFamily() const { return m_queueFamily; }
    VkCommandPool commandPool() const { return m_commandPool; }
    VkPipelineCache pipelineCache() const { return m_pipelineCache; }

    // ---- memory (memory.cpp) ----
    // Device-local tensor of `bytes` bytes, aligned for storage-buffer binding. Error
    // (OutOfMemory) with the bytes needed and available when it does not fit, or when
    // it exceeds maxMemoryAllocationSize (then use allocateRows).
    Result<Tensor> allocate(uint64_t bytes);
    // Row-major matrix split into chunks that each fit one binding and one allocation.
    // The split follows `rowBytes`; `chunkBytes(n)`, when given, is what a chunk of n rows
    // really holds (a repacked layout a little larger than n * rowBytes, which must still
    // fit one binding), else n * rowBytes.
    Result<SplitTensor> allocateRows(uint64_t rows, uint64_t rowBytes,
                                     const std::function<uint64_t(uint64_t rows)>& chunkBytes = {});
    // The most bytes one storage-buffer binding may span (maxStorageBufferRange, or
    // DeviceChoice::maxBindingBytes when that is smaller).
    uint64_t bindingLimit() const;
    // Host-visible, coherent memory (staging, readback, or small host-written inputs).
    Result<Tensor> allocateHost(uint64_t bytes);
    // Device-local bytes this Context holds, and what the device has left (budget - usage).
    uint64_t bytesAllocated() const { return m_bytesAllocated; }
    uint64_t bytesAvailable() const;

    // Copies host bytes into a tensor through the staging ring (or a plain memcpy when
    // the memory is host-visible). `src` may point into an mmapped file: reading it
    // overlaps with the GPU copy of the previous half of the ring. Blocks until done.
    // Must not run while submitted work uses `dst`.
    Result<void> upload(TensorView dst, const void* src, uint64_t bytes);
    Result<void> upload(const SplitTensor& dst, const void* src);  // all rows
    // A storage texel buffer view (RGBA32UI: 16-byte texels) of `v`, rounded down to whole
    // texels; created on first use and kept until the buffer is destroyed. Shaders that
    // read through image loads (see matvec_tb.comp) get their bindings from here.
    VkBufferView texelView(TensorView v);

    // Copies `bytes` from a tensor to host memory. Call after the work writing it finished.
    Result<void> download(TensorView src, void* dst, uint64_t bytes);

    // ---- misc ----
    // Writes the pipeline cache to `path` (created or replaced).
    Result<void> savePipelineCache(const std::string& path) const;
    // Records with `record`, submits and waits. For one-off transfers and tests.
    template <typename F>
    Result<void> runOnce(F&& record)
    {
        VkCommandBuffer cb = beginOneShot();
        record(cb);
        return endOneShot(cb);
    }
    VkCommandBuffer beginOneShot();
    Result<void> endOneShot(VkCommandBuffer cb);

private:
    friend class Tensor;
    // One VkDeviceMemory with one VkBuffer spanning it; tensors are ranges of it.
    struct Block {
        VkDeviceMemory memory = VK_NULL_HANDLE;
        VkBuffer buffer = VK_NULL_HANDLE;
        uint64_t size = 0;
        uint8_t* mapped = nullptr;           // non-null when the memory is host-visible
        bool host = false;                   // host-visible block (not counted as VRAM)
        bool dedicated = false;              // one tensor only; destroyed when it is freed
        std::map<uint64_t, uint64_t> free;   // offset -> size of free ranges, coalesced
    };
    Context() = default;
    Result<void> init(const DeviceChoice& choice);
    Result<uint32_t> newBlock(uint64_t bytes, bool host);
    void release(const Tensor& t);
    void destroyAllBlocks();
    void destroyTexelViews(VkBuffer buffer);
    Result<void> ensureStaging();

    DeviceChoice m_choice;
    DeviceInfo m_info;
    bool m_validation = false;
    VkInstance m_instance = VK_NULL_HANDLE;
    VkPhysicalDevice m_physical = VK_NULL_HANDLE;
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    uint32_t m_queueFamily = 0;
    VkCommandPool m_commandPool = VK_NULL_HANDLE;
    VkPipelineCache m_pipelineCache = VK_NULL_HANDLE;

    // Allocator state (memory.cpp).
    std::vector<std::unique_ptr<Block>> m_blocks;  // null entries are freed slots
    uint32_t m_deviceType = UINT32_MAX;           // memory type index for device-local blocks
    uint32_t m_hostType = UINT32_MAX;             // memory type index for host-visible buffers
    uint32_t m_deviceHeap = 0;
    uint64_t m_bytesAllocated = 0;                // device-local bytes in blocks
    std::map<std::tuple<VkBuffer, uint64_t, uint64_t>, VkBufferView> m_texelViews;  // (buffer, offset, range)

    // Staging ring: two halves with a command buffer and fence each.
    Tensor m_staging;
    VkCommandBuffer m_stagingCmd[2] = {};
    VkFence m_stagingFence[2] = {};
    bool m_stagingBusy[2] = {};
};

}  // namespace tiefsee::vk
