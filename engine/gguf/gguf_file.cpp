#include "gguf/gguf_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tiefsee::gguf {
namespace {

constexpr uint32_t kMagic = 0x46554747;   // "GGUF" read as little-endian uint32
constexpr uint32_t kMaxArrayDepth = 8;     // nested arrays deeper than this are rejected
constexpr uint32_t kMaxNameLength = 4096;  // tensor names (ggml itself allows 64)
constexpr uint32_t kMaxDims = 4;

// Bounds-checked little-endian reader over the file image. Every failure names the
// byte offset where it happened.
class Cursor {
public:
    Cursor(const uint8_t* base, uint64_t size) : m_base(base), m_size(size) {}

    uint64_t pos() const { return m_pos; }
    uint64_t remaining() const { return m_size - m_pos; }

    template <typename T>
    Result<T> read(const char* what)
    {
        if (remaining() < sizeof(T))
            return truncated(what, sizeof(T));
        T v;
        std::memcpy(&v, m_base + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }

    Result<std::string_view> readString(const char* what)
    {
        const uint64_t at = m_pos;
        auto len = read<uint64_t>(what);
        if (!len)
            return len.error();
        if (*len > remaining())
            return fail(at, std::string(what) + ": string length " + std::to_string(*len) + " exceeds the " +
                                std::to_string(remaining()) + " bytes left in the file");
        std::string_view s(reinterpret_cast<const char*>(m_base + m_pos), static_cast<size_t>(*len));
        m_pos += *len;
        return s;
    }

    Result<const uint8_t*> skip(uint64_t n, const char* what)
    {
        if (n > remaining())
            return truncated(what, n);
        const uint8_t* p = m_base + m_pos;
        m_pos += n;
        return p;
    }

    Error fail(uint64_t at, const std::string& msg) const
    {
        return makeError(ErrorKind::InvalidInput, "malformed GGUF at byte " + std::to_string(at) + ": " + msg);
    }

private:
    Error truncated(const char* what, uint64_t need) const
    {
        return fail(m_pos, std::string("file truncated while reading ") + what + " (needs " + std::to_string(need) +
                               " bytes, " + std::to_string(remaining()) + " left)");
    }

    const uint8_t* m_base;
    uint64_t m_size;
    uint64_t m_pos = 0;
};

// Size in bytes of one element of a fixed-size value type; 0 for String/Array.
uint64_t fixedSize(ValueType t)
{
    switch (t) {
    case ValueType::UInt8: case ValueType::Int8: case ValueType::Bool: return 1;
    case ValueType::UInt16: case ValueType::Int16: return 2;
    case ValueType::UInt32: case ValueType::Int32: case ValueType::Float32: return 4;
    case ValueType::UInt64: case ValueType::Int64: case ValueType::Float64: return 8;
    case ValueType::String: case ValueType::Array: return 0;
    }
    return 0;
}

bool knownValueType(uint32_t t) { return t <= static_cast<uint32_t>(ValueType::Float64); }

// Decodes one fixed-size scalar at p into v (type already set).
void decodeScalar(Value& v, const uint8_t* p)
{
    auto load = [p](auto tag) { decltype(tag) x; std::memcpy(&x, p, sizeof x); return x; };
    switch (v.type) {
    case ValueType::UInt8: v.u = load(uint8_t{}); break;
    case ValueType::Int8: v.i = load(int8_t{}); break;
    case ValueType::UInt16: v.u = load(uint16_t{}); break;
    case ValueType::Int16: v.i = load(int16_t{}); break;
    case ValueType::UInt32: v.u = load(uint32_t{}); break;
    case ValueType::Int32: v.i = load(int32_t{}); break;
    case ValueType::UInt64: v.u = load(uint64_t{}); break;
    case ValueType::Int64: v.i = load(int64_t{}); break;
    case ValueType::Bool: v.u = load(uint8_t{}) != 0; break;
    case ValueType::Float32: v.f = load(float{}); break;
    case ValueType::Float64: v.f = load(double{}); break;
    default: break;
    }
    switch (v.type) {
    case ValueType::UInt8: case ValueType::UInt16: case ValueType::UInt32: case ValueType::UInt64: case ValueType::Bool:
        v.i = static_cast<int64_t>(v.u);
        v.f = static_cast<double>(v.u);
        break;
    case ValueType::Int8: case ValueType::Int16: case ValueType::Int32: case ValueType::Int64:
        v.u = static_cast<uint64_t>(v.i);
        v.f = static_cast<double>(v.i);
        break;
    default: break;
    }
}

Result<Value> readValue(Cursor& c, ValueType type, uint32_t depth);

Result<void> readArray(Cursor& c, Value& v, uint32_t depth)
{
    const uint64_t at = c.pos();
    auto et = c.read<uint32_t>("array element type");
    if (!et)
        return et.error();
    if (!knownValueType(*et))
        return c.fail(at, "unknown array element type " + std::to_string(*et));
    auto count = c.read<uint64_t>("array length");
    if (!count)
        return count.error();
    v.elemType = static_cast<ValueType>(*et);
    v.count = *count;
    if (v.elemType == ValueType::Array && depth + 1 >= kMaxArrayDepth)
        return c.fail(at, "arrays nested deeper than " + std::to_string(kMaxArrayDepth) + " levels");
    // Every element needs at least this many bytes, so an absurd count fails here
    // before anything is allocated.
    const uint64_t minElem = v.elemType == ValueType::String ? 8 : v.elemType == ValueType::Array ? 12 : fixedSize(v.elemType);
    if (v.count > c.remaining() / minElem)
        return c.fail(at, "array of " + std::to_string(v.count) + " " + std::string(valueTypeName(v.elemType)) +
                              " elements cannot fit in the " + std::to_string(c.remaining()) + " bytes left");
    if (v.elemType == ValueType::String) {
        v.strings.reserve(static_cast<size_t>(v.count));
        for (uint64_t i = 0; i < v.count; ++i) {
            auto s = c.readString("array string");
            if (!s)
                return s.error();
            v.strings.push_back(*s);
        }
    } else if (v.elemType == ValueType::Array) {
        v.arrays.reserve(static_cast<size_t>(v.count));
        for (uint64_t i = 0; i < v.count; ++i) {
            auto e = readValue(c, ValueType::Array, depth + 1);
            if (!e)
                return e.error();
            v.arrays.push_back(std::move(*e));
        }
    } else {
        auto p = c.skip(v.count * minElem, "array data");
        if (!p)
            return p.error();
        v.data = *p;
        if (v.elemType == ValueType::Bool)
            for (uint64_t i = 0; i < v.count; ++i)
                if (v.data[i] > 1)
                    return c.fail(at + 12 + i, "bool array element is " + std::to_string(v.data[i]) + ", not 0 or 1");
    }
    return {};
}

Result<Value> readValue(Cursor& c, ValueType type, uint32_t depth)
{
    Value v;
    v.type = type;
    v.offset = c.pos();
    if (type == ValueType::String) {
        auto s = c.readString("string value");
        if (!s)
            return s.error();
        v.str = *s;
    } else if (type == ValueType::Array) {
        if (auto r = readArray(c, v, depth); !r)
            return r.error();
    } else {
        auto p = c.skip(fixedSize(type), "metadata value");
        if (!p)
            return p.error();
        if (type == ValueType::Bool && **p > 1)
            return c.fail(v.offset, "bool value is " + std::to_string(**p) + ", not 0 or 1");
        decodeScalar(v, *p);
    }
    return v;
}

// a*b, or nullopt on 64-bit overflow.
std::optional<uint64_t> mulChecked(uint64_t a, uint64_t b)
{
    if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a)
        return std::nullopt;
    return a * b;
}

}  // namespace

std::string_view valueTypeName(ValueType t)
{
    switch (t) {
    case ValueType::UInt8: return "uint8";
    case ValueType::Int8: return "int8";
    case ValueType::UInt16: return "uint16";
    case ValueType::Int16: return "int16";
    case ValueType::UInt32: return "uint32";
    case ValueType::Int32: return "int32";
    case ValueType::Float32: return "float32";
    case ValueType::Bool: return "bool";
    case ValueType::String: return "string";
    case ValueType::Array: return "array";
    case ValueType::UInt64: return "uint64";
    case ValueType::Int64: return "int64";
    case ValueType::Float64: return "float64";
    }
    return "unknown";
}

bool Value::isInteger() const
{
    switch (type) {
    case ValueType::UInt8: case ValueType::Int8: case ValueType::UInt16: case ValueType::Int16:
    case ValueType::UInt32: case ValueType::Int32: case ValueType::UInt64: case ValueType::Int64:
        return true;
    default:
        return false;
    }
}

int64_t Value::intAt(uint64_t idx) const
{
    assert(type == ValueType::Array && data && idx < count);
    Value e;
    e.type = elemType;
    decodeScalar(e, data + idx * fixedSize(elemType));
    if (!e.isFloat())
        return e.i;
    // Float elements read as integers: truncate, saturating (NaN -> 0) instead of UB.
    if (!(e.f == e.f))
        return 0;
    if (e.f >= 9.2233720368547758e18)
        return std::numeric_limits<int64_t>::max();
    if (e.f <= -9.2233720368547758e18)
        return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(e.f);
}

double Value::floatAt(uint64_t idx) const
{
    assert(type == ValueType::Array && data && idx < count);
    Value e;
    e.type = elemType;
    decodeScalar(e, data + idx * fixedSize(elemType));
    return e.f;
}

std::string TensorInfo::shapeString() const
{
    std::string s;
    for (uint32_t d = 0; d < std::max<uint32_t>(nDims, 1); ++d) {
        if (d)
            s += 'x';
        s += std::to_string(ne[d]);
    }
    return s;
}

GgufFile::~GgufFile()
{
    if (m_map)
        munmap(m_map, static_cast<size_t>(m_size));
}

Result<std::unique_ptr<GgufFile>> GgufFile::open(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(errno == ENOENT ? ErrorKind::NotFound : ErrorKind::Io,
                         "cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(ErrorKind::Io, path + " is not a regular file");
    }
    std::unique_ptr<GgufFile> f(new GgufFile());
    f->m_path = path;
    f->m_size = static_cast<uint64_t>(st.st_size);
    if (f->m_size > 0) {
        void* m = mmap(nullptr, static_cast<size_t>(f->m_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return makeError(ErrorKind::Io, "cannot map " + path + ": " + std::strerror(err));
        }
        f->m_map = m;
        f->m_base = static_cast<const uint8_t*>(m);
    }
    ::close(fd);
    if (auto r = f->parse(); !r)
        return makeError(r.error().kind, path + ": " + r.error().message);
    return f;
}

Result<std::unique_ptr<GgufFile>> GgufFile::fromBytes(std::span<const uint8_t> bytes)
{
    std::unique_ptr<GgufFile> f(new GgufFile());
    f->m_path = "<memory>";
    f->m_buffer.assign(bytes.begin(), bytes.end());
    f->m_base = f->m_buffer.data();
    f->m_size = f->m_buffer.size();
    if (auto r = f->parse(); !r)
        return r.error();
    return f;
}

Result<void> GgufFile::parse()
{
    Cursor c(m_base, m_size);
    auto magic = c.read<uint32_t>("magic");
    if (!magic)
        return c.fail(m_size, "not a GGUF file: only " + std::to_string(m_size) + " bytes long");
    if (*magic != kMagic)
        return c.fail(0, "not a GGUF file (the first 4 bytes are not \"GGUF\")");
    auto version = c.read<uint32_t>("version");
    if (!version)
        return version.error();
    if (*version != 2 && *version != 3) {
        std::string hint = *version > 0xFFFF ? " (a big-endian file? only little-endian GGUF is supported)" : "";
        return c.fail(4, "unsupported GGUF version " + std::to_string(*version) + hint + "; versions 2 and 3 are supported");
    }
    m_version = *version;
    auto nTensors = c.read<uint64_t>("tensor count");
    if (!nTensors)
        return nTensors.error();
    auto nKv = c.read<uint64_t>("metadata count");
    if (!nKv)
        return nKv.error();
    // Minimum encoded sizes: a KV is key(8) + type(4) + 1 byte; a tensor info is
    // name(8) + n_dims(4) + type(4) + offset(8).
    if (*nKv > c.remaining() / 13)
        return c.fail(16, "metadata count " + std::to_string(*nKv) + " cannot fit in the file");
    if (*nTensors > c.remaining() / 24)
        return c.fail(8, "tensor count " + std::to_string(*nTensors) + " cannot fit in the file");

    m_kv.reserve(static_cast<size_t>(*nKv));
    for (uint64_t k = 0; k < *nKv; ++k) {
        const uint64_t at = c.pos();
        auto key = c.readString("metadata key");
        if (!key)
            return key.error();
        if (key->empty())
            return c.fail(at, "empty metadata key");
        const uint64_t typeAt = c.pos();
        auto type = c.read<uint32_t>("metadata value type");
        if (!type)
            return type.error();
        if (!knownValueType(*type))
            return c.fail(typeAt, "metadata key '" + std::string(*key) + "' has unknown value type " + std::to_string(*type));
        auto value = readValue(c, static_cast<ValueType>(*type), 0);
        if (!value)
            return value.error();
        if (!m_kvIndex.emplace(*key, m_kv.size()).second)
            return c.fail(at, "duplicate metadata key '" + std::string(*key) + "'");
        m_kv.emplace_back(*key, std::move(*value));
    }

    if (const Value* a = find("general.alignment")) {
        if (a->type != ValueType::UInt32)
            return c.fail(a->offset, "general.alignment must be uint32, not " + std::string(valueTypeName(a->type)));
        if (a->u == 0 || (a->u & (a->u - 1)) != 0)
            return c.fail(a->offset, "general.alignment " + std::to_string(a->u) + " is not a power of two");
        m_alignment = static_cast<uint32_t>(a->u);
    }

    m_tensors.reserve(static_cast<size_t>(*nTensors));
    for (uint64_t t = 0; t < *nTensors; ++t) {
        const uint64_t at = c.pos();
        TensorInfo ti;
        auto name = c.readString("tensor name");
        if (!name)
            return name.error();
        if (name->empty() || name->size() > kMaxNameLength)
            return c.fail(at, "tensor name length " + std::to_string(name->size()) + " is out of range");
        ti.name = *name;
        const std::string quoted = "tensor '" + std::string(ti.name) + "'";
        const uint64_t dimsAt = c.pos();
        auto nDims = c.read<uint32_t>("tensor dimension count");
        if (!nDims)
            return nDims.error();
        if (*nDims == 0 || *nDims > kMaxDims)
            return c.fail(dimsAt, quoted + " has " + std::to_string(*nDims) + " dimensions (1 to 4 allowed)");
        ti.nDims = *nDims;
        uint64_t n = 1;
        for (uint32_t d = 0; d < ti.nDims; ++d) {
            const uint64_t dimAt = c.pos();
            auto dim = c.read<uint64_t>("tensor dimension");
            if (!dim)
                return dim.error();
            if (*dim == 0 || *dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                return c.fail(dimAt, quoted + " has invalid dimension " + std::to_string(*dim));
            ti.ne[d] = *dim;
            auto prod = mulChecked(n, *dim);
            if (!prod || *prod > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                return c.fail(dimAt, quoted + ": element count overflows 64 bits");
            n = *prod;
        }
        ti.nElements = n;
        const uint64_t typeAt = c.pos();
        auto type = c.read<uint32_t>("tensor type");
        if (!type)
            return type.error();
        auto traits = ggmlTypeTraits(*type);
        if (!traits)
            return c.fail(typeAt, quoted + " has unknown type id " + std::to_string(*type));
        ti.type = traits->type;
        if (ti.ne[0] % traits->blockSize != 0)
            return c.fail(dimsAt, quoted + ": row length " + std::to_string(ti.ne[0]) + " is not a multiple of the " +
                                      std::string(traits->name) + " block size " + std::to_string(traits->blockSize));
        auto bytes = mulChecked(n / traits->blockSize, traits->blockBytes);
        if (!bytes)
            return c.fail(dimsAt, quoted + ": byte size overflows 64 bits");
        ti.nBytes = *bytes;
        const uint64_t offAt = c.pos();
        auto off = c.read<uint64_t>("tensor data offset");
        if (!off)
            return off.error();
        if (*off % m_alignment != 0)
            return c.fail(offAt, quoted + " data offset " + std::to_string(*off) + " is not aligned to " +
                                     std::to_string(m_alignment));
        ti.offset = *off;
        if (!m_tensorIndex.emplace(ti.name, m_tensors.size()).second)
            return c.fail(at, "duplicate " + quoted);
        m_tensors.push_back(ti);
    }

    // Tensor data starts at the next multiple of the alignment.
    const uint64_t pad = (m_alignment - c.pos() % m_alignment) % m_alignment;
    m_dataOffset = c.pos() + pad;
    if (!m_tensors.empty() && m_dataOffset > m_size)
        return c.fail(c.pos(), "file ends before the tensor data section at byte " + std::to_string(m_dataOffset));
    const uint64_t dataSize = m_dataOffset <= m_size ? m_size - m_dataOffset : 0;

    // Bounds and overlap: sort by offset and check each against the next.
    std::vector<size_t> order(m_tensors.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [this](size_t a, size_t b) { return m_tensors[a].offset < m_tensors[b].offset; });
    for (size_t k = 0; k < order.size(); ++k) {
        TensorInfo& ti = m_tensors[order[k]];
        if (ti.offset > dataSize || ti.nBytes > dataSize - ti.offset)
            return makeError(ErrorKind::InvalidInput,
                             "malformed GGUF at byte " + std::to_string(m_dataOffset + ti.offset) + ": tensor '" +
                                 std::string(ti.name) + "' (" + std::to_string(ti.nBytes) +
                                 " bytes) extends past the end of the file");
        if (k + 1 < order.size()) {
            const TensorInfo& next = m_tensors[order[k + 1]];
            if (ti.offset + ti.nBytes > next.offset)
                return makeError(ErrorKind::InvalidInput,
                                 "malformed GGUF at byte " + std::to_string(m_dataOffset + next.offset) + ": tensor '" +
                                     std::string(ti.name) + "' overlaps tensor '" + std::string(next.name) + "'");
        }
        ti.data = m_base + m_dataOffset + ti.offset;
    }
    return {};
}

const Value* GgufFile::find(std::string_view key) const
{
    auto it = m_kvIndex.find(key);
    return it == m_kvIndex.end() ? nullptr : &m_kv[it->second].second;
}

std::optional<uint64_t> GgufFile::getUInt(std::string_view key) const
{
    const Value* v = find(key);
    if (!v || !v->isInteger() || (v->i < 0 && v->type != ValueType::UInt64))
        return std::nullopt;
    return v->u;
}

std::optional<int64_t> GgufFile::getInt(std::string_view key) const
{
    const Value* v = find(key);
    if (!v || !v->isInteger())
        return std::nullopt;
    if (v->type == ValueType::UInt64 && v->u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return std::nullopt;
    return v->i;
}

std::optional<double> GgufFile::getFloat(std::string_view key) const
{
    const Value* v = find(key);
    if (!v || !(v->isFloat() || v->isInteger()))
        return std::nullopt;
    return v->f;
}

std::optional<bool> GgufFile::getBool(std::string_view key) const
{
    const Value* v = find(key);
    if (!v || v->type != ValueType::Bool)
        return std::nullopt;
    return v->u != 0;
}

std::optional<std::string_view> GgufFile::getString(std::string_view key) const
{
    const Value* v = find(key);
    if (!v || v->type != ValueType::String)
        return std::nullopt;
    return v->str;
}

const Value* GgufFile::getArray(std::string_view key) const
{
    const Value* v = find(key);
    return v && v->type == ValueType::Array ? v : nullptr;
}

const TensorInfo* GgufFile::tensor(std::string_view name) const
{
    auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

}  // namespace tiefsee::gguf
