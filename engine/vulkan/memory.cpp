// Context's allocator and transfers. Device memory comes in blocks (one VkDeviceMemory
// + one VkBuffer spanning it, DeviceChoice::blockBytes each, or a dedicated block for a
// big tensor); tensors are ranges of a block's buffer found first-fit in a free list.
// Host buffers get a dedicated block each.
#include "vulkan/context.h"

// Vulkan structs are initialised as {sType} and filled field by field.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <algorithm>
#include <cstring>
#include <map>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace tiefsee::vk {

namespace {

std::string mib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    return buf;
}

uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// On a CPU device "device memory" is process memory, and a decode token reads every
// weight once: with 4 KiB pages that is a TLB miss per page, some 250 000 a token for a
// 1 GiB model, each a page walk (two-level under virtualization). Asking for transparent
// huge pages before the memory is first touched cuts that 512-fold (lavapipe, alternating
// runs: bench-kernels Q4_K 0.95x time, whole-process decode 1.00-1.29x, load 0.7x).
// Where the kernel has them disabled the call fails harmlessly.
void adviseHugePages(uint8_t* p, uint64_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t huge = uintptr_t(2) << 20;
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + huge - 1) & ~(huge - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(huge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

}  // namespace

// ---- Tensor ----

Tensor& Tensor::operator=(Tensor&& o) noexcept
{
    if (this != &o) {
        reset();
        m_ctx = o.m_ctx;
        m_block = o.m_block;
        m_blockOffset = o.m_blockOffset;
        m_reserved = o.m_reserved;
        m_view = o.m_view;
        o.m_ctx = nullptr;
        o.m_view = {};
    }
    return *this;
}

void Tensor::reset()
{
    if (m_ctx)
        m_ctx->release(*this);
    m_ctx = nullptr;
    m_view = {};
}

// ---- allocation ----

uint64_t Context::bytesAvailable() const
{
    if (m_info.hasMemoryBudget) {
        VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
        VkPhysicalDeviceMemoryProperties2 mem{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
        mem.pNext = &budget;
        vkGetPhysicalDeviceMemoryProperties2(m_physical, &mem);
        const uint64_t b = budget.heapBudget[m_deviceHeap], u = budget.heapUsage[m_deviceHeap];
        return b > u ? b - u : 0;
    }
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(m_physical, &mp);
    const uint64_t heap = mp.memoryHeaps[m_deviceHeap].size;
    return heap > m_bytesAllocated ? heap - m_bytesAllocated : 0;
}

Result<uint32_t> Context::newBlock(uint64_t bytes, bool host)
{
    const uint64_t available = bytesAvailable();
    if (!host && bytes > available)
        return makeError(ErrorKind::OutOfMemory, "not enough GPU memory on " + m_info.name + ": needed " + mib(bytes) +
                                                     ", available " + mib(available) + " — choose a smaller model or quantization");
    if (bytes > m_info.maxMemoryAllocationSize)
        return makeError(ErrorKind::OutOfMemory, "a buffer of " + mib(bytes) + " exceeds what " + m_info.name + " can allocate at once (" +
                                                     mib(m_info.maxMemoryAllocationSize) + "); it must be split");
    auto block = std::make_unique<Block>();
    block->size = bytes;
    block->host = host;

    VkBufferCreateInfo bci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bci.size = bytes;
    bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    if (VkResult r = vkCreateBuffer(m_device, &bci, nullptr, &block->buffer); r != VK_SUCCESS)
        return makeError(ErrorKind::OutOfMemory, "cannot create a buffer of " + mib(bytes) + ": " + resultName(r));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(m_device, block->buffer, &req);

    const uint32_t type = host ? m_hostType : m_deviceType;
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = type;
    if (VkResult r = vkAllocateMemory(m_device, &ai, nullptr, &block->memory); r != VK_SUCCESS) {
        vkDestroyBuffer(m_device, block->buffer, nullptr);
        return makeError(ErrorKind::OutOfMemory, std::string("not enough ") + (host ? "host-visible" : "GPU") + " memory on " + m_info.name +
                                                     ": needed " + mib(bytes) + ", available " + mib(available) + " (" + resultName(r) + ")");
    }
    vkBindBufferMemory(m_device, block->buffer, block->memory, 0);

    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(m_physical, &mp);
    if (mp.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
        void* p = nullptr;
        if (vkMapMemory(m_device, block->memory, 0, VK_WHOLE_SIZE, 0, &p) == VK_SUCCESS)
            block->mapped = static_cast<uint8_t*>(p);
    }
    if (block->mapped && m_info.type == DeviceType::Cpu)
        adviseHugePages(block->mapped, bytes);
    block->free[0] = bytes;
    if (!host)
        m_bytesAllocated += bytes;

    for (uint32_t i = 0; i < m_blocks.size(); ++i) {
        if (!m_blocks[i]) {
            m_blocks[i] = std::move(block);
            return i;
        }
    }
    m_blocks.push_back(std::move(block));
    return uint32_t(m_blocks.size() - 1);
}

static bool takeRange(std::map<uint64_t, uint64_t>& free, uint64_t bytes, uint64_t* offset)
{
    for (auto it = free.begin(); it != free.end(); ++it) {
        if (it->second < bytes)
            continue;
        *offset = it->first;
        const uint64_t rest = it->second - bytes;
        free.erase(it);
        if (rest)
            free[*offset + bytes] = rest;
        return true;
    }
    return false;
}

Result<Tensor> Context::allocate(uint64_t bytes)
{
    assert(bytes > 0);
    const uint64_t align = std::max<uint64_t>(256, m_info.minStorageBufferOffsetAlignment);
    const uint64_t reserved = alignUp(bytes, align);
    const uint64_t blockBytes = std::min(m_choice.blockBytes, m_info.maxMemoryAllocationSize);

    uint32_t index = UINT32_MAX;
    uint64_t offset = 0;
    for (uint32_t i = 0; i < m_blocks.size() && index == UINT32_MAX; ++i) {
        Block* b = m_blocks[i].get();
        if (b && !b->host && !b->dedicated && takeRange(b->free, reserved, &offset))
            index = i;
    }
    if (index == UINT32_MAX) {
        const bool dedicated = reserved > blockBytes / 2;
        auto nb = newBlock(dedicated ? reserved : blockBytes, false);
        if (!nb)
            return nb.error();
        index = *nb;
        m_blocks[index]->dedicated = dedicated;
        takeRange(m_blocks[index]->free, reserved, &offset);
    }
    Block* b = m_blocks[index].get();
    Tensor t;
    t.m_ctx = this;
    t.m_block = index;
    t.m_blockOffset = offset;
    t.m_reserved = reserved;
    t.m_view = TensorView{b->buffer, offset, bytes, b->mapped ? b->mapped + offset : nullptr};
    return t;
}

uint64_t Context::bindingLimit() const
{
    return m_choice.maxBindingBytes ? std::min(m_info.maxStorageBufferRange, m_choice.maxBindingBytes)
                                    : m_info.maxStorageBufferRange;
}

Result<SplitTensor> Context::allocateRows(uint64_t rows, uint64_t rowBytes, const std::function<uint64_t(uint64_t)>& chunkBytes)
{
    assert(rows > 0 && rowBytes > 0);
    const uint64_t limit = std::min<uint64_t>(bindingLimit(), m_info.maxMemoryAllocationSize);
    if (rowBytes > limit)
        return makeError(ErrorKind::Unsupported, "one row of " + mib(rowBytes) + " exceeds the device's buffer range of " + mib(limit));
    SplitTensor s;
    s.rows = rows;
    s.rowBytes = rowBytes;
    s.rowsPerChunk = std::min<uint64_t>(rows, limit / rowBytes);
    auto bytesOf = [&](uint64_t n) { return chunkBytes ? chunkBytes(n) : n * rowBytes; };
    uint64_t total = 0;
    for (uint64_t first = 0; first < rows; first += s.rowsPerChunk)
        total += bytesOf(std::min(s.rowsPerChunk, rows - first));
    // Refuse early when the whole matrix cannot fit, with the full size in the message.
    if (total > bytesAvailable())
        return makeError(ErrorKind::OutOfMemory, "not enough GPU memory on " + m_info.name + ": needed " + mib(total) +
                                                     ", available " + mib(bytesAvailable()) + " — choose a smaller model or quantization");
    for (uint64_t first = 0; first < rows; first += s.rowsPerChunk) {
        auto t = allocate(bytesOf(std::min(s.rowsPerChunk, rows - first)));
        if (!t)
            return t.error();
        s.chunks.push_back(std::move(*t));
    }
    return s;
}

Result<Tensor> Context::allocateHost(uint64_t bytes)
{
    assert(bytes > 0);
    auto nb = newBlock(bytes, true);
    if (!nb)
        return nb.error();
    Block* b = m_blocks[*nb].get();
    b->dedicated = true;
    b->free.clear();
    Tensor t;
    t.m_ctx = this;
    t.m_block = *nb;
    t.m_reserved = bytes;
    t.m_view = TensorView{b->buffer, 0, bytes, b->mapped};
    return t;
}

void Context::release(const Tensor& t)
{
    auto& slot = m_blocks[t.m_block];
    assert(slot);
    Block* b = slot.get();
    if (!b->dedicated) {
        auto [it, inserted] = b->free.emplace(t.m_blockOffset, t.m_reserved);
        assert(inserted);
        (void)inserted;
        auto next = std::next(it);  // merge with the following range
        if (next != b->free.end() && it->first + it->second == next->first) {
            it->second += next->second;
            b->free.erase(next);
        }
        if (it != b->free.begin()) {  // and with the preceding one
            auto prev = std::prev(it);
            if (prev->first + prev->second == it->first) {
                prev->second += it->second;
                b->free.erase(it);
            }
        }
        return;  // shared blocks stay for reuse until the Context ends
    }
    if (!b->host)
        m_bytesAllocated -= b->size;
    if (b->mapped)
        vkUnmapMemory(m_device, b->memory);
    destroyTexelViews(b->buffer);
    vkDestroyBuffer(m_device, b->buffer, nullptr);
    vkFreeMemory(m_device, b->memory, nullptr);
    slot.reset();
}

void Context::destroyAllBlocks()
{
    for (auto& b : m_blocks) {
        if (!b)
            continue;
        if (b->mapped)
            vkUnmapMemory(m_device, b->memory);
        destroyTexelViews(b->buffer);
        vkDestroyBuffer(m_device, b->buffer, nullptr);
        vkFreeMemory(m_device, b->memory, nullptr);
        b.reset();
    }
}

VkBufferView Context::texelView(TensorView v)
{
    const uint64_t range = v.size / 16 * 16;
    assert(range > 0 && range / 16 <= m_info.maxTexelBufferElements);
    const auto key = std::make_tuple(v.buffer, v.offset, range);
    if (auto it = m_texelViews.find(key); it != m_texelViews.end())
        return it->second;
    VkBufferViewCreateInfo ci{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
    ci.buffer = v.buffer;
    ci.format = VK_FORMAT_R32G32B32A32_UINT;
    ci.offset = v.offset;
    ci.range = range;
    VkBufferView view = VK_NULL_HANDLE;
    VkResult r = vkCreateBufferView(m_device, &ci, nullptr, &view);
    assert(r == VK_SUCCESS && "buffer view creation failed");
    (void)r;
    m_texelViews.emplace(key, view);
    return view;
}

void Context::destroyTexelViews(VkBuffer buffer)
{
    for (auto it = m_texelViews.begin(); it != m_texelViews.end();) {
        if (std::get<0>(it->first) == buffer) {
            vkDestroyBufferView(m_device, it->second, nullptr);
            it = m_texelViews.erase(it);
        } else {
            ++it;
        }
    }
}

// ---- transfers ----

Result<void> Context::ensureStaging()
{
    if (m_staging.valid())
        return {};
    auto s = allocateHost(m_choice.stagingBytes);
    if (!s)
        return s.error();
    m_staging = std::move(*s);
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_commandPool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 2;
    if (VkResult r = vkAllocateCommandBuffers(m_device, &ai, m_stagingCmd); r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot allocate command buffers: ") + resultName(r));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    for (VkFence& f : m_stagingFence)
        if (VkResult r = vkCreateFence(m_device, &fci, nullptr, &f); r != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("cannot create a fence: ") + resultName(r));
    return {};
}

Result<void> Context::upload(TensorView dst, const void* src, uint64_t bytes)
{
    assert(bytes <= dst.size);
    if (dst.mapped && !m_choice.forceStaging) {
        std::memcpy(dst.mapped, src, bytes);
        return {};
    }
    if (auto r = ensureStaging(); !r)
        return r;
    const uint64_t half = m_staging.size() / 2;
    const uint8_t* p = static_cast<const uint8_t*>(src);
    auto waitHalf = [&](int h) -> VkResult {
        if (!m_stagingBusy[h])
            return VK_SUCCESS;
        m_stagingBusy[h] = false;
        VkResult r = vkWaitForFences(m_device, 1, &m_stagingFence[h], VK_TRUE, UINT64_MAX);
        vkResetFences(m_device, 1, &m_stagingFence[h]);
        return r;
    };
    int h = 0;
    for (uint64_t done = 0; done < bytes; done += half, h ^= 1) {
        const uint64_t n = std::min(half, bytes - done);
        if (VkResult r = waitHalf(h); r != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("upload failed: ") + resultName(r));
        std::memcpy(m_staging.data() + h * half, p + done, n);  // overlaps with the other half's GPU copy
        VkCommandBuffer cb = m_stagingCmd[h];
        vkResetCommandBuffer(cb, 0);
        VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
        vkBeginCommandBuffer(cb, &bi);
        VkBufferCopy region{h * half + m_staging.view().offset, dst.offset + done, n};
        vkCmdCopyBuffer(cb, m_staging.view().buffer, dst.buffer, 1, &region);
        vkEndCommandBuffer(cb);
        VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
        si.commandBufferCount = 1;
        si.pCommandBuffers = &cb;
        if (VkResult r = vkQueueSubmit(m_queue, 1, &si, m_stagingFence[h]); r != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("upload failed: ") + resultName(r));
        m_stagingBusy[h] = true;
    }
    for (int i = 0; i < 2; ++i)
        if (VkResult r = waitHalf(i); r != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("upload failed: ") + resultName(r));
    return {};
}

Result<void> Context::upload(const SplitTensor& dst, const void* src)
{
    const uint8_t* p = static_cast<const uint8_t*>(src);
    for (size_t c = 0; c < dst.chunks.size(); ++c)
        if (auto r = upload(dst.chunks[c], p + dst.chunkFirstRow(c) * dst.rowBytes, dst.chunks[c].size()); !r)
            return r;
    return {};
}

Result<void> Context::download(TensorView src, void* dst, uint64_t bytes)
{
    assert(bytes <= src.size);
    if (src.mapped && !m_choice.forceStaging) {
        std::memcpy(dst, src.mapped, bytes);
        return {};
    }
    if (auto r = ensureStaging(); !r)
        return r;
    const uint64_t chunk = m_staging.size();
    for (uint64_t done = 0; done < bytes; done += chunk) {
        const uint64_t n = std::min(chunk, bytes - done);
        auto r = runOnce([&](VkCommandBuffer cb) {
            VkBufferCopy region{src.offset + done, m_staging.view().offset, n};
            vkCmdCopyBuffer(cb, src.buffer, m_staging.view().buffer, 1, &region);
        });
        if (!r)
            return r;
        std::memcpy(static_cast<uint8_t*>(dst) + done, m_staging.data(), n);
    }
    return {};
}

}  // namespace tiefsee::vk
