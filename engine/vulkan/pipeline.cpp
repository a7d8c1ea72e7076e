#include "vulkan/pipeline.h"

// Vulkan structs are initialised as {sType} and filled field by field.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "shader_registry.h"
#include "vulkan/context.h"

#include <cassert>
#include <unordered_map>

namespace tiefsee::vk {

// ---- SPIR-V reflection: just enough of the binary format (SPIR-V spec §2.3) ----

namespace {

enum : uint32_t {
    OpExecutionMode = 16, OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23, OpTypeArray = 28,
    OpTypeStruct = 30, OpTypePointer = 32, OpConstant = 43, OpConstantComposite = 44,
    OpSpecConstant = 50, OpSpecConstantComposite = 51, OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72,
    OpExecutionModeId = 331,
};
enum : uint32_t {
    DecSpecId = 1, DecArrayStride = 6, DecBuiltIn = 11, DecNonWritable = 24, DecBinding = 33,
    DecDescriptorSet = 34, DecOffset = 35, BuiltInWorkgroupSize = 25, ModeLocalSize = 17, ModeLocalSizeId = 38,
    StoragePushConstant = 9, StorageStorageBuffer = 12, StorageUniform = 2, StorageUniformConstant = 0,
};

struct Id {
    uint32_t op = 0;                  // defining opcode
    std::vector<uint32_t> operands;   // operands after the result id (type ops) or after result type+id (constants)
    uint32_t type = 0;                // result type (constants, variables)
    int specId = -1, binding = -1, set = -1, arrayStride = 0;
    bool nonWritable = false, workgroupSize = false;
    std::vector<uint32_t> memberOffsets;
    std::vector<bool> memberNonWritable;
};

}  // namespace

ShaderInterface reflectShader(std::span<const uint32_t> code, std::span<const uint32_t> spec)
{
    assert(code.size() > 5 && code[0] == 0x07230203);
    std::unordered_map<uint32_t, Id> ids;
    ShaderInterface out;
    uint32_t sizeIds[3] = {};
    bool haveSizeIds = false;

    for (size_t i = 5; i < code.size();) {
        const uint32_t op = code[i] & 0xffff, words = code[i] >> 16;
        assert(words > 0 && i + words <= code.size());
        const uint32_t* w = &code[i];
        switch (op) {
        case OpExecutionMode:
        case OpExecutionModeId:
            if (w[2] == ModeLocalSize)
                for (int k = 0; k < 3; ++k)
                    out.localSize[k] = w[3 + k];
            if (w[2] == ModeLocalSizeId) {
                haveSizeIds = true;
                for (int k = 0; k < 3; ++k)
                    sizeIds[k] = w[3 + k];
            }
            break;
        case OpDecorate: {
            Id& d = ids[w[1]];
            if (w[2] == DecSpecId) d.specId = int(w[3]);
            if (w[2] == DecBinding) d.binding = int(w[3]);
            if (w[2] == DecDescriptorSet) d.set = int(w[3]);
            if (w[2] == DecArrayStride) d.arrayStride = int(w[3]);
            if (w[2] == DecNonWritable) d.nonWritable = true;
            if (w[2] == DecBuiltIn && w[3] == BuiltInWorkgroupSize) d.workgroupSize = true;
            break;
        }
        case OpMemberDecorate: {
            Id& d = ids[w[1]];
            const uint32_t m = w[2];
            if (d.memberOffsets.size() <= m) {
                d.memberOffsets.resize(m + 1, 0);
                d.memberNonWritable.resize(m + 1, false);
            }
            if (w[3] == DecOffset) d.memberOffsets[m] = w[4];
            if (w[3] == DecNonWritable) d.memberNonWritable[m] = true;
            break;
        }
        case OpTypeInt: case OpTypeFloat: case OpTypeVector: case OpTypeArray: case OpTypeStruct: case OpTypePointer: {
            Id& d = ids[w[1]];
            d.op = op;
            d.operands.assign(w + 2, w + words);
            break;
        }
        case OpConstant: case OpSpecConstant: case OpConstantComposite: case OpSpecConstantComposite: case OpVariable: {
            Id& d = ids[w[2]];
            d.op = op;
            d.type = w[1];
            d.operands.assign(w + 3, w + words);
            break;
        }
        default:
            break;
        }
        i += words;
    }

    auto scalarValue = [&](uint32_t id) -> uint32_t {
        const Id& c = ids[id];
        if (c.specId >= 0 && size_t(c.specId) < spec.size())
            return spec[c.specId];
        assert(!c.operands.empty());
        return c.operands[0];
    };
    auto typeBytes = [&](auto& self, uint32_t typeId) -> uint32_t {
        const Id& t = ids[typeId];
        switch (t.op) {
        case OpTypeInt: case OpTypeFloat: return t.operands[0] / 8;
        case OpTypeVector: return self(self, t.operands[0]) * t.operands[1];
        case OpTypeArray: return uint32_t(t.arrayStride) * scalarValue(t.operands[1]);
        case OpTypeStruct: {
            uint32_t end = 0;
            for (size_t m = 0; m < t.operands.size(); ++m)
                end = std::max(end, (m < ids[typeId].memberOffsets.size() ? ids[typeId].memberOffsets[m] : 0) + self(self, t.operands[m]));
            return end;
        }
        default: assert(!"unsupported push-constant member type"); return 0;
        }
    };

    for (auto& [id, d] : ids) {
        if (d.workgroupSize && (d.op == OpConstantComposite || d.op == OpSpecConstantComposite))
            for (int k = 0; k < 3; ++k)
                out.localSize[k] = scalarValue(d.operands[k]);
        if (d.op != OpVariable)
            continue;
        const uint32_t storage = d.operands[0];
        const Id& ptr = ids[d.type];
        const uint32_t structId = ptr.operands[1];
        if (storage == StoragePushConstant) {
            out.pushConstantBytes = typeBytes(typeBytes, structId);
        } else if ((storage == StorageStorageBuffer || storage == StorageUniform) && d.binding >= 0) {
            assert(d.set <= 0 && "Tiefsee shaders use descriptor set 0 only");
            if (out.bindingWritten.size() <= size_t(d.binding))
                out.bindingWritten.resize(d.binding + 1, false);
            const Id& st = ids[structId];
            bool allReadonly = !st.memberNonWritable.empty();
            for (bool nw : st.memberNonWritable)
                allReadonly = allReadonly && nw;
            out.bindingWritten[d.binding] = !(d.nonWritable || allReadonly);
        } else if (storage == StorageUniformConstant && d.binding >= 0) {
            // A `uniform uimageBuffer`: read (or, without `readonly`, also written) through a
            // texel view of 16-byte texels.
            assert(d.set <= 0 && "Tiefsee shaders use descriptor set 0 only");
            if (out.bindingWritten.size() <= size_t(d.binding))
                out.bindingWritten.resize(d.binding + 1, false);
            if (out.bindingTexel.size() <= size_t(d.binding))
                out.bindingTexel.resize(d.binding + 1, false);
            out.bindingTexel[d.binding] = true;
            out.bindingWritten[d.binding] = !d.nonWritable;
        }
    }
    if (haveSizeIds)
        for (int k = 0; k < 3; ++k)
            out.localSize[k] = scalarValue(sizeIds[k]);
    return out;
}

// ---- Pipeline ----

Pipeline& Pipeline::operator=(Pipeline&& o) noexcept
{
    if (this != &o) {
        destroy();
        m_device = o.m_device;
        m_name = std::move(o.m_name);
        m_iface = std::move(o.m_iface);
        m_pipeline = o.m_pipeline;
        m_layout = o.m_layout;
        m_setLayout = o.m_setLayout;
        m_pinnedSubgroup = o.m_pinnedSubgroup;
        o.m_pipeline = VK_NULL_HANDLE;
        o.m_layout = VK_NULL_HANDLE;
        o.m_setLayout = VK_NULL_HANDLE;
    }
    return *this;
}

Pipeline::~Pipeline() { destroy(); }

void Pipeline::destroy()
{
    if (m_pipeline) vkDestroyPipeline(m_device, m_pipeline, nullptr);
    if (m_layout) vkDestroyPipelineLayout(m_device, m_layout, nullptr);
    if (m_setLayout) vkDestroyDescriptorSetLayout(m_device, m_setLayout, nullptr);
    m_pipeline = VK_NULL_HANDLE;
    m_layout = VK_NULL_HANDLE;
    m_setLayout = VK_NULL_HANDLE;
}

Result<Pipeline> createPipeline(Context& ctx, std::string_view shader, std::span<const uint32_t> spec)
{
    const shaders::ShaderBinary* bin = shaders::find(shader);
    if (!bin)
        return makeError(ErrorKind::NotFound, "no shader named '" + std::string(shader) + "' is built into Tiefsee");
    std::span<const uint32_t> code(bin->code, bin->words);

    Pipeline p;
    p.m_device = ctx.device();
    p.m_name = std::string(shader);
    p.m_iface = reflectShader(code, spec);
    assert(p.m_iface.pushConstantBytes <= ctx.info().maxPushConstantsSize);
    const uint32_t invocations = p.m_iface.localSize[0] * p.m_iface.localSize[1] * p.m_iface.localSize[2];
    if (invocations > ctx.info().maxComputeWorkGroupInvocations)
        return makeError(ErrorKind::Unsupported, "shader " + p.m_name + " wants " + std::to_string(invocations) +
                                                     " invocations per workgroup; the device allows " +
                                                     std::to_string(ctx.info().maxComputeWorkGroupInvocations));

    std::vector<VkDescriptorSetLayoutBinding> bindings(p.bindingCount());
    for (uint32_t b = 0; b < bindings.size(); ++b)
        bindings[b] = VkDescriptorSetLayoutBinding{b, p.m_iface.texel(b) ? VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                                   1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo sci{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    sci.bindingCount = uint32_t(bindings.size());
    sci.pBindings = bindings.data();
    VkDevice dev = ctx.device();
    auto fail = [&](const char* what, VkResult r) {
        return makeError(ErrorKind::Device, "cannot create " + std::string(what) + " for shader " + p.m_name + ": " + resultName(r));
    };
    if (VkResult r = vkCreateDescriptorSetLayout(dev, &sci, nullptr, &p.m_setLayout); r != VK_SUCCESS)
        return fail("a descriptor set layout", r);

    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, p.m_iface.pushConstantBytes};
    VkPipelineLayoutCreateInfo lci{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    lci.setLayoutCount = 1;
    lci.pSetLayouts = &p.m_setLayout;
    lci.pushConstantRangeCount = range.size ? 1 : 0;
    lci.pPushConstantRanges = &range;
    if (VkResult r = vkCreatePipelineLayout(dev, &lci, nullptr, &p.m_layout); r != VK_SUCCESS)
        return fail("a pipeline layout", r);

    VkShaderModuleCreateInfo mci{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    mci.codeSize = code.size_bytes();
    mci.pCode = code.data();
    VkShaderModule module = VK_NULL_HANDLE;
    if (VkResult r = vkCreateShaderModule(dev, &mci, nullptr, &module); r != VK_SUCCESS)
        return fail("a shader module", r);

    std::vector<VkSpecializationMapEntry> entries(spec.size());
    for (uint32_t i = 0; i < spec.size(); ++i)
        entries[i] = VkSpecializationMapEntry{i, i * 4, 4};
    VkSpecializationInfo si{uint32_t(entries.size()), entries.data(), spec.size_bytes(), spec.data()};

    VkComputePipelineCreateInfo pci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    pci.stage = VkPipelineShaderStageCreateInfo{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    pci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pci.stage.module = module;
    pci.stage.pName = "main";
    pci.stage.pSpecializationInfo = spec.empty() ? nullptr : &si;
    // Shaders and the host size their work by DeviceInfo::subgroupSize (a workgroup of that
    // many invocations is one subgroup, lanes of a row or head reduce by subgroup ops).
    // Drivers that choose a size per pipeline (Intel's 8, 16 or 32) would break that, so
    // the size is required wherever the device can (every Vulkan 1.3 device has the
    // feature) and the workgroup allows.
    VkPipelineShaderStageRequiredSubgroupSizeCreateInfo size{
        VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO};
    size.requiredSubgroupSize = ctx.info().subgroupSize;
    p.m_pinnedSubgroup = ctx.info().subgroupSizeControl &&
                         invocations <= uint64_t(ctx.info().maxComputeWorkgroupSubgroups) * ctx.info().subgroupSize;
    if (p.m_pinnedSubgroup)
        pci.stage.pNext = &size;
    pci.layout = p.m_layout;
    VkResult r = vkCreateComputePipelines(dev, ctx.pipelineCache(), 1, &pci, nullptr, &p.m_pipeline);
    vkDestroyShaderModule(dev, module, nullptr);
    if (r != VK_SUCCESS)
        return fail("a compute pipeline", r);
    return p;
}

}  // namespace tiefsee::vk
