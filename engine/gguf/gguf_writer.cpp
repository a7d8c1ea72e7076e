#include "gguf/gguf_writer.h"

#include <cassert>
#include <cerrno>
#include <cstring>

namespace tiefsee::gguf {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF"

uint64_t elemSize(ValueType t)
{
    switch (t) {
    case ValueType::UInt8: case ValueType::Int8: case ValueType::Bool: return 1;
    case ValueType::UInt16: case ValueType::Int16: return 2;
    case ValueType::UInt32: case ValueType::Int32: case ValueType::Float32: return 4;
    case ValueType::UInt64: case ValueType::Int64: case ValueType::Float64: return 8;
    default: return 0;
    }
}

}  // namespace

GgufWriter::~GgufWriter()
{
    if (m_file)
        std::fclose(m_file);
}

template <typename T>
void GgufWriter::put(T v)
{
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    m_kv.insert(m_kv.end(), p, p + sizeof v);
}

void GgufWriter::putString(std::string_view s)
{
    put<uint64_t>(s.size());
    m_kv.insert(m_kv.end(), s.begin(), s.end());
}

void GgufWriter::key(std::string_view k, ValueType t)
{
    assert(!m_file && !m_inMemory && "metadata must be set before begin()");
    const bool fresh = m_keys.emplace(k).second;
    assert(fresh && "duplicate GGUF metadata key");
    (void)fresh;
    putString(k);
    put<uint32_t>(static_cast<uint32_t>(t));
    ++m_kvCount;
}

void GgufWriter::setUInt8(std::string_view k, uint8_t v) { key(k, ValueType::UInt8); put(v); }
void GgufWriter::setInt8(std::string_view k, int8_t v) { key(k, ValueType::Int8); put(v); }
void GgufWriter::setUInt16(std::string_view k, uint16_t v) { key(k, ValueType::UInt16); put(v); }
void GgufWriter::setInt16(std::string_view k, int16_t v) { key(k, ValueType::Int16); put(v); }
void GgufWriter::setUInt32(std::string_view k, uint32_t v) { key(k, ValueType::UInt32); put(v); }
void GgufWriter::setInt32(std::string_view k, int32_t v) { key(k, ValueType::Int32); put(v); }
void GgufWriter::setUInt64(std::string_view k, uint64_t v) { key(k, ValueType::UInt64); put(v); }
void GgufWriter::setInt64(std::string_view k, int64_t v) { key(k, ValueType::Int64); put(v); }
void GgufWriter::setFloat32(std::string_view k, float v) { key(k, ValueType::Float32); put(v); }
void GgufWriter::setFloat64(std::string_view k, double v) { key(k, ValueType::Float64); put(v); }
void GgufWriter::setBool(std::string_view k, bool v) { key(k, ValueType::Bool); put<uint8_t>(v ? 1 : 0); }
void GgufWriter::setString(std::string_view k, std::string_view v) { key(k, ValueType::String); putString(v); }

void GgufWriter::setStringArray(std::string_view k, const std::vector<std::string>& v)
{
    key(k, ValueType::Array);
    put<uint32_t>(static_cast<uint32_t>(ValueType::String));
    put<uint64_t>(v.size());
    for (const auto& s : v)
        putString(s);
}

void GgufWriter::setInt32Array(std::string_view k, const std::vector<int32_t>& v)
{
    setRawArray(k, ValueType::Int32, v.size(), v.data());
}

void GgufWriter::setFloat32Array(std::string_view k, const std::vector<float>& v)
{
    setRawArray(k, ValueType::Float32, v.size(), v.data());
}

void GgufWriter::setRawArray(std::string_view k, ValueType elemType, uint64_t count, const void* data)
{
    assert(elemSize(elemType) > 0);
    key(k, ValueType::Array);
    put<uint32_t>(static_cast<uint32_t>(elemType));
    put<uint64_t>(count);
    const auto* p = static_cast<const uint8_t*>(data);
    m_kv.insert(m_kv.end(), p, p + count * elemSize(elemType));
}

void GgufWriter::encodeValueBody(const Value& v)
{
    switch (v.type) {
    case ValueType::String:
        putString(v.str);
        break;
    case ValueType::Array:
        put<uint32_t>(static_cast<uint32_t>(v.elemType));
        put<uint64_t>(v.count);
        if (v.elemType == ValueType::String) {
            for (auto s : v.strings)
                putString(s);
        } else if (v.elemType == ValueType::Array) {
            for (const Value& e : v.arrays)
                encodeValueBody(e);
        } else if (v.count) {
            m_kv.insert(m_kv.end(), v.data, v.data + v.count * elemSize(v.elemType));
        }
        break;
    case ValueType::UInt8: put<uint8_t>(static_cast<uint8_t>(v.u)); break;
    case ValueType::Int8: put<int8_t>(static_cast<int8_t>(v.i)); break;
    case ValueType::UInt16: put<uint16_t>(static_cast<uint16_t>(v.u)); break;
    case ValueType::Int16: put<int16_t>(static_cast<int16_t>(v.i)); break;
    case ValueType::UInt32: put<uint32_t>(static_cast<uint32_t>(v.u)); break;
    case ValueType::Int32: put<int32_t>(static_cast<int32_t>(v.i)); break;
    case ValueType::UInt64: put<uint64_t>(v.u); break;
    case ValueType::Int64: put<int64_t>(v.i); break;
    case ValueType::Float32: put<float>(static_cast<float>(v.f)); break;
    case ValueType::Float64: put<double>(v.f); break;
    case ValueType::Bool: put<uint8_t>(v.u ? 1 : 0); break;
    }
}

void GgufWriter::setValue(std::string_view k, const Value& v)
{
    key(k, v.type);
    encodeValueBody(v);
}

void GgufWriter::setAlignment(uint32_t alignment)
{
    assert(alignment && (alignment & (alignment - 1)) == 0);
    m_alignment = alignment;
    setUInt32("general.alignment", alignment);
}

void GgufWriter::addTensor(std::string_view name, GgmlType type, const std::vector<uint64_t>& shape)
{
    assert(!m_file && !m_inMemory && "tensors must be declared before begin()");
    assert(!shape.empty() && shape.size() <= 4);
    const auto traits = ggmlTypeTraits(type);
    assert(traits && shape[0] % traits->blockSize == 0);
    const bool fresh = m_tensorNames.emplace(name).second;
    assert(fresh && "duplicate tensor name");
    (void)fresh;
    uint64_t n = 1;
    for (uint64_t d : shape)
        n *= d;
    Tensor t{std::string(name), type, shape, n / traits->blockSize * traits->blockBytes, 0};
    m_dataBytes = (m_dataBytes + m_alignment - 1) / m_alignment * m_alignment;
    t.offset = m_dataBytes;
    m_dataBytes += t.nBytes;
    m_tensors.push_back(std::move(t));
}

Result<void> GgufWriter::writeBytes(const void* data, size_t n)
{
    if (n == 0)
        return {};
    if (m_inMemory) {
        const auto* p = static_cast<const uint8_t*>(data);
        m_memory.insert(m_memory.end(), p, p + n);
    } else if (std::fwrite(data, 1, n, m_file) != n) {
        return makeError(ErrorKind::Io, "cannot write " + m_path + ": " + std::strerror(errno));
    }
    m_written += n;
    return {};
}

Result<void> GgufWriter::pad(uint64_t alignment)
{
    static const uint8_t zeros[256] = {};
    uint64_t n = (alignment - m_written % alignment) % alignment;
    while (n > 0) {
        const size_t chunk = static_cast<size_t>(std::min<uint64_t>(n, sizeof zeros));
        if (auto r = writeBytes(zeros, chunk); !r)
            return r;
        n -= chunk;
    }
    return {};
}

Result<void> GgufWriter::begin(const std::string& path)
{
    assert(!m_file && !m_inMemory);
    m_path = path;
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file)
        return makeError(ErrorKind::Io, "cannot create " + path + ": " + std::strerror(errno));
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    return beginInMemory();
}

Result<void> GgufWriter::beginInMemory()
{
    if (!m_file)
        m_inMemory = true;
    // The layout is fixed here: header, KVs, tensor infos (with offsets relative to
    // the data section, each aligned), padding to the alignment.
    std::vector<uint8_t> head;
    std::swap(head, m_kv);  // reuse put() for the header, then append the KVs
    put<uint32_t>(kMagic);
    put<uint32_t>(3);
    put<uint64_t>(m_tensors.size());
    put<uint64_t>(m_kvCount);
    m_kv.insert(m_kv.end(), head.begin(), head.end());
    for (const Tensor& t : m_tensors) {
        putString(t.name);
        put<uint32_t>(static_cast<uint32_t>(t.shape.size()));
        for (uint64_t d : t.shape)
            put<uint64_t>(d);
        put<uint32_t>(static_cast<uint32_t>(t.type));
        put<uint64_t>(t.offset);
    }
    if (auto r = writeBytes(m_kv.data(), m_kv.size()); !r)
        return r;
    m_kv.clear();
    m_kv.shrink_to_fit();
    if (auto r = pad(m_alignment); !r)
        return r;
    m_dataStart = m_written;
    return {};
}

Result<void> GgufWriter::writeTensor(size_t i, const void* data, size_t bytes)
{
    if (i < m_tensors.size() && bytes != m_tensors[i].nBytes)
        return makeError(ErrorKind::Internal, "GGUF writer: tensor '" + m_tensors[i].name + "' needs " +
                                                  std::to_string(m_tensors[i].nBytes) + " bytes, got " + std::to_string(bytes));
    return writeTensorPart(i, data, bytes);
}

Result<void> GgufWriter::writeTensorPart(size_t i, const void* data, size_t bytes)
{
    // Misuse would silently corrupt the file in a release build: report it instead.
    if (!(m_file || m_inMemory) || i != m_nextTensor || i >= m_tensors.size() ||
        m_partWritten + bytes > m_tensors[i].nBytes)
        return makeError(ErrorKind::Internal, "GGUF writer: tensor " + std::to_string(i) + " written out of order or with " +
                                                  std::to_string(bytes) + " bytes too many");
    if (m_partWritten == 0)
        if (auto r = pad(m_alignment); !r)
            return r;
    assert(m_written == m_dataStart + m_tensors[i].offset + m_partWritten);
    if (auto r = writeBytes(data, bytes); !r)
        return r;
    m_partWritten += bytes;
    if (m_partWritten == m_tensors[i].nBytes) {
        ++m_nextTensor;
        m_partWritten = 0;
    }
    return {};
}

Result<uint64_t> GgufWriter::finish()
{
    if (m_nextTensor != m_tensors.size())
        return makeError(ErrorKind::Internal, "GGUF writer: only " + std::to_string(m_nextTensor) + " of " +
                                                  std::to_string(m_tensors.size()) + " tensors were written");
    // Pad the end too, so a reader that maps the last tensor with alignment slack stays in bounds.
    if (!m_tensors.empty())
        if (auto r = pad(m_alignment); !r)
            return r.error();
    if (m_file) {
        const bool ok = std::fflush(m_file) == 0 && std::ferror(m_file) == 0;
        const int err = errno;
        const bool closed = std::fclose(m_file) == 0;
        m_file = nullptr;
        if (!ok || !closed)
            return makeError(ErrorKind::Io, "cannot write " + m_path + ": " + std::strerror(err));
    }
    return m_written;
}

}  // namespace tiefsee::gguf
