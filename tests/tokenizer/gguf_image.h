// Builds small GGUF v3 images (metadata only, no tensors) in memory for tokenizer tests:
// a valid vocabulary copied from a real file, then one field broken at a time.
#pragma once

#include "gguf/gguf_file.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::test {

class GgufImage {
public:
    void addString(std::string_view key, std::string_view value) { kv(key, 8); str(value); ++m_count; }
    void addUInt32(std::string_view key, uint32_t value) { kv(key, 4); put(value); ++m_count; }
    void addInt32(std::string_view key, int32_t value) { kv(key, 5); put(value); ++m_count; }
    void addBool(std::string_view key, bool value) { kv(key, 7); put<uint8_t>(value ? 1 : 0); ++m_count; }
    void addStrings(std::string_view key, const std::vector<std::string>& values)
    {
        kv(key, 9);
        put<uint32_t>(8);
        put<uint64_t>(values.size());
        for (const auto& s : values) str(s);
        ++m_count;
    }
    void addInt32s(std::string_view key, const std::vector<int32_t>& values)
    {
        kv(key, 9);
        put<uint32_t>(5);
        put<uint64_t>(values.size());
        for (int32_t x : values) put(x);
        ++m_count;
    }
    void addFloats(std::string_view key, const std::vector<float>& values)
    {
        kv(key, 9);
        put<uint32_t>(6);
        put<uint64_t>(values.size());
        for (float x : values) put(x);
        ++m_count;
    }

    // The complete file: header, key/values, padding to the 32-byte alignment.
    std::vector<uint8_t> bytes() const
    {
        std::vector<uint8_t> out;
        auto put32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i))); };
        auto put64 = [&](uint64_t v) { for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i))); };
        put32(0x46554747);  // "GGUF"
        put32(3);
        put64(0);  // tensors
        put64(m_count);
        out.insert(out.end(), m_body.begin(), m_body.end());
        while (out.size() % 32) out.push_back(0);
        return out;
    }

private:
    template <typename T> void put(T v)
    {
        const auto* p = reinterpret_cast<const uint8_t*>(&v);
        m_body.insert(m_body.end(), p, p + sizeof v);
    }
    void str(std::string_view s)
    {
        put<uint64_t>(s.size());
        m_body.insert(m_body.end(), s.begin(), s.end());
    }
    void kv(std::string_view key, uint32_t type) { str(key); put(type); }

    std::vector<uint8_t> m_body;
    uint64_t m_count = 0;
};

}  // namespace tiefsee::test
