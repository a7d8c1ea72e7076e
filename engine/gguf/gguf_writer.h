// GGUF v3 writer: metadata of every value type (arrays, nested arrays), tensor
// infos and aligned tensor data, streamed to a file (or kept in memory for tests).
// Usage: add metadata and declare every tensor, then begin(), then writeTensor() for
// each tensor in declaration order, then finish(). Not thread-safe; the caller may
// produce tensor bytes on many threads and hand them over in order.
#pragma once

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "quant/ggml_type.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace tiefsee::gguf {

class GgufWriter {
public:
    GgufWriter() = default;
    ~GgufWriter();
    GgufWriter(const GgufWriter&) = delete;
    GgufWriter& operator=(const GgufWriter&) = delete;

    // ---- metadata (keys must be unique: asserted). Written in call order.
    void setUInt8(std::string_view key, uint8_t v);
    void setInt8(std::string_view key, int8_t v);
    void setUInt16(std::string_view key, uint16_t v);
    void setInt16(std::string_view key, int16_t v);
    void setUInt32(std::string_view key, uint32_t v);
    void setInt32(std::string_view key, int32_t v);
    void setUInt64(std::string_view key, uint64_t v);
    void setInt64(std::string_view key, int64_t v);
    void setFloat32(std::string_view key, float v);
    void setFloat64(std::string_view key, double v);
    void setBool(std::string_view key, bool v);
    void setString(std::string_view key, std::string_view v);
    void setStringArray(std::string_view key, const std::vector<std::string>& v);
    void setInt32Array(std::string_view key, const std::vector<int32_t>& v);
    void setFloat32Array(std::string_view key, const std::vector<float>& v);
    // A numeric/bool array from packed little-endian element bytes (count elements).
    void setRawArray(std::string_view key, ValueType elemType, uint64_t count, const void* data);
    // Copies a value read by GgufFile (any type, including nested arrays).
    void setValue(std::string_view key, const Value& v);
    // general.alignment (power of two, default 32); written as uint32 metadata.
    void setAlignment(uint32_t alignment);

    // ---- tensors. shape in ggml order (ne[0] contiguous), 1 to 4 dims.
    void addTensor(std::string_view name, GgmlType type, const std::vector<uint64_t>& shape);
    size_t tensorCount() const { return m_tensors.size(); }
    uint64_t tensorBytes(size_t i) const { return m_tensors[i].nBytes; }
    const std::string& tensorName(size_t i) const { return m_tensors[i].name; }

    // ---- output
    // Opens `path` (truncating) and writes header, metadata and tensor infos.
    Result<void> begin(const std::string& path);
    // Same, into memory (see bytes()).
    Result<void> beginInMemory();
    // Writes tensor i's data (exactly tensorBytes(i) bytes); tensors go in declaration order.
    Result<void> writeTensor(size_t i, const void* data, size_t bytes);
    // Streams tensor i in pieces: consecutive calls append until tensorBytes(i) bytes
    // have been written, then the next tensor starts.
    Result<void> writeTensorPart(size_t i, const void* data, size_t bytes);
    // Checks every tensor was written, flushes and closes. Total size in bytes.
    Result<uint64_t> finish();
    const std::vector<uint8_t>& bytes() const { return m_memory; }

private:
    struct Tensor {
        std::string name;
        GgmlType type;
        std::vector<uint64_t> shape;
        uint64_t nBytes = 0;
        uint64_t offset = 0;  // relative to the data section
    };
    void key(std::string_view k, ValueType t);
    template <typename T> void put(T v);
    void putString(std::string_view s);
    void encodeValueBody(const Value& v);
    Result<void> writeBytes(const void* data, size_t n);
    Result<void> pad(uint64_t alignment);

    std::vector<uint8_t> m_kv;  // encoded key/value pairs
    uint64_t m_kvCount = 0;
    std::unordered_set<std::string> m_keys;
    std::vector<Tensor> m_tensors;
    std::unordered_set<std::string> m_tensorNames;
    uint32_t m_alignment = 32;
    uint64_t m_dataBytes = 0;

    std::FILE* m_file = nullptr;
    bool m_inMemory = false;
    std::vector<uint8_t> m_memory;
    std::string m_path;
    uint64_t m_written = 0;      // bytes emitted so far
    uint64_t m_dataStart = 0;    // absolute offset of the data section
    size_t m_nextTensor = 0;
    uint64_t m_partWritten = 0;  // bytes of tensor m_nextTensor written so far
};

}  // namespace tiefsee::gguf
