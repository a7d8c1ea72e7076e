// Internal data of a Tokenizer: the token table, fast look-ups and the settings read from
// `tokenizer.ggml.*`. Shared by the BPE and SentencePiece encoders and the decoder.
// Built once by load_vocab.cpp, immutable afterwards.
#pragma once

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::tokenizer_detail {

// 64-bit hash of a byte string (multiply-xorshift over 8-byte words). Fast for the short
// strings of a vocabulary; not cryptographic.
uint64_t hashBytes(std::string_view s);

// Open-addressing hash table from token text to id. A text that appears twice maps to the
// later id (llama.cpp's token_to_id does the same). Texts live in the Vocab's arena.
class TextIndex {
public:
    // `offsets`/`arena` must outlive the index (they are the Vocab's own members).
    void build(int32_t count, const std::vector<uint32_t>& offsets, const std::string& arena);
    int32_t find(std::string_view text) const { return findHashed(text, hashBytes(text)); }
    int32_t findHashed(std::string_view text, uint64_t hash) const;  // -1 if absent
    // Hints the CPU to load the slot a look-up of `hash` starts at (for batched look-ups).
    void prefetch(uint64_t hash) const { if (!m_slots.empty()) __builtin_prefetch(&m_slots[hash & m_mask]); }

private:
    struct Slot {
        int32_t id;    // token id, -1 when empty
        uint32_t tag;  // upper hash bits: most mismatches are rejected without touching the text
    };
    std::string_view textOf(int32_t id) const;
    std::vector<Slot> m_slots;  // size is a power of two
    uint64_t m_mask = 0;
    const std::vector<uint32_t>* m_offsets = nullptr;
    const std::string* m_arena = nullptr;
};

// BPE merge table: (left id, right id) -> (rank, merged id). Open addressing on the packed pair.
class MergeTable {
public:
    struct Entry {
        int32_t rank;
        int32_t result;
    };
    void reserve(size_t count);
    // Keeps the first rank if the pair is inserted twice (llama.cpp's bpe_ranks.emplace).
    void insert(int32_t left, int32_t right, int32_t rank, int32_t result);
    const Entry* find(int32_t left, int32_t right) const;
    size_t size() const { return m_count; }
    // Hints the CPU to load the slot of a pair about to be inserted or looked up.
    void prefetch(int32_t left, int32_t right) const
    {
        if (!m_slots.empty()) __builtin_prefetch(&m_slots[slotOf(key(left, right))]);
    }

private:
    static uint64_t key(int32_t l, int32_t r) { return (uint64_t(uint32_t(l)) << 32) | uint32_t(r); }
    uint64_t slotOf(uint64_t k) const
    {
        k ^= k >> 33;  // murmur3 finalizer: ids are small and dense, so mix them well
        k *= 0xff51afd7ed558ccdull;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53ull;
        k ^= k >> 33;
        return k & m_mask;
    }
    struct Slot {
        uint64_t key;  // packed pair or kEmpty
        Entry value;
    };
    std::vector<Slot> m_slots;  // one 16-byte slot per probe: key and value share a cache line
    uint64_t m_mask = 0;
    size_t m_count = 0;
    static constexpr uint64_t kEmpty = ~uint64_t(0);
};

enum class Model { Bpe, Spm };
enum class PreSplit { Qwen2, Llama3 };  // which regex cuts text into words (BPE only)

struct Vocab {
    Model model = Model::Bpe;
    PreSplit pre = PreSplit::Qwen2;
    std::string modelName;  // tokenizer.ggml.model
    std::string preName;    // tokenizer.ggml.pre

    // Token table: the text of id i is arena[offsets[i], offsets[i+1]).
    int32_t count = 0;
    std::string arena;
    std::vector<uint32_t> offsets;  // count + 1 entries
    std::vector<TokenType> types;   // count
    std::vector<float> scores;      // count (SentencePiece merge priority; 0 when absent)
    TextIndex index;

    // BPE
    MergeTable merges;
    bool ignoreMerges = false;             // llama3: a word that is itself a token skips merging
    std::array<int32_t, 256> byteToken{};  // id of the byte-level symbol of each byte (-1: missing)
    std::array<std::string, 256> byteText; // the byte-to-unicode text of each byte ("Ġ" for ' ')

    // SentencePiece
    std::array<int32_t, 256> spmByteToken{};  // <0xXX> token (or the 1-byte text), -1 if none
    bool addSpacePrefix = false;

    // Special tokens and settings
    int32_t bos = -1, eos = -1, eot = -1, eom = -1, unk = -1, pad = -1;
    int32_t fimPre = -1, fimSuf = -1, fimMid = -1, fimPad = -1, fimRep = -1, fimSep = -1;
    bool addBos = false;
    bool addEos = false;
    bool cleanSpaces = false;  // llama-bpe: clean_up_tokenization_spaces on decode
    std::vector<int32_t> eog;  // sorted
    // CONTROL / USER_DEFINED / UNKNOWN ids, longest text first (ties: lower id first): the
    // order in which llama.cpp carves them out of the text.
    std::vector<int32_t> specials;
    // specials bucketed by their first two bytes (key b0*256+b1; 1-byte texts under b0*256+256
    // folded into oneByteSpecials) to find quickly which ones occur in a text.
    std::vector<std::vector<int32_t>> specialsByPrefix;  // 65536 buckets (empty when no specials)
    std::vector<std::vector<int32_t>> oneByteSpecials;   // 256 buckets

    std::string_view text(int32_t id) const {
        return std::string_view(arena).substr(offsets[id], offsets[id + 1] - offsets[id]);
    }
    bool valid(int32_t id) const { return id >= 0 && id < count; }
};

// Loads and validates everything above from GGUF metadata.
Result<std::unique_ptr<Vocab>> loadVocab(const gguf::GgufFile& file);

// Encoders: append the ids of one raw-text fragment (no special tokens inside) to `out`.
void bpeEncodeFragment(const Vocab& v, std::string_view text, std::vector<int32_t>& out);
void spmEncodeFragment(const Vocab& v, std::string_view text, std::vector<int32_t>& out);

// Lenient UTF-8 decoding exactly like llama.cpp's unicode_cpts_from_utf8: a byte that does
// not start a complete sequence becomes U+FFFD and decoding resumes at the next byte.
// Overlong forms are accepted (and later re-encoded canonically); values above U+10FFFF
// become U+FFFD (llama.cpp would throw there).
void decodeUtf8Lenient(std::string_view text, std::vector<uint32_t>& cpts);
void appendUtf8(uint32_t cpt, std::string& out);

}  // namespace tiefsee::tokenizer_detail
