#include "vulkan/recorder.h"

// Vulkan structs are initialised as {sType} and filled field by field.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "vulkan/context.h"

#include <algorithm>
#include <cassert>

namespace tiefsee::vk {

namespace {

constexpr uint32_t kSetsPerPool = 1024;
constexpr VkPipelineStageFlags kStages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
constexpr VkAccessFlags kWrites = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
constexpr VkAccessFlags kAll = kWrites | VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT;

bool overlaps(VkBuffer b, uint64_t off, uint64_t size, VkBuffer b2, uint64_t off2, uint64_t size2)
{
    return b == b2 && off < off2 + size2 && off2 < off + size;
}

// Bytes between work counters: each is bound on its own, at a storage-buffer offset alignment.
uint64_t counterStride(const Context& ctx) { return std::max<uint64_t>(4, ctx.info().minStorageBufferOffsetAlignment); }

}  // namespace

Groups groupsFor(const Pipeline& p, uint32_t x, uint32_t y, uint32_t z)
{
    const uint32_t* l = p.interface().localSize;
    return Groups{(x + l[0] - 1) / l[0], (y + l[1] - 1) / l[1], (z + l[2] - 1) / l[2]};
}

Result<Recorder> Recorder::create(Context& ctx, const RecorderOptions& options)
{
    Recorder r;
    r.m_ctx = &ctx;
    r.m_opt = options;
    VkDevice dev = ctx.device();
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = ctx.commandPool();
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    if (VkResult e = vkAllocateCommandBuffers(dev, &ai, &r.m_cmd); e != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot allocate a command buffer: ") + resultName(e));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (VkResult e = vkCreateFence(dev, &fci, nullptr, &r.m_fence); e != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot create a fence: ") + resultName(e));
    if (options.profile) {
        if (!ctx.info().timestamps)
            return makeError(ErrorKind::Unsupported, "device " + ctx.info().name + " cannot time GPU work (no timestamps)");
        VkQueryPoolCreateInfo qci{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        qci.queryType = VK_QUERY_TYPE_TIMESTAMP;
        qci.queryCount = options.maxOps + 1;
        if (VkResult e = vkCreateQueryPool(dev, &qci, nullptr, &r.m_queries); e != VK_SUCCESS)
            return makeError(ErrorKind::Device, std::string("cannot create a query pool: ") + resultName(e));
    }
    return r;
}

Recorder& Recorder::operator=(Recorder&& o) noexcept
{
    if (this != &o) {
        destroy();
        m_ctx = o.m_ctx;
        m_opt = o.m_opt;
        m_cmd = o.m_cmd;
        m_fence = o.m_fence;
        m_inFlight = o.m_inFlight;
        m_recording = o.m_recording;
        m_pools = std::move(o.m_pools);
        m_pool = o.m_pool;
        m_queries = o.m_queries;
        m_counters = std::move(o.m_counters);
        m_countersUsed = o.m_countersUsed;
        m_names = std::move(o.m_names);
        m_pendingWrites = std::move(o.m_pendingWrites);
        m_pendingReads = std::move(o.m_pendingReads);
        m_barriers = o.m_barriers;
        o.m_ctx = nullptr;
        o.m_cmd = VK_NULL_HANDLE;
        o.m_fence = VK_NULL_HANDLE;
        o.m_queries = VK_NULL_HANDLE;
        o.m_pools.clear();
    }
    return *this;
}

Recorder::~Recorder() { destroy(); }

void Recorder::destroy()
{
    if (!m_ctx)
        return;
    VkDevice dev = m_ctx->device();
    if (m_inFlight)
        vkWaitForFences(dev, 1, &m_fence, VK_TRUE, UINT64_MAX);
    for (VkDescriptorPool p : m_pools)
        vkDestroyDescriptorPool(dev, p, nullptr);
    if (m_queries)
        vkDestroyQueryPool(dev, m_queries, nullptr);
    if (m_fence)
        vkDestroyFence(dev, m_fence, nullptr);
    if (m_cmd)
        vkFreeCommandBuffers(dev, m_ctx->commandPool(), 1, &m_cmd);
    m_counters.reset();
    m_pools.clear();
    m_queries = VK_NULL_HANDLE;
    m_fence = VK_NULL_HANDLE;
    m_cmd = VK_NULL_HANDLE;
    m_inFlight = false;
    m_ctx = nullptr;
}

void Recorder::begin()
{
    assert(m_ctx && !m_recording);
    (void)wait();
    vkResetCommandBuffer(m_cmd, 0);
    for (VkDescriptorPool p : m_pools)
        vkResetDescriptorPool(m_ctx->device(), p, 0);
    m_pool = 0;
    m_names.clear();
    m_pendingWrites.clear();
    m_pendingReads.clear();
    m_barriers = 0;
    m_countersUsed = 0;

    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    vkBeginCommandBuffer(m_cmd, &bi);
    m_recording = true;
    if (m_queries) {
        vkCmdResetQueryPool(m_cmd, m_queries, 0, m_opt.maxOps + 1);
        vkCmdWriteTimestamp(m_cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, m_queries, 0);
    }
    // Orders this submission after whatever ran before on the queue (the previous token).
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, kAll, kAll};
    vkCmdPipelineBarrier(m_cmd, kStages, kStages, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

VkDescriptorSet Recorder::allocateSet(const Pipeline& p)
{
    VkDevice dev = m_ctx->device();
    VkDescriptorSetLayout layout = p.setLayout();
    for (;; ++m_pool) {
        if (m_pool == m_pools.size()) {
            const VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerPool * 8},
                                                   {VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER, kSetsPerPool * 2}};
            VkDescriptorPoolCreateInfo ci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
            ci.maxSets = kSetsPerPool;
            ci.poolSizeCount = 2;
            ci.pPoolSizes = sizes;
            VkDescriptorPool pool = VK_NULL_HANDLE;
            VkResult r = vkCreateDescriptorPool(dev, &ci, nullptr, &pool);
            assert(r == VK_SUCCESS && "descriptor pool creation failed");
            (void)r;
            m_pools.push_back(pool);
        }
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = m_pools[m_pool];
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &layout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        if (vkAllocateDescriptorSets(dev, &ai, &set) == VK_SUCCESS)
            return set;  // else this pool is full: move to the next
    }
}

void Recorder::fullBarrier()
{
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, kAll, kAll};
    vkCmdPipelineBarrier(m_cmd, kStages, kStages, 0, 1, &mb, 0, nullptr, 0, nullptr);
    m_pendingWrites.clear();
    m_pendingReads.clear();
    ++m_barriers;
}

void Recorder::track(const Range* reads, size_t nr, const Range* writes, size_t nw)
{
    bool hazard = false;
    for (const Range& w : m_pendingWrites) {
        for (size_t i = 0; i < nr && !hazard; ++i)
            hazard = overlaps(w.buffer, w.offset, w.size, reads[i].buffer, reads[i].offset, reads[i].size);
        for (size_t i = 0; i < nw && !hazard; ++i)
            hazard = overlaps(w.buffer, w.offset, w.size, writes[i].buffer, writes[i].offset, writes[i].size);
    }
    for (const Range& r : m_pendingReads)  // write-after-read needs an execution dependency
        for (size_t i = 0; i < nw && !hazard; ++i)
            hazard = overlaps(r.buffer, r.offset, r.size, writes[i].buffer, writes[i].offset, writes[i].size);

    if (hazard) {
        // One barrier covering every range written since the last barrier.
        std::vector<VkBufferMemoryBarrier> bars;
        for (const Range& w : m_pendingWrites) {
            VkBufferMemoryBarrier b{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
            b.srcAccessMask = kWrites;
            b.dstAccessMask = kAll;
            b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
            b.buffer = w.buffer;
            b.offset = w.offset;
            b.size = w.size;
            bars.push_back(b);
        }
        vkCmdPipelineBarrier(m_cmd, kStages, kStages, 0, 0, nullptr, uint32_t(bars.size()), bars.data(), 0, nullptr);
        m_pendingWrites.clear();
        m_pendingReads.clear();
        ++m_barriers;
    }
    m_pendingReads.insert(m_pendingReads.end(), reads, reads + nr);
    m_pendingWrites.insert(m_pendingWrites.end(), writes, writes + nw);
}

void Recorder::afterOp(std::string_view name)
{
    assert(m_names.size() < m_opt.maxOps && "raise RecorderOptions::maxOps");
    m_names.emplace_back(name);
    if (m_queries) {
        vkCmdWriteTimestamp(m_cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, m_queries, uint32_t(m_names.size()));
        fullBarrier();  // the next op starts after this one ends, so each timestamp pair brackets one op
    }
}

void Recorder::dispatch(const Pipeline& p, std::initializer_list<TensorView> bindings, Groups groups, const void* push,
                        uint32_t pushBytes, std::string_view name)
{
    assert(m_recording);
    assert(bindings.size() == p.bindingCount() && "binding count differs from the shader's");
    assert(pushBytes == p.interface().pushConstantBytes && "push-constant size differs from the shader's");
    const DeviceInfo& info = m_ctx->info();
    assert(groups.x <= info.maxComputeWorkGroupCount[0] && groups.y <= info.maxComputeWorkGroupCount[1] &&
           groups.z <= info.maxComputeWorkGroupCount[2]);
    (void)info;
    if (groups.x == 0 || groups.y == 0 || groups.z == 0)
        return;

    VkDescriptorSet set = allocateSet(p);
    VkDescriptorBufferInfo infos[16];
    VkBufferView views[16];
    VkWriteDescriptorSet writes[16];
    Range reads[16], written[16];
    size_t nr = 0, nw = 0;
    assert(bindings.size() <= 16);
    uint32_t i = 0;
    for (const TensorView& v : bindings) {
        const bool texel = p.interface().texel(i);
        assert(v.valid() && v.size > 0 && (texel || v.size <= m_ctx->info().maxStorageBufferRange));
        assert(texel || v.offset % std::max<uint64_t>(1, m_ctx->info().minStorageBufferOffsetAlignment) == 0);
        writes[i] = VkWriteDescriptorSet{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        if (texel) {
            views[i] = m_ctx->texelView(v);
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER;
            writes[i].pTexelBufferView = &views[i];
        } else {
            infos[i] = VkDescriptorBufferInfo{v.buffer, v.offset, v.size};
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            writes[i].pBufferInfo = &infos[i];
        }
        if (p.interface().bindingWritten[i])
            written[nw++] = Range{v.buffer, v.offset, v.size};
        else
            reads[nr++] = Range{v.buffer, v.offset, v.size};
        ++i;
    }
    vkUpdateDescriptorSets(m_ctx->device(), i, writes, 0, nullptr);
    track(reads, nr, written, nw);

    vkCmdBindPipeline(m_cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline());
    vkCmdBindDescriptorSets(m_cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout(), 0, 1, &set, 0, nullptr);
    if (pushBytes)
        vkCmdPushConstants(m_cmd, p.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes, push);
    vkCmdDispatch(m_cmd, groups.x, groups.y, groups.z);
    afterOp(name.empty() ? std::string_view(p.name()) : name);
}

Result<TensorView> Recorder::workCounter()
{
    assert(m_recording && m_countersUsed < m_opt.maxOps);
    if (!m_counters.valid()) {  // allocated on first use: only CPU-device kernels take counters
        auto t = m_ctx->allocate(uint64_t(m_opt.maxOps) * counterStride(*m_ctx));
        if (!t)
            return t.error();
        m_counters = std::move(*t);
    }
    const TensorView all = m_counters.view();
    if (m_countersUsed == 0) {
        // Zeroes every counter; tracked as a write, so the first dispatch that takes a
        // counter waits for it.
        vkCmdFillBuffer(m_cmd, all.buffer, all.offset, all.size, 0);
        const Range w{all.buffer, all.offset, all.size};
        track(nullptr, 0, &w, 1);
    }
    return all.sub(uint64_t(m_countersUsed++) * counterStride(*m_ctx), 4);
}

void Recorder::copy(TensorView src, TensorView dst, std::string_view name)
{
    assert(m_recording);
    const uint64_t n = std::min(src.size, dst.size);
    Range r{src.buffer, src.offset, n}, w{dst.buffer, dst.offset, n};
    track(&r, 1, &w, 1);
    VkBufferCopy region{src.offset, dst.offset, n};
    vkCmdCopyBuffer(m_cmd, src.buffer, dst.buffer, 1, &region);
    afterOp(name);
}

void Recorder::end()
{
    assert(m_recording);
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, kWrites, VK_ACCESS_HOST_READ_BIT | kAll};
    vkCmdPipelineBarrier(m_cmd, kStages, kStages | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, nullptr, 0, nullptr);
    vkEndCommandBuffer(m_cmd);
    m_recording = false;
}

Result<void> Recorder::submit()
{
    assert(!m_recording && "call end() before submit()");
    if (auto r = wait(); !r)
        return r;
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &m_cmd;
    vkResetFences(m_ctx->device(), 1, &m_fence);
    if (VkResult r = vkQueueSubmit(m_ctx->queue(), 1, &si, m_fence); r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("cannot submit GPU work: ") + resultName(r));
    m_inFlight = true;
    return {};
}

Result<void> Recorder::wait()
{
    if (!m_inFlight)
        return {};
    m_inFlight = false;
    VkResult r = vkWaitForFences(m_ctx->device(), 1, &m_fence, VK_TRUE, UINT64_MAX);
    if (r != VK_SUCCESS)
        return makeError(ErrorKind::Device, std::string("GPU work failed: ") + resultName(r) +
                                                (r == VK_ERROR_DEVICE_LOST ? " — the driver reset the GPU; restart Tiefsee" : ""));
    return {};
}

std::vector<OpTiming> Recorder::timings() const
{
    std::vector<OpTiming> out;
    if (!m_queries || m_names.empty() || m_inFlight)
        return out;
    std::vector<uint64_t> ticks(m_names.size() + 1);
    VkResult r = vkGetQueryPoolResults(m_ctx->device(), m_queries, 0, uint32_t(ticks.size()), ticks.size() * 8, ticks.data(), 8,
                                       VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
    if (r != VK_SUCCESS)
        return out;
    const double msPerTick = m_ctx->info().timestampPeriodNs * 1e-6;
    for (size_t i = 0; i < m_names.size(); ++i)
        out.push_back(OpTiming{m_names[i], double(ticks[i + 1] - ticks[i]) * msPerTick});
    return out;
}

}  // namespace tiefsee::vk
