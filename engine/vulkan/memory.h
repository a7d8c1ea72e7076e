// GPU memory as Tiefsee's shaders see it: a TensorView is a byte range of one VkBuffer
// (what a descriptor binds); a Tensor owns such a range, sub-allocated from a large
// block; a SplitTensor is a row-major matrix cut into row chunks so that each chunk
// fits one storage-buffer binding (maxStorageBufferRange, 128 MiB on lavapipe).
#pragma once

#include <vulkan/vulkan.h>

#include <cassert>
#include <cstdint>
#include <vector>

namespace tiefsee::vk {

class Context;

// A non-owning byte range of a buffer. Cheap to copy; valid while its Tensor lives.
struct TensorView {
    VkBuffer buffer = VK_NULL_HANDLE;
    uint64_t offset = 0;       // bytes from the start of `buffer`
    uint64_t size = 0;         // bytes
    uint8_t* mapped = nullptr; // host pointer to byte `offset` when the memory is host-visible, else null

    bool valid() const { return buffer != VK_NULL_HANDLE; }
    // Bytes [off, off + bytes) of this view.
    TensorView sub(uint64_t off, uint64_t bytes) const
    {
        assert(off + bytes <= size);
        return TensorView{buffer, offset + off, bytes, mapped ? mapped + off : nullptr};
    }
    // This view widened back to the multiple of `align` bytes at or below its offset (a
    // storage-buffer binding's offset alignment); `*leadFloats` gets how many floats the
    // widened view starts early, for the shader to skip.
    TensorView alignedDown(uint64_t align, uint32_t* leadFloats) const
    {
        const uint64_t lead = offset % align;
        assert(lead % 4 == 0);
        *leadFloats = uint32_t(lead / 4);
        return TensorView{buffer, offset - lead, size + lead, mapped ? mapped - lead : nullptr};
    }
};

// An owned allocation (device-local, or host-visible for staging/readback). Move-only;
// returns its range to the Context's allocator when destroyed, so it must not outlive
// the Context.
class Tensor {
public:
    Tensor() = default;
    Tensor(Tensor&& o) noexcept { *this = std::move(o); }
    Tensor& operator=(Tensor&& o) noexcept;
    Tensor(const Tensor&) = delete;
    Tensor& operator=(const Tensor&) = delete;
    ~Tensor() { reset(); }

    TensorView view() const { return m_view; }
    operator TensorView() const { return m_view; }
    uint64_t size() const { return m_view.size; }
    // Host pointer for host-visible memory (HostBuffer, or device memory on UMA/CPU devices), else null.
    uint8_t* data() const { return m_view.mapped; }
    bool valid() const { return m_view.valid(); }
    void reset();  // frees now

private:
    friend class Context;
    Context* m_ctx = nullptr;
    uint32_t m_block = 0;         // index of the allocator block
    uint64_t m_blockOffset = 0;   // start of the reserved (aligned) range in the block
    uint64_t m_reserved = 0;      // reserved bytes (size rounded up to the alignment)
    TensorView m_view;
};

// A row-major matrix of `rows` rows of `rowBytes` bytes each, stored as consecutive
// chunks of `rowsPerChunk` rows (the last may be shorter). Shaders see one chunk per
// dispatch: bind chunks[c] and pass its first row c * rowsPerChunk as a push constant.
struct SplitTensor {
    std::vector<Tensor> chunks;
    uint64_t rows = 0;
    uint64_t rowBytes = 0;
    uint64_t rowsPerChunk = 0;

    uint64_t chunkFirstRow(size_t c) const { return c * rowsPerChunk; }
    uint64_t chunkRows(size_t c) const
    {
        const uint64_t first = chunkFirstRow(c);
        return rows - first < rowsPerChunk ? rows - first : rowsPerChunk;
    }
    // Bytes held on the device: rows * rowBytes for GGUF's block layout, the chunks' own
    // sizes for a repacked layout (the texel layout pads some types).
    uint64_t bytes() const
    {
        uint64_t b = 0;
        for (const Tensor& c : chunks)
            b += c.size();
        return b;
    }
};

}  // namespace tiefsee::vk
