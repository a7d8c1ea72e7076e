// Reads `tokenizer.ggml.*` from a GGUF file into a Vocab, validating everything a malformed
// file could get wrong. Settings follow llama.cpp's llama_vocab::impl::load (defaults per
// model and pre-tokenizer, text-based detection of EOT/FIM/EOG tokens).
#include "gguf/gguf_file.h"
#include "tokenizer/vocab.h"

#include <algorithm>
#include <cstring>

namespace tiefsee::tokenizer_detail {
namespace {

using gguf::Value;
using gguf::ValueType;

Error invalid(std::string message) { return makeError(ErrorKind::InvalidInput, "tokenizer: " + std::move(message)); }

bool isNumericType(ValueType t)
{
    switch (t) {
    case ValueType::UInt8: case ValueType::Int8: case ValueType::UInt16: case ValueType::Int16:
    case ValueType::UInt32: case ValueType::Int32: case ValueType::UInt64: case ValueType::Int64:
    case ValueType::Float32: case ValueType::Float64:
        return true;
    default:
        return false;
    }
}

// The GPT-2 byte-to-unicode table: printable Latin-1 bytes map to themselves, the other 68
// bytes to U+0100.. in byte order, so every byte has a visible, non-space character.
std::array<uint32_t, 256> byteToUnicode()
{
    std::array<uint32_t, 256> map{};
    std::array<bool, 256> direct{};
    for (int b = 0x21; b <= 0x7E; ++b) direct[b] = true;
    for (int b = 0xA1; b <= 0xAC; ++b) direct[b] = true;
    for (int b = 0xAE; b <= 0xFF; ++b) direct[b] = true;
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b)
        map[b] = direct[b] ? uint32_t(b) : next++;
    return map;
}

// Token texts that llama.cpp treats as special by their spelling (llama-vocab.cpp).
constexpr std::string_view kEotTexts[] = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                                          "<|end_of_text|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>",
                                          "<end_of_utterance>"};
constexpr std::string_view kEomTexts[] = {"<|eom_id|>"};
constexpr std::string_view kFimPreTexts[] = {"<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>",
                                             "<PRE>", "▁<PRE>", "<|code_prefix|>"};
constexpr std::string_view kFimSufTexts[] = {"<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>",
                                             "<SUF>", "▁<SUF>", "<|code_suffix|>"};
constexpr std::string_view kFimMidTexts[] = {"<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>",
                                             "<MID>", "▁<MID>", "<|code_middle|>"};
constexpr std::string_view kFimPadTexts[] = {"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>"};
constexpr std::string_view kFimRepTexts[] = {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"};
constexpr std::string_view kFimSepTexts[] = {"<|file_sep|>"};
constexpr std::string_view kEogTexts[] = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
                                          "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
                                          "<|end_of_text|>", "<end_of_utterance>"};

template <size_t N>
bool oneOf(std::string_view s, const std::string_view (&list)[N])  // s is one of the texts
{
    return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

}  // namespace

Result<std::unique_ptr<Vocab>> loadVocab(const gguf::GgufFile& file)
{
    auto v = std::make_unique<Vocab>();

    // ---- model and pre-tokenizer ----
    const auto model = file.getString("tokenizer.ggml.model");
    if (!model)
        return invalid("the file has no tokenizer.ggml.model (not a model with a vocabulary)");
    v->modelName = std::string(*model);
    if (*model == "gpt2") {
        v->model = Model::Bpe;
        v->cleanSpaces = true;
        const std::string_view pre = file.getString("tokenizer.ggml.pre").value_or("");
        v->preName = std::string(pre);
        if (pre == "qwen2" || pre == "deepseek-r1-qwen") {
            v->pre = PreSplit::Qwen2;
            v->cleanSpaces = false;
        } else if (pre == "llama3" || pre == "llama-v3" || pre == "llama-bpe") {
            v->pre = PreSplit::Llama3;
            v->ignoreMerges = true;
            v->addBos = true;
        } else {
            return makeError(ErrorKind::Unsupported,
                             "tokenizer: pre-tokenizer '" + std::string(pre) +
                                 "' is not supported (supported: qwen2, deepseek-r1-qwen, llama-bpe)");
        }
    } else if (*model == "llama") {
        v->model = Model::Spm;
        v->bos = 1;
        v->eos = 2;
        v->unk = 0;
        v->addBos = true;
        v->addSpacePrefix = true;
    } else {
        return makeError(ErrorKind::Unsupported,
                         "tokenizer: tokenizer model '" + std::string(*model) + "' is not supported (supported: gpt2, llama)");
    }
    if (auto b = file.getBool("tokenizer.ggml.add_space_prefix"))
        v->addSpacePrefix = *b;

    // ---- token list ----
    const Value* tokens = file.getArray("tokenizer.ggml.tokens");
    if (!tokens)
        return invalid("tokenizer.ggml.tokens is missing or not an array");
    if (tokens->elemType != ValueType::String || tokens->strings.size() != tokens->count)
        return invalid("tokenizer.ggml.tokens must be an array of strings, found an array of " +
                       std::string(gguf::valueTypeName(tokens->elemType)));
    if (tokens->count == 0)
        return invalid("tokenizer.ggml.tokens is empty");
    if (tokens->count > 0x7FFFFFF)
        return invalid("tokenizer.ggml.tokens has too many entries (" + std::to_string(tokens->count) + ")");
    v->count = int32_t(tokens->count);
    const size_t n = size_t(v->count);

    size_t totalBytes = 0;
    for (const auto& s : tokens->strings)
        totalBytes += s.empty() ? 24 : s.size();
    if (totalBytes > 0xFFFFFFF0u)
        return invalid("tokenizer.ggml.tokens is too large");
    v->arena.reserve(totalBytes);
    v->offsets.resize(n + 1);
    for (size_t i = 0; i < n; ++i) {
        v->offsets[i] = uint32_t(v->arena.size());
        const std::string_view s = tokens->strings[i];
        if (s.empty())
            v->arena += "[EMPTY_" + std::to_string(i) + "]";  // llama.cpp's name for empty tokens
        else
            v->arena.append(s);
    }
    v->offsets[n] = uint32_t(v->arena.size());

    // ---- token types and scores ----
    v->types.assign(n, TokenType::Normal);
    if (const Value* tt = file.find("tokenizer.ggml.token_type")) {
        if (tt->type != ValueType::Array)
            return invalid("tokenizer.ggml.token_type must be an array, found " + std::string(gguf::valueTypeName(tt->type)));
        if (!isNumericType(tt->elemType) || tt->elemType == ValueType::Float32 || tt->elemType == ValueType::Float64)
            return invalid("tokenizer.ggml.token_type must be an array of integers, found an array of " +
                           std::string(gguf::valueTypeName(tt->elemType)));
        if (tt->count != n)
            return invalid("tokenizer.ggml.token_type has " + std::to_string(tt->count) + " entries for " +
                           std::to_string(n) + " tokens");
        for (size_t i = 0; i < n; ++i) {
            int64_t t;
            if (tt->elemType == ValueType::Int32) {
                int32_t x;
                std::memcpy(&x, tt->data + i * 4, 4);
                t = x;
            } else {
                t = tt->intAt(i);
            }
            v->types[i] = (t >= 0 && t <= 6) ? TokenType(t) : TokenType::Undefined;
        }
    }
    v->scores.assign(n, 0.0f);
    if (const Value* sc = file.find("tokenizer.ggml.scores")) {
        if (sc->type != ValueType::Array || !isNumericType(sc->elemType))
            return invalid("tokenizer.ggml.scores must be an array of numbers");
        if (sc->count != n)
            return invalid("tokenizer.ggml.scores has " + std::to_string(sc->count) + " entries for " +
                           std::to_string(n) + " tokens");
        for (size_t i = 0; i < n; ++i) {
            if (sc->elemType == ValueType::Float32)
                std::memcpy(&v->scores[i], sc->data + i * 4, 4);
            else
                v->scores[i] = float(sc->floatAt(i));
        }
    }

    v->index.build(v->count, v->offsets, v->arena);

    // ---- byte tables ----
    const auto b2u = byteToUnicode();
    for (int b = 0; b < 256; ++b) {
        v->byteText[b].clear();
        appendUtf8(b2u[b], v->byteText[b]);
        v->byteToken[b] = v->index.find(v->byteText[b]);
        static const char* hex = "0123456789ABCDEF";
        const char name[6] = {'<', '0', 'x', hex[b >> 4], hex[b & 15], '>'};
        int32_t id = v->index.find(std::string_view(name, 6));
        if (id < 0) {
            const char raw = char(b);  // llama.cpp falls back to the byte itself as a token text
            id = v->index.find(std::string_view(&raw, 1));
        }
        v->spmByteToken[b] = id;
    }

    // ---- merges (BPE) ----
    if (v->model == Model::Bpe) {
        const Value* merges = file.getArray("tokenizer.ggml.merges");
        if (!merges)
            return invalid("tokenizer.ggml.merges is missing (a BPE vocabulary needs its merge list)");
        if (merges->elemType != ValueType::String || merges->strings.size() != merges->count)
            return invalid("tokenizer.ggml.merges must be an array of strings, found an array of " +
                           std::string(gguf::valueTypeName(merges->elemType)));
        if (merges->count > 0x7FFFFFF)
            return invalid("tokenizer.ggml.merges has too many entries");
        v->merges.reserve(merges->count);
        // Batches of merges: hash all parts first and prefetch their slots, then look them up.
        // The look-ups are cache misses into a multi-megabyte table; overlapping them is what
        // keeps a 280k-merge vocabulary's load in the tens of milliseconds.
        constexpr size_t kBatch = 32;
        struct Pending {
            std::string_view left, right;
            std::string joined;
            uint64_t hl, hr, hj;
            int32_t l, r, res;  // left, right and merged token ids
        };
        std::array<Pending, kBatch> batch;
        for (size_t first = 0; first < merges->count; first += kBatch) {
            const size_t count = std::min(kBatch, size_t(merges->count - first));
            for (size_t k = 0; k < count; ++k) {
                const std::string_view m = merges->strings[first + k];
                const size_t sp = m.size() > 1 ? m.find(' ', 1) : std::string_view::npos;
                if (sp == std::string_view::npos)
                    return invalid("merge #" + std::to_string(first + k) + " ('" + std::string(m.substr(0, 40)) +
                                   "') is not two tokens separated by a space");
                Pending& p = batch[k];
                p.left = m.substr(0, sp);
                p.right = m.substr(sp + 1);
                p.joined.assign(p.left).append(p.right);
                p.hl = hashBytes(p.left);
                p.hr = hashBytes(p.right);
                p.hj = hashBytes(p.joined);
                v->index.prefetch(p.hl);
                v->index.prefetch(p.hr);
                v->index.prefetch(p.hj);
            }
            for (size_t k = 0; k < count; ++k) {
                Pending& p = batch[k];
                const size_t i = first + k;
                p.l = v->index.findHashed(p.left, p.hl);
                p.r = v->index.findHashed(p.right, p.hr);
                if (p.l < 0 || p.r < 0)
                    return invalid("merge #" + std::to_string(i) + " ('" + std::string(merges->strings[i].substr(0, 40)) +
                                   "') names a token that is not in the vocabulary");
                p.res = v->index.findHashed(p.joined, p.hj);
                if (p.res < 0)
                    return invalid("merge #" + std::to_string(i) + " ('" + std::string(merges->strings[i].substr(0, 40)) +
                                   "') produces a token that is not in the vocabulary");
                v->merges.prefetch(p.l, p.r);
            }
            for (size_t k = 0; k < count; ++k)
                v->merges.insert(batch[k].l, batch[k].r, int32_t(first + k), batch[k].res);
        }
    }

    // ---- special token ids ----
    // A value of -1 (also written as 0xFFFFFFFF) means "no such token". Any other id outside
    // the vocabulary is an error for BOS/EOS (the prompt would start with garbage); for the
    // others llama.cpp ignores it with a warning, and so do we.
    struct IdKey {
        const char* key;
        int32_t* id;
        bool required;  // out of range is an error
    };
    const IdKey idKeys[] = {
        {"tokenizer.ggml.bos_token_id", &v->bos, true},          {"tokenizer.ggml.eos_token_id", &v->eos, true},
        {"tokenizer.ggml.eot_token_id", &v->eot, false},         {"tokenizer.ggml.eom_token_id", &v->eom, false},
        {"tokenizer.ggml.unknown_token_id", &v->unk, false},     {"tokenizer.ggml.padding_token_id", &v->pad, false},
        {"tokenizer.ggml.fim_pre_token_id", &v->fimPre, false},  {"tokenizer.ggml.fim_suf_token_id", &v->fimSuf, false},
        {"tokenizer.ggml.fim_mid_token_id", &v->fimMid, false},  {"tokenizer.ggml.fim_pad_token_id", &v->fimPad, false},
        {"tokenizer.ggml.fim_rep_token_id", &v->fimRep, false},  {"tokenizer.ggml.fim_sep_token_id", &v->fimSep, false},
    };
    for (const IdKey& k : idKeys) {
        const Value* val = file.find(k.key);
        if (!val)
            continue;
        if (!val->isInteger())
            return invalid(std::string(k.key) + " must be an integer, found " + std::string(gguf::valueTypeName(val->type)));
        const bool negative = val->type != ValueType::UInt64 && val->i < 0;
        const int64_t shown = negative ? val->i : int64_t(val->u);
        if (shown == -1 || (val->type == ValueType::UInt32 && val->u == 0xFFFFFFFFu)) {
            *k.id = -1;
            continue;
        }
        if (negative || val->u >= uint64_t(v->count)) {
            if (!k.required)
                continue;
            return invalid(std::string(k.key) + " = " + std::to_string(shown) + " is outside the vocabulary of " +
                           std::to_string(v->count) + " tokens");
        }
        *k.id = int32_t(val->u);
    }
    if (!v->valid(v->bos)) v->bos = -1;  // SentencePiece defaults on a tiny vocabulary
    if (!v->valid(v->eos)) v->eos = -1;
    if (!v->valid(v->unk)) v->unk = -1;
    if (auto b = file.getBool("tokenizer.ggml.add_bos_token")) v->addBos = *b;
    if (auto b = file.getBool("tokenizer.ggml.add_eos_token")) v->addEos = *b;
    if (v->addBos && v->bos < 0)
        return invalid("tokenizer.ggml.add_bos_token is set but the vocabulary has no BOS token");
    if (v->addEos && v->eos < 0)
        return invalid("tokenizer.ggml.add_eos_token is set but the vocabulary has no EOS token");

    // ---- text-based detection (llama.cpp): these tokens become CONTROL ----
    // One pass over the canonical ids (the id a text maps to) in ascending order; per kind
    // the first match wins unless the file named the token. Every listed text starts with
    // '<', '_' or '▁' (E2 96 81), which skips almost all tokens after one byte compare.
    struct Detect {
        int32_t* slot;
        const std::string_view* begin;
        const std::string_view* end;
        bool fromFile;
    };
    Detect kinds[] = {
        {&v->eot, std::begin(kEotTexts), std::end(kEotTexts), v->eot >= 0},
        {&v->eom, std::begin(kEomTexts), std::end(kEomTexts), v->eom >= 0},
        {&v->fimPre, std::begin(kFimPreTexts), std::end(kFimPreTexts), v->fimPre >= 0},
        {&v->fimSuf, std::begin(kFimSufTexts), std::end(kFimSufTexts), v->fimSuf >= 0},
        {&v->fimMid, std::begin(kFimMidTexts), std::end(kFimMidTexts), v->fimMid >= 0},
        {&v->fimPad, std::begin(kFimPadTexts), std::end(kFimPadTexts), v->fimPad >= 0},
        {&v->fimRep, std::begin(kFimRepTexts), std::end(kFimRepTexts), v->fimRep >= 0},
        {&v->fimSep, std::begin(kFimSepTexts), std::end(kFimSepTexts), v->fimSep >= 0},
    };
    std::vector<int32_t> eogByText;
    for (int32_t id = 0; id < v->count; ++id) {
        const std::string_view t = v->text(id);
        if (t.size() < 3 || t.size() > 40 || (t[0] != '<' && t[0] != '_' && t[0] != '\xE2'))
            continue;
        bool canonical = true;
        bool checkedCanonical = false;
        auto isCanonical = [&] {
            if (!checkedCanonical) {
                canonical = v->index.find(t) == id;
                checkedCanonical = true;
            }
            return canonical;
        };
        for (Detect& k : kinds) {
            if (k.fromFile || *k.slot >= 0 || std::find(k.begin, k.end, t) == k.end || !isCanonical())
                continue;
            *k.slot = id;
            v->types[id] = TokenType::Control;
        }
        if (oneOf(t, kEogTexts) && isCanonical()) {
            eogByText.push_back(id);
            v->types[id] = TokenType::Control;
        }
    }
    v->eog = eogByText;
    for (int32_t id : {v->fimPad, v->fimRep, v->fimSep, v->eos, v->eot, v->eom})
        if (id >= 0) v->eog.push_back(id);
    std::sort(v->eog.begin(), v->eog.end());
    v->eog.erase(std::unique(v->eog.begin(), v->eog.end()), v->eog.end());

    // ---- special tokens carved out of text before encoding ----
    for (int32_t id = 0; id < v->count; ++id) {
        const TokenType t = v->types[id];
        if (t == TokenType::Control || t == TokenType::UserDefined || t == TokenType::Unknown)
            v->specials.push_back(id);
    }
    std::stable_sort(v->specials.begin(), v->specials.end(),
                     [&](int32_t a, int32_t b) { return v->text(a).size() > v->text(b).size(); });
    if (!v->specials.empty()) {
        v->specialsByPrefix.resize(65536);
        v->oneByteSpecials.resize(256);
        for (int32_t id : v->specials) {
            const std::string_view t = v->text(id);
            const auto b0 = uint8_t(t[0]);
            if (t.size() == 1)
                v->oneByteSpecials[b0].push_back(id);
            else
                v->specialsByPrefix[b0 * 256 + uint8_t(t[1])].push_back(id);
        }
    }
    return v;
}

}  // namespace tiefsee::tokenizer_detail
