// Compute pipelines built from the embedded SPIR-V (shaders/*.comp). The layout is
// derived from the module itself: set 0 holds storage buffers at bindings 0..N-1
// (each marked read-only when the shader declares it `readonly`) or storage texel
// buffers (`readonly uniform uimageBuffer`, bound through Context::texelView), the push-constant
// block's size is read from the module, and the local size is resolved against the
// specialization constants given here. Specialization constants are numbered from 0:
// `spec[i]` is the value of `layout(constant_id = i)`.
#pragma once

#include "core/result.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::vk {

class Context;

// What the SPIR-V module says about its interface.
struct ShaderInterface {
    uint32_t localSize[3] = {1, 1, 1};   // after applying specialization constants
    std::vector<bool> bindingWritten;    // per binding 0..N-1 of set 0: true unless `readonly`
    std::vector<bool> bindingTexel;      // per binding: a storage texel buffer (else a storage buffer)
    bool texel(uint32_t b) const { return b < bindingTexel.size() && bindingTexel[b]; }
    uint32_t pushConstantBytes = 0;      // size of the push_constant block, 0 if none
};

// Parses a module's interface; `spec` resolves local_size_*_id. Asserts on SPIR-V it
// does not understand (only our own build-time shaders are ever passed).
ShaderInterface reflectShader(std::span<const uint32_t> code, std::span<const uint32_t> spec);

class Pipeline {
public:
    Pipeline() = default;
    Pipeline(Pipeline&& o) noexcept { *this = std::move(o); }
    Pipeline& operator=(Pipeline&& o) noexcept;
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;
    ~Pipeline();

    const std::string& name() const { return m_name; }
    const ShaderInterface& interface() const { return m_iface; }
    uint32_t bindingCount() const { return uint32_t(m_iface.bindingWritten.size()); }
    VkPipeline pipeline() const { return m_pipeline; }
    VkPipelineLayout layout() const { return m_layout; }
    VkDescriptorSetLayout setLayout() const { return m_setLayout; }
    bool valid() const { return m_pipeline != VK_NULL_HANDLE; }
    // Whether the pipeline runs in subgroups of exactly DeviceInfo::subgroupSize (required
    // at creation where the device can pin it), rather than of a size the driver picks.
    bool subgroupSizePinned() const { return m_pinnedSubgroup; }

private:
    void destroy();  // releases the Vulkan objects
    friend Result<Pipeline> createPipeline(Context&, std::string_view, std::span<const uint32_t>);
    VkDevice m_device = VK_NULL_HANDLE;
    std::string m_name;
    ShaderInterface m_iface;
    VkPipeline m_pipeline = VK_NULL_HANDLE;
    VkPipelineLayout m_layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout m_setLayout = VK_NULL_HANDLE;
    bool m_pinnedSubgroup = false;
};

// Builds the pipeline of shaders/<shader>.comp (or a -D variant's name) with the given
// specialization constants, through the Context's pipeline cache. Error (NotFound) if
// no such shader is embedded; Device if the driver refuses it.
Result<Pipeline> createPipeline(Context& ctx, std::string_view shader, std::span<const uint32_t> spec = {});
inline Result<Pipeline> createPipeline(Context& ctx, std::string_view shader, std::initializer_list<uint32_t> spec)
{
    return createPipeline(ctx, shader, std::span<const uint32_t>(spec.begin(), spec.size()));
}

}  // namespace tiefsee::vk
