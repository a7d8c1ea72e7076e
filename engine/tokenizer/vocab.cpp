// Hash tables and UTF-8 helpers of the tokenizer. Hand-written open addressing instead of
// std::unordered_map: a 150k vocabulary plus 280k merges must load in a few milliseconds,
// and the node-per-entry maps cost an allocation each.
#include "tokenizer/vocab.h"

#include <algorithm>
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
    // Load factor <= 2/3: short probe chains without a huge, cache-unfriendly table.
    const uint64_t capacity = std::bit_ceil(uint64_t(count) * 3 / 2 + 2);
    m_slots.assign(capacity, Slot{-1, 0});
    m_mask = capacity - 1;
    // Batches: hash and prefetch 32 slots, then insert them (random writes into a table of
    // megabytes are cache misses; overlapping them roughly halves the build time).
    constexpr int32_t kBatch = 32;
    uint64_t hashes[kBatch];
    for (int32_t first = 0; first < count; first += kBatch) {
        const int32_t n = std::min(kBatch, count - first);
        for (int32_t k = 0; k < n; ++k) {
            hashes[k] = hashBytes(textOf(first + k));
            __builtin_prefetch(&m_slots[hashes[k] & m_mask]);
        }
        for (int32_t k = 0; k < n; ++k) {
            const int32_t id = first + k;
            const std::string_view t = textOf(id);
            const uint64_t h = hashes[k];
            const auto tag = uint32_t(h >> 32);
            uint64_t i = h & m_mask;
            while (true) {
                Slot& slot = m_slots[i];
                if (slot.id < 0) {
                    slot = Slot{id, tag};
                    break;
                }
                if (slot.tag == tag && textOf(slot.id) == t) {  // duplicate text: the later id wins
                    slot.id = id;
                    break;
                }
                i = (i + 1) & m_mask;
            }
        }
    }
}

int32_t TextIndex::findHashed(std::string_view text, uint64_t h) const
{
    if (m_slots.empty())
        return -1;
    const auto tag = uint32_t(h >> 32);
    uint64_t i = h & m_mask;
    while (true) {
        const Slot slot = m_slots[i];
        if (slot.id < 0)
            return -1;
        if (slot.tag == tag && textOf(slot.id) == text)
            return slot.id;
        i = (i + 1) & m_mask;
    }
}

// ---------------------------------------------------------------------------------------
// MergeTable

void MergeTable::reserve(size_t count)
{
    const uint64_t capacity = std::bit_ceil(uint64_t(count) * 3 / 2 + 2);
    m_slots.assign(capacity, Slot{kEmpty, Entry{-1, -1}});
    m_mask = capacity - 1;
    m_count = 0;
}

void MergeTable::insert(int32_t left, int32_t right, int32_t rank, int32_t result)
{
    assert(!m_slots.empty() && m_count * 3 / 2 + 1 < m_slots.size());
    const uint64_t k = key(left, right);
    uint64_t i = slotOf(k);
    while (m_slots[i].key != kEmpty) {
        if (m_slots[i].key == k)
            return;  // first rank wins
        i = (i + 1) & m_mask;
    }
    m_slots[i] = Slot{k, Entry{rank, result}};
    ++m_count;
}

const MergeTable::Entry* MergeTable::find(int32_t left, int32_t right) const
{
    if (m_slots.empty())
        return nullptr;
    const uint64_t k = key(left, right);
    uint64_t i = slotOf(k);
    while (m_slots[i].key != kEmpty) {
        if (m_slots[i].key == k)
            return &m_slots[i].value;
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
