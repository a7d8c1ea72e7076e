// Records a sequence of compute dispatches (and buffer copies) into one command buffer
// that can be submitted any number of times — the decode loop records a token's work
// once and re-submits it per token. Barriers are derived, not written by hand: each
// dispatch knows which bindings its shader writes (pipeline reflection), and a buffer
// memory barrier is inserted only before an op that touches a range an earlier op
// wrote (read-after-write, write-after-write) or writes a range an earlier op read.
// In profile mode every op is fenced by a barrier and timed with GPU timestamps.
#pragma once

#include "core/result.h"
#include "vulkan/memory.h"
#include "vulkan/pipeline.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace tiefsee::vk {

class Context;

struct Groups {
    uint32_t x = 1, y = 1, z = 1;  // workgroup counts
};

// Workgroups needed to cover `x * y * z` invocations with the pipeline's local size.
Groups groupsFor(const Pipeline& p, uint32_t x, uint32_t y = 1, uint32_t z = 1);

struct OpTiming {
    std::string name;   // as given to dispatch()/copy(), or the pipeline's name
    double ms = 0;      // GPU time of this op
};

struct RecorderOptions {
    bool profile = false;          // timestamp every op (serializes ops with barriers)
    uint32_t maxOps = 4096;        // ops per recording (descriptor sets / timestamps)
};

class Recorder {
public:
    static Result<Recorder> create(Context& ctx, const RecorderOptions& options = {});
    Recorder() = default;
    Recorder(Recorder&& o) noexcept { *this = std::move(o); }
    Recorder& operator=(Recorder&& o) noexcept;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;
    ~Recorder();

    // Starts a new recording, dropping the previous one. Waits for a submission in flight.
    void begin();
    // Appends a dispatch. `bindings[i]` is bound at binding i (count must match the
    // shader); each view must be <= maxStorageBufferRange. `push` must be exactly the
    // shader's push-constant size (asserted).
    void dispatch(const Pipeline& p, std::initializer_list<TensorView> bindings, Groups groups, const void* push,
                  uint32_t pushBytes, std::string_view name = {});
    template <typename Push>
    void dispatch(const Pipeline& p, std::initializer_list<TensorView> bindings, Groups groups, const Push& push,
                  std::string_view name = {})
    {
        dispatch(p, bindings, groups, &push, uint32_t(sizeof(Push)), name);
    }
    void dispatch(const Pipeline& p, std::initializer_list<TensorView> bindings, Groups groups, std::string_view name = {})
    {
        dispatch(p, bindings, groups, nullptr, 0, name);
    }
    // A 4-byte counter that is zero when each submission of this recording starts, for
    // one dispatch whose workgroups take jobs from it with atomics (each call returns a
    // new one). On CPU devices the driver splits a dispatch's workgroups evenly between
    // its threads; a few workgroups that pull jobs from a counter keep every thread busy
    // until the dispatch's work is done instead.
    // Errors only when its buffer (maxOps counters, made on first use) cannot be allocated.
    Result<TensorView> workCounter();
    // Appends a buffer copy of min(src.size, dst.size) bytes.
    void copy(TensorView src, TensorView dst, std::string_view name = "copy");
    // Ends the recording (adds the final barrier that makes results visible to the host).
    void end();

    // Submits the recorded work (again). Waits first if the previous submission is still running.
    Result<void> submit();
    // Waits for the last submission.
    Result<void> wait();
    Result<void> run() { auto r = submit(); return r ? wait() : r; }

    // Per-op GPU times of the last finished submission (profile mode; empty otherwise).
    std::vector<OpTiming> timings() const;
    uint32_t barrierCount() const { return m_barriers; }  // barriers in the current recording
    uint32_t opCount() const { return uint32_t(m_names.size()); }
    VkCommandBuffer commandBuffer() const { return m_cmd; }

private:
    struct Range {
        VkBuffer buffer;
        uint64_t offset, size;
    };
    void destroy();  // releases the Vulkan objects
    void track(const Range* reads, size_t nr, const Range* writes, size_t nw);
    void fullBarrier();
    void afterOp(std::string_view name);
    VkDescriptorSet allocateSet(const Pipeline& p);

    Context* m_ctx = nullptr;
    RecorderOptions m_opt;
    VkCommandBuffer m_cmd = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    bool m_inFlight = false;
    bool m_recording = false;
    std::vector<VkDescriptorPool> m_pools;  // grows when a recording needs more sets
    size_t m_pool = 0;                       // pool currently allocated from
    VkQueryPool m_queries = VK_NULL_HANDLE;
    Tensor m_counters;                       // maxOps work counters, zeroed at the first use per recording
    uint32_t m_countersUsed = 0;
    std::vector<std::string> m_names;        // op names of the current recording
    std::vector<Range> m_pendingWrites;      // written since the last barrier
    std::vector<Range> m_pendingReads;       // read since the last barrier
    uint32_t m_barriers = 0;
};

}  // namespace tiefsee::vk
