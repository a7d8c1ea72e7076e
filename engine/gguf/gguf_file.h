// GGUF reader: parses a GGUF v2/v3 file through a read-only memory map and exposes
// typed metadata look-ups and tensor views without copying. The file is untrusted:
// every structural problem becomes an Error naming the problem and its byte offset.
// Spec: ggml's docs/gguf.md.
#pragma once

#include "core/result.h"
#include "quant/ggml_type.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tiefsee::gguf {

// Metadata value types as numbered by the GGUF spec.
enum class ValueType : uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6,
    Bool = 7, String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};

// "uint32", "string", "array", ... for messages and `info`.
std::string_view valueTypeName(ValueType t);

// One metadata value. Scalars are decoded; strings and array payloads point into
// the mapped file (valid while the GgufFile lives).
struct Value {
    ValueType type = ValueType::UInt8;
    uint64_t offset = 0;            // byte offset of the value in the file (for messages)
    // Scalars (one of these is meaningful, by type; integers also mirrored into `f`).
    uint64_t u = 0;                 // unsigned integers and bool
    int64_t i = 0;                  // signed integers
    double f = 0;                   // floats, and every integer converted
    std::string_view str;           // type String
    // Arrays (type Array).
    ValueType elemType = ValueType::UInt8;
    uint64_t count = 0;             // number of elements
    const uint8_t* data = nullptr;  // packed little-endian payload for numeric/bool elements
    std::vector<std::string_view> strings;  // elements when elemType == String
    std::vector<Value> arrays;              // elements when elemType == Array (nested)

    bool isInteger() const;
    bool isFloat() const { return type == ValueType::Float32 || type == ValueType::Float64; }
    // Element i of a numeric/bool array converted to the requested kind (asserts i < count).
    int64_t intAt(uint64_t i) const;
    double floatAt(uint64_t i) const;
};

// One tensor's description plus a view of its bytes in the map.
struct TensorInfo {
    std::string_view name;
    GgmlType type = GgmlType::F32;
    uint32_t nDims = 0;
    std::array<uint64_t, 4> ne{1, 1, 1, 1};  // ggml order: ne[0] is the contiguous (row) dimension
    uint64_t nElements = 0;
    uint64_t offset = 0;             // relative to the start of the tensor data section
    uint64_t nBytes = 0;             // exact size of the tensor's data
    const uint8_t* data = nullptr;   // points into the mapped file

    uint64_t rows() const { return nElements / ne[0]; }  // product of ne[1..]
    uint64_t rowBytes() const { return nBytes / rows(); }
    std::span<const uint8_t> bytes() const { return {data, static_cast<size_t>(nBytes)}; }
    std::string shapeString() const;  // "256x2054" in ggml order
};

// A parsed GGUF file. Move-only; owns the mapping (or a copied buffer).
class GgufFile {
public:
    // Maps and parses the file at `path`.
    static Result<std::unique_ptr<GgufFile>> open(const std::string& path);
    // Parses an in-memory image (copied); used by tests and the fuzzer.
    static Result<std::unique_ptr<GgufFile>> fromBytes(std::span<const uint8_t> bytes);

    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    uint32_t version() const { return m_version; }
    uint32_t alignment() const { return m_alignment; }
    uint64_t dataOffset() const { return m_dataOffset; }   // absolute offset of tensor data
    uint64_t fileSize() const { return m_size; }
    const std::string& path() const { return m_path; }
    std::span<const uint8_t> fileBytes() const { return {m_base, static_cast<size_t>(m_size)}; }

    // Metadata in file order.
    const std::vector<std::pair<std::string_view, Value>>& metadata() const { return m_kv; }
    const Value* find(std::string_view key) const;
    // Typed look-ups: nullopt if missing or of an incompatible type. getUInt accepts
    // any non-negative integer; getInt any integer; getFloat floats and integers.
    std::optional<uint64_t> getUInt(std::string_view key) const;
    std::optional<int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::string_view> getString(std::string_view key) const;
    const Value* getArray(std::string_view key) const;  // nullptr unless an array

    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    const TensorInfo* tensor(std::string_view name) const;

private:
    GgufFile() = default;
    Result<void> parse();

    std::string m_path;
    const uint8_t* m_base = nullptr;
    uint64_t m_size = 0;
    void* m_map = nullptr;               // mmap'ed region (nullptr when buffer-backed)
    std::vector<uint8_t> m_buffer;       // owned copy for fromBytes()
    uint32_t m_version = 0;
    uint32_t m_alignment = 32;
    uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string_view, Value>> m_kv;
    std::unordered_map<std::string_view, size_t> m_kvIndex;
    std::vector<TensorInfo> m_tensors;
    std::unordered_map<std::string_view, size_t> m_tensorIndex;
};

}  // namespace tiefsee::gguf
