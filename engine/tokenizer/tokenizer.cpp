// Tokenizer front end: special-token partitioning, BOS/EOS, dispatch to the BPE or
// SentencePiece encoder, and detokenization (llama.cpp's token_to_piece / detokenize).
#include "tokenizer/tokenizer.h"

#include "gguf/gguf_file.h"
#include "tokenizer/vocab.h"

#include <algorithm>

namespace tiefsee {

using tokenizer_detail::Model;
using tokenizer_detail::Vocab;

Tokenizer::Tokenizer() = default;
Tokenizer::~Tokenizer() = default;

Result<std::unique_ptr<Tokenizer>> Tokenizer::fromGguf(const gguf::GgufFile& file)
{
    auto vocab = tokenizer_detail::loadVocab(file);
    if (!vocab)
        return vocab.error();
    std::unique_ptr<Tokenizer> t(new Tokenizer());
    t->m_vocab = std::move(vocab.value());
    return t;
}

// ---------------------------------------------------------------------------------------
// Encoding

namespace {

// A piece of the input: either raw text [off, off+len) or an already recognised token.
struct Fragment {
    int32_t token;  // -1 for raw text
    size_t off, len;
};

// Special tokens that occur anywhere in `text` (and may be matched under parseSpecial),
// in llama.cpp's carving order: longest text first, then lower id.
std::vector<int32_t> occurringSpecials(const Vocab& v, std::string_view text, bool parseSpecial)
{
    std::vector<int32_t> found;
    if (v.specials.empty())
        return found;
    auto consider = [&](int32_t id, size_t pos) {
        const TokenType t = v.types[id];
        if (!parseSpecial && (t == TokenType::Control || t == TokenType::Unknown))
            return;
        if (text.substr(pos).starts_with(v.text(id)))
            found.push_back(id);
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const auto b0 = uint8_t(text[i]);
        for (int32_t id : v.oneByteSpecials[b0])
            consider(id, i);
        if (i + 1 < text.size())
            for (int32_t id : v.specialsByPrefix[b0 * 256 + uint8_t(text[i + 1])])
                consider(id, i);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::stable_sort(found.begin(), found.end(),
                     [&](int32_t a, int32_t b) { return v.text(a).size() > v.text(b).size(); });
    return found;
}

// llama.cpp's tokenizer_st_partition: for each special token in priority order, split every
// remaining raw fragment at all of its occurrences (left to right, non-overlapping).
std::vector<Fragment> partition(const Vocab& v, std::string_view text, bool parseSpecial)
{
    std::vector<Fragment> frags;
    if (text.empty())
        return frags;
    frags.push_back(Fragment{-1, 0, text.size()});
    std::vector<Fragment> next;
    for (int32_t id : occurringSpecials(v, text, parseSpecial)) {
        const std::string_view st = v.text(id);
        next.clear();
        for (const Fragment& f : frags) {
            if (f.token >= 0) {
                next.push_back(f);
                continue;
            }
            size_t off = f.off;
            const size_t end = f.off + f.len;
            while (off < end) {
                const size_t m = text.substr(0, end).find(st, off);
                if (m == std::string_view::npos)
                    break;
                if (m > off)
                    next.push_back(Fragment{-1, off, m - off});
                next.push_back(Fragment{id, m, st.size()});
                off = m + st.size();
            }
            if (off < end)
                next.push_back(Fragment{-1, off, end - off});
        }
        frags.swap(next);
    }
    return frags;
}

}  // namespace

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool addSpecial, bool parseSpecial) const
{
    const Vocab& v = *m_vocab;
    std::vector<int32_t> out;
    out.reserve(text.size() / 3 + 4);
    const std::vector<Fragment> frags = partition(v, text, parseSpecial);
    if (addSpecial && v.addBos && v.bos >= 0)
        out.push_back(v.bos);
    if (v.model == Model::Bpe) {
        for (const Fragment& f : frags) {
            if (f.token >= 0)
                out.push_back(f.token);
            else
                tokenizer_detail::bpeEncodeFragment(v, text.substr(f.off, f.len), out);
        }
    } else {
        bool prevSpecial = true;  // SentencePiece: a leading space before the first text and after specials
        std::string piece;
        for (const Fragment& f : frags) {
            if (f.token >= 0) {
                out.push_back(f.token);
                prevSpecial = true;
                continue;
            }
            piece.clear();
            if (v.addSpacePrefix && prevSpecial)
                piece.push_back(' ');
            piece.append(text.substr(f.off, f.len));
            tokenizer_detail::spmEncodeFragment(v, piece, out);
            prevSpecial = false;
        }
    }
    if (addSpecial && v.addEos && v.eos >= 0)
        out.push_back(v.eos);
    return out;
}

// ---------------------------------------------------------------------------------------
// Decoding

namespace {

// Inverse of the GPT-2 byte-to-unicode map: code point (< 324) -> byte, -1 if unmapped.
struct UnicodeToByte {
    int16_t map[324];
    UnicodeToByte()
    {
        std::fill(std::begin(map), std::end(map), int16_t(-1));
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool direct = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[direct ? b : next++] = int16_t(b);
        }
    }
};

// llama.cpp's llama_decode_text: each character of a byte-level token stands for one byte.
std::string decodeByteLevel(std::string_view text)
{
    static const UnicodeToByte table;
    thread_local std::vector<uint32_t> cpts;
    tokenizer_detail::decodeUtf8Lenient(text, cpts);
    std::string out;
    out.reserve(cpts.size());
    for (uint32_t c : cpts) {
        if (c < 324 && table.map[c] >= 0) {
            out.push_back(char(table.map[c]));
            continue;
        }
        std::string utf8;
        tokenizer_detail::appendUtf8(c, utf8);
        static const char* hex = "0123456789abcdef";
        out += "[UNK_BYTE_0x";
        for (unsigned char b : utf8) {
            out.push_back(hex[b >> 4]);
            out.push_back(hex[b & 15]);
        }
        out.append(text);
        out += "]";
    }
    return out;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// llama.cpp's clean_up_tokenization_spaces passes (llama-bpe): " ?", " !", " .", " ,"
// lose the space; " ' " becomes "'"; " 's", " 'm", " 're", " 've" lose the space.
// The passes work in place on the buffer exactly like the reference (including the
// '\0' it writes into the skipped space of " ' "), so edge cases match byte for byte.
void cleanUpSpaces(std::string& s)
{
    char* text = s.data();
    int32_t total = int32_t(s.size());

    const int32_t total1 = total;
    total = total ? 1 : 0;
    for (int32_t i = 1; i < total1; ++i) {
        const char x = text[i];
        if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ','))
            total--;
        text[total++] = x;
    }

    const int32_t total2 = total;
    total = total ? 1 : 0;
    for (int32_t i = 1; i < total2; ++i) {
        const char x = text[i];
        if (x == '\'' && i + 1 < total2 && text[i - 1] == ' ' && text[i + 1] == ' ') {
            total--;
            text[++i] = '\0';
        }
        text[total++] = x;
    }

    const int32_t total3 = total;
    total = total ? 1 : 0;
    for (int32_t i = 1; i < total3; ++i) {
        const char x = text[i];
        if (text[i - 1] == ' ' && x == '\'' && i + 1 < total3) {
            const char x1 = text[i + 1];
            if (x1 == 's' || x1 == 'm') {
                total--;
            } else if (x1 != 't' && x1 != 'd' && i + 2 < total3) {
                const char x2 = text[i + 2];
                if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                    total--;
            }
        }
        text[total++] = x;
    }
    s.resize(size_t(total));
}

}  // namespace

std::string Tokenizer::tokenPiece(int32_t id, bool showSpecial) const
{
    const Vocab& v = *m_vocab;
    if (!v.valid(id))
        return {};
    const TokenType t = v.types[id];
    if (!showSpecial && (t == TokenType::Control || t == TokenType::Unknown))
        return {};
    const std::string_view text = v.text(id);
    if (t == TokenType::Control || t == TokenType::Unknown || t == TokenType::UserDefined)
        return std::string(text);
    if (v.model == Model::Bpe)
        return t == TokenType::Normal ? decodeByteLevel(text) : std::string();
    if (t == TokenType::Normal) {
        std::string out;
        out.reserve(text.size());
        for (size_t i = 0; i < text.size(); ++i) {
            if (text.substr(i).starts_with("\xE2\x96\x81")) {
                out.push_back(' ');
                i += 2;
            } else {
                out.push_back(text[i]);
            }
        }
        return out;
    }
    if (t == TokenType::Byte && text.size() >= 5) {  // "<0xXX>"
        const int hi = hexDigit(text[3]), lo = hexDigit(text[4]);
        if (hi >= 0 && lo >= 0)
            return std::string(1, char(hi * 16 + lo));
        if (hi >= 0)
            return std::string(1, char(hi));  // strtol stops at the first non-hex digit
    }
    return {};
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool showSpecial) const
{
    const Vocab& v = *m_vocab;
    std::string out;
    bool removeSpace = v.addSpacePrefix;
    for (int32_t id : ids) {
        std::string piece = tokenPiece(id, showSpecial);
        if (removeSpace && !piece.empty() && piece[0] == ' ')
            piece.erase(0, 1);
        removeSpace = false;
        out += piece;
    }
    if (v.cleanSpaces)
        cleanUpSpaces(out);
    return out;
}

// ---------------------------------------------------------------------------------------
// Look-ups

std::string_view Tokenizer::tokenText(int32_t id) const { return m_vocab->valid(id) ? m_vocab->text(id) : std::string_view(); }
int32_t Tokenizer::vocabSize() const { return m_vocab->count; }
TokenType Tokenizer::tokenType(int32_t id) const { return m_vocab->valid(id) ? m_vocab->types[id] : TokenType::Undefined; }
int32_t Tokenizer::bos() const { return m_vocab->bos; }
int32_t Tokenizer::eos() const { return m_vocab->eos; }
std::vector<int32_t> Tokenizer::endOfGenerationTokens() const { return m_vocab->eog; }
bool Tokenizer::isEndOfGeneration(int32_t id) const { return std::binary_search(m_vocab->eog.begin(), m_vocab->eog.end(), id); }
bool Tokenizer::isControl(int32_t id) const { return tokenType(id) == TokenType::Control; }
bool Tokenizer::addBos() const { return m_vocab->addBos; }
bool Tokenizer::addEos() const { return m_vocab->addEos; }
std::string_view Tokenizer::modelName() const { return m_vocab->modelName; }
std::string_view Tokenizer::preTokenizer() const { return m_vocab->preName; }

std::optional<int32_t> Tokenizer::findToken(std::string_view text) const
{
    const int32_t id = m_vocab->index.find(text);
    if (id < 0)
        return std::nullopt;
    return id;
}

}  // namespace tiefsee
