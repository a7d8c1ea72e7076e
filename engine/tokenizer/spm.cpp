// SentencePiece BPE (tokenizer.ggml.model = "llama"), as llama.cpp's llm_tokenizer_spm:
// spaces become U+2581 '▁' (the caller adds the leading one), the text starts as one symbol
// per UTF-8 character, and the adjacent pair whose concatenation is a vocabulary token with
// the highest score (ties: leftmost) is merged until none is left. A final symbol that is
// not a token is emitted as <0xXX> byte tokens (byte fallback).
#include "tokenizer/vocab.h"

#include <algorithm>

namespace tiefsee::tokenizer_detail {
namespace {

struct Symbol {
    uint32_t begin;  // byte offset in the escaped text
    uint32_t size;   // bytes; 0 once merged into its left neighbour
    int32_t prev, next;
};

struct Candidate {
    float score;
    int32_t left, right;
    uint32_t size;  // bytes of the merged text when queued (stale check, as llama.cpp)
    bool operator<(const Candidate& o) const  // heap front: highest score, then leftmost
    {
        return score != o.score ? score < o.score : left > o.left;
    }
};

}  // namespace

void spmEncodeFragment(const Vocab& v, std::string_view raw, std::vector<int32_t>& out)
{
    thread_local std::string text;
    thread_local std::vector<Symbol> sym;
    thread_local std::vector<Candidate> heap;
    text.clear();
    for (char c : raw) {
        if (c == ' ')
            text += "\xE2\x96\x81";  // U+2581 LOWER ONE EIGHTH BLOCK
        else
            text.push_back(c);
    }
    if (text.empty())
        return;

    sym.clear();
    static constexpr uint8_t kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    for (size_t off = 0; off < text.size();) {
        const size_t len = std::min<size_t>(kLen[uint8_t(text[off]) >> 4], text.size() - off);
        const int32_t i = int32_t(sym.size());
        sym.push_back(Symbol{uint32_t(off), uint32_t(len), i - 1, off + len == text.size() ? -1 : i + 1});
        off += len;
    }

    heap.clear();
    auto consider = [&](int32_t l, int32_t r) {
        if (l < 0 || r < 0)
            return;
        const uint32_t size = sym[l].size + sym[r].size;
        const int32_t id = v.index.find(std::string_view(text).substr(sym[l].begin, size));
        if (id < 0)
            return;
        heap.push_back(Candidate{v.scores[id], l, r, size});
        std::push_heap(heap.begin(), heap.end());
    };
    for (int32_t i = 1; i < int32_t(sym.size()); ++i)
        consider(i - 1, i);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end());
        const Candidate c = heap.back();
        heap.pop_back();
        Symbol& L = sym[c.left];
        Symbol& R = sym[c.right];
        if (L.size == 0 || R.size == 0 || L.size + R.size != c.size)
            continue;
        L.size += R.size;
        R.size = 0;
        L.next = R.next;
        if (R.next >= 0)
            sym[R.next].prev = c.left;
        consider(L.prev, c.left);
        consider(c.left, L.next);
    }

    for (int32_t i = 0; i >= 0; i = sym[i].next) {
        const std::string_view piece = std::string_view(text).substr(sym[i].begin, sym[i].size);
        const int32_t id = v.index.find(piece);
        if (id >= 0) {
            out.push_back(id);
            continue;
        }
        for (char b : piece) {  // byte fallback; a byte without a token becomes <unk> if there is one
            const int32_t bt = v.spmByteToken[uint8_t(b)];
            if (bt >= 0)
                out.push_back(bt);
            else if (v.unk >= 0)
                out.push_back(v.unk);
        }
    }
}

}  // namespace tiefsee::tokenizer_detail
