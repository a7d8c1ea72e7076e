// Hash tables and UTF-8 helpers of the tokenizer. Hand-written open addressing instead of
// std::unordered_map: a 150k vocabulary plus 280k merges must load in a few milliseconds,
// and the node-per-entry maps cost an allocation each.
#include "tokenizer/vocab.h"

#include <bit>
#include <cassert>
#include <cstring>

namespace tiefsee::tokenizer_detail {

uint64_t hashBytes(std::string_view s)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xff51afd7ed558ccdull);
    const char* p = s.data();
    size_t n = s.size();
    while (n >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94d049bb133111ebull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h;
}

// ---------------------------------------------------------------------------------------
// TextIndex

std::string_view TextIndex::textOf(int32_t id) const
{
    const auto& o = *m_offsets;
    return std::string_view(*m_arena).substr(o[id], o[id + 1] - o[id]);
}

void TextIndex::build(int32_t count, const std::vector<uint32_t>& offsets, const std::string& arena)
{
    m_offsets = &offsets;
    m_arena = &arena;
    const uint64_t capacity = std::bit_ceil(uint64_t(count) * 2 + 2);
    m_slots.assign(capacity, -1);
    m_mask = capacity - 1;
    for (int32_t id = 0; id < count; ++id) {
        const std::string_view t = textOf(id);
        uint64_t i = hashBytes(t) & m_mask;
        while (true) {
            int32_t& slot = m_slots[i];
            if (slot < 0) {
                slot = id;
                break;
            }
            if (textOf(slot) == t) {  // duplicate text: the later id wins
                slot = id;
                break;
            }
            i = (i + 1) & m_mask;
        }
    }
}

int32_t TextIndex::find(std::string_view text) const
{
    if (m_slots.empty())
        return -1;
    uint64_t i = hashBytes(text) & m_mask;
    while (true) {
        const int32_t slot = m_slots[i];
        if (slot < 0)
            return -1;
        if (textOf(slot) == text)
            return slot;
        i = (i + 1) & m_mask;
    }
}

// ---------------------------------------------------------------------------------------
// MergeTable

static inline uint64_t mixPair(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

void MergeTable::reserve(size_t count)
{
    const uint64_t capacity = std::bit_ceil(uint64_t(count) * 2 + 2);
    m_keys.assign(capacity, kEmpty);
    m_values.assign(capacity, Entry{-1, -1});
    m_mask = capacity - 1;
    m_count = 0;
}

void MergeTable::insert(int32_t left, int32_t right, int32_t rank, int32_t result)
{
    assert(!m_keys.empty() && m_count * 2 < m_keys.size());
    const uint64_t k = key(left, right);
    uint64_t i = mixPair(k) & m_mask;
    while (m_keys[i] != kEmpty) {
        if (m_keys[i] == k)
            return;  // first rank wins
        i = (i + 1) & m_mask;
    }
    m_keys[i] = k;
    m_values[i] = Entry{rank, result};
    ++m_count;
}

const MergeTable::Entry* MergeTable::find(int32_t left, int32_t right) const
{
    if (m_keys.empty())
        return nullptr;
    const uint64_t k = key(left, right);
    uint64_t i = mixPair(k) & m_mask;
    while (m_keys[i] != kEmpty) {
        if (m_keys[i] == k)
            return &m_values[i];
        i = (i + 1) & m_mask;
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------
// UTF-8

void decodeUtf8Lenient(std::string_view text, std::vector<uint32_t>& cpts)
{
    cpts.clear();
    cpts.reserve(text.size());
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    auto cont = [&](size_t k) { return k < n && (s[k] & 0xC0) == 0x80; };
    while (i < n) {
        const uint8_t b = s[i];
        if (b < 0x80) {
            cpts.push_back(b);
            i += 1;
        } else if ((b & 0xE0) == 0xC0 && cont(i + 1)) {
            cpts.push_back((uint32_t(b & 0x1F) << 6) | (s[i + 1] & 0x3F));
            i += 2;
        } else if ((b & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2)) {
            cpts.push_back((uint32_t(b & 0x0F) << 12) | (uint32_t(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
            i += 3;
        } else if ((b & 0xF8) == 0xF0 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
            const uint32_t c = (uint32_t(b & 0x07) << 18) | (uint32_t(s[i + 1] & 0x3F) << 12) |
                               (uint32_t(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            if (c <= 0x10FFFF) {
                cpts.push_back(c);
                i += 4;
            } else {
                cpts.push_back(0xFFFD);
                i += 1;
            }
        } else {
            cpts.push_back(0xFFFD);  // stray continuation byte, bad lead, or truncated sequence
            i += 1;
        }
    }
}

void appendUtf8(uint32_t c, std::string& out)
{
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

}  // namespace tiefsee::tokenizer_detail
