// Byte-level BPE (tokenizer.ggml.model = "gpt2"): pre-tokenizer + rank-ordered merges.
//
// Pre-tokenizer. Both supported vocabularies use (almost) the same regex:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,K} |
//    ?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// with K = 1 for Qwen2 ("qwen2", "deepseek-r1-qwen") and K = 3 for Llama-3 ("llama-bpe").
// splitWords() implements it as a hand-written scanner that tries the alternatives in
// order at each position, like an ECMAScript engine would (leftmost alternative wins,
// greedy quantifiers with backtracking), which is what llama.cpp's unicode.cpp does
// (std::regex on "collapsed" text for Qwen2, a custom scanner for Llama-3).
// \p{L}, \p{N} come from utf8proc's general categories; \s is Unicode White_Space.
//
// Merging. Each word's bytes start as one symbol per byte (its GPT-2 byte-to-unicode
// token); the adjacent pair with the lowest merge rank (ties: leftmost) is merged until no
// pair has a rank. A binary heap of candidate pairs plus a doubly linked symbol list makes
// this O(n log n) per word; stale heap entries are skipped when popped.
#include "tokenizer/vocab.h"

#include <utf8proc.h>

#include <algorithm>

namespace tiefsee::tokenizer_detail {
namespace {

enum : uint8_t { kLetter = 1, kNumber = 2, kSpace = 4, kAny = 8 };

bool isWhiteSpace(uint32_t c)
{
    // Unicode White_Space (what \s matches in Python's `regex`, from which llama.cpp's
    // tables are generated). Note: 0x1C-0x1F are not in it.
    if (c < 0x80)
        return (c >= 0x09 && c <= 0x0D) || c == 0x20;
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

uint8_t classify(uint32_t c)
{
    if (isWhiteSpace(c))
        return kAny | kSpace;
    if (c > 0x10FFFF)
        return kAny;
    switch (utf8proc_category(utf8proc_int32_t(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return kAny | kLetter;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return kAny | kNumber;
    default:
        return kAny;
    }
}

struct AsciiTable {
    uint8_t flags[128];
    AsciiTable() { for (uint32_t c = 0; c < 128; ++c) flags[c] = classify(c); }
};

inline uint8_t flagsOf(uint32_t c)
{
    static const AsciiTable ascii;
    return c < 128 ? ascii.flags[c] : classify(c);
}

inline uint32_t asciiLower(uint32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// Cuts cpts into words; calls emit(begin, end) for each, in order, covering everything.
template <typename Emit>
void splitWords(const std::vector<uint32_t>& cpts, const std::vector<uint8_t>& fl, size_t maxDigits, Emit&& emit)
{
    const size_t n = cpts.size();
    auto cpt = [&](size_t i) -> uint32_t { return i < n ? cpts[i] : 0xFFFFFFFFu; };
    auto flg = [&](size_t i) -> uint8_t { return i < n ? fl[i] : uint8_t(0); };
    size_t start = 0;
    size_t pos = 0;
    auto cut = [&](size_t end) {
        if (end > start)
            emit(start, end);
        start = end;
        pos = end;
    };
    while (pos < n) {
        const uint32_t c = cpts[pos];
        const uint8_t f = fl[pos];

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c == '\'' && pos + 1 < n) {
            const uint32_t c1 = asciiLower(cpts[pos + 1]);
            if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
                cut(pos + 2);
                continue;
            }
            if (pos + 2 < n) {
                const uint32_t c2 = asciiLower(cpts[pos + 2]);
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                    cut(pos + 3);
                    continue;
                }
            }
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (!(c == '\r' || c == '\n' || (f & kNumber))) {
            if ((f & kLetter) || (flg(pos + 1) & kLetter)) {
                size_t p = pos + 1;
                while (flg(p) & kLetter)
                    ++p;
                cut(p);
                continue;
            }
        }
        // \p{N}{1,maxDigits}
        if (f & kNumber) {
            size_t p = pos + 1;
            while (p - pos < maxDigits && (flg(p) & kNumber))
                ++p;
            cut(p);
            continue;
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        {
            uint8_t f2 = (c == ' ') ? flg(pos + 1) : f;
            if (!(f2 & (kSpace | kLetter | kNumber))) {
                size_t p = pos + (c == ' ' ? 1 : 0);
                while ((f2 & kAny) && !(f2 & (kSpace | kLetter | kNumber)))
                    f2 = flg(++p);
                while (cpt(p) == '\r' || cpt(p) == '\n')
                    ++p;
                cut(p);
                continue;
            }
        }
        // whitespace alternatives
        size_t nws = 0;
        size_t lastNewlineEnd = 0;
        while (flg(pos + nws) & kSpace) {
            const uint32_t w = cpts[pos + nws];
            if (w == '\r' || w == '\n')
                lastNewlineEnd = pos + nws + 1;
            ++nws;
        }
        if (lastNewlineEnd > 0) {  // \s*[\r\n]+
            cut(lastNewlineEnd);
            continue;
        }
        if (nws > 1 && pos + nws < n) {  // \s+(?!\S): leave the last space to the next word
            cut(pos + nws - 1);
            continue;
        }
        if (nws > 0) {  // \s+
            cut(pos + nws);
            continue;
        }
        cut(pos + 1);  // unreachable for valid input: every character matches some alternative
    }
}

struct Symbol {
    int32_t id;    // token id of this symbol's text, -1 for a byte without a byte token
    int32_t prev;  // index of the previous live symbol, -1 at the start
    int32_t next;  // index of the next live symbol, -1 at the end
    uint8_t byte;  // first byte (used for the fallback of id -1)
    bool alive;
};

struct Candidate {
    int32_t rank;
    int32_t left, right;       // symbol indices
    int32_t leftId, rightId;   // their ids when queued (to detect stale entries)
    int32_t result;
    bool operator<(const Candidate& o) const  // priority_queue pops the "largest": lowest rank, then leftmost
    {
        return rank != o.rank ? rank > o.rank : left > o.left;
    }
};

struct Scratch {
    std::vector<uint32_t> cpts;
    std::vector<uint8_t> flags;
    std::string word;     // UTF-8 bytes of the current word
    std::string encoded;  // byte-to-unicode text of the current word (llama3 whole-word lookup)
    std::vector<Symbol> symbols;
    std::vector<Candidate> heap;
};

void mergeWord(const Vocab& v, Scratch& s, std::vector<int32_t>& out)
{
    const std::string& w = s.word;
    if (v.ignoreMerges) {
        s.encoded.clear();
        for (unsigned char b : w)
            s.encoded += v.byteText[b];
        const int32_t id = v.index.find(s.encoded);
        if (id >= 0) {
            out.push_back(id);
            return;
        }
    }
    if (w.size() == 1 && v.byteToken[uint8_t(w[0])] >= 0) {  // fast path: a single byte
        out.push_back(v.byteToken[uint8_t(w[0])]);
        return;
    }
    auto& sym = s.symbols;
    sym.clear();
    const int32_t n = int32_t(w.size());
    for (int32_t i = 0; i < n; ++i)
        sym.push_back(Symbol{v.byteToken[uint8_t(w[i])], i - 1, i + 1 < n ? i + 1 : -1, uint8_t(w[i]), true});

    // Binary heap on the reused scratch vector (std::push_heap/pop_heap keep the "largest",
    // i.e. the lowest rank, at the front).
    auto& heap = s.heap;
    heap.clear();
    auto consider = [&](int32_t l, int32_t r) {
        if (l < 0 || r < 0 || sym[l].id < 0 || sym[r].id < 0)
            return;
        if (const MergeTable::Entry* e = v.merges.find(sym[l].id, sym[r].id)) {
            heap.push_back(Candidate{e->rank, l, r, sym[l].id, sym[r].id, e->result});
            std::push_heap(heap.begin(), heap.end());
        }
    };
    for (int32_t i = 1; i < n; ++i)
        consider(i - 1, i);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end());
        const Candidate c = heap.back();
        heap.pop_back();
        Symbol& L = sym[c.left];
        Symbol& R = sym[c.right];
        if (!L.alive || !R.alive || L.id != c.leftId || R.id != c.rightId || L.next != c.right)
            continue;  // one side changed since this pair was queued
        L.id = c.result;
        L.next = R.next;
        R.alive = false;
        if (R.next >= 0)
            sym[R.next].prev = c.left;
        consider(L.prev, c.left);
        consider(c.left, L.next);
    }

    for (int32_t i = 0; i >= 0 && i < n; i = sym[i].next) {
        if (sym[i].id >= 0) {
            out.push_back(sym[i].id);
            continue;
        }
        // No byte-level token for this byte (malformed vocabulary): like llama.cpp, try each
        // byte of its byte-to-unicode text as a one-byte token, and drop what is not found.
        for (char b : v.byteText[sym[i].byte]) {
            const int32_t id = v.index.find(std::string_view(&b, 1));
            if (id >= 0)
                out.push_back(id);
        }
    }
}

}  // namespace

void bpeEncodeFragment(const Vocab& v, std::string_view text, std::vector<int32_t>& out)
{
    thread_local Scratch s;
    decodeUtf8Lenient(text, s.cpts);
    s.flags.resize(s.cpts.size());
    for (size_t i = 0; i < s.cpts.size(); ++i)
        s.flags[i] = flagsOf(s.cpts[i]);
    const size_t maxDigits = v.pre == PreSplit::Llama3 ? 3 : 1;
    splitWords(s.cpts, s.flags, maxDigits, [&](size_t b, size_t e) {
        s.word.clear();
        for (size_t i = b; i < e; ++i)
            appendUtf8(s.cpts[i], s.word);
        mergeWord(v, s, out);
    });
    if (s.cpts.capacity() > (size_t(1) << 22)) {  // don't keep a huge input's buffers alive per thread
        s = Scratch();
    }
}

}  // namespace tiefsee::tokenizer_detail
