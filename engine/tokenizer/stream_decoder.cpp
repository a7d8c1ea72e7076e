// StreamDecoder: token pieces -> complete, valid UTF-8 chunks. A byte-level token often ends
// in the middle of a character (one emoji can take three tokens); the incomplete tail is
// kept until the following bytes arrive. Validation follows the Unicode "maximal subpart"
// rule: each ill-formed sequence becomes one U+FFFD and decoding resumes at the first byte
// that could not continue it.
#include "tokenizer/tokenizer.h"

namespace tiefsee {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the sequence a lead byte starts (0: not a valid lead byte).
int sequenceLength(uint8_t b)
{
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return 2;
    if (b >= 0xE0 && b <= 0xEF) return 3;
    if (b >= 0xF0 && b <= 0xF4) return 4;
    return 0;
}

// Whether `b` may follow at position k (1..3) of a sequence starting with `lead`.
bool validContinuation(uint8_t lead, int k, uint8_t b)
{
    if (k == 1) {
        if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;  // no overlong 3-byte forms
        if (lead == 0xED) return b >= 0x80 && b <= 0x9F;  // no surrogates
        if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;  // no overlong 4-byte forms
        if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;  // nothing above U+10FFFF
    }
    return (b & 0xC0) == 0x80;
}

}  // namespace

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, bool showSpecial)
    : m_tokenizer(tokenizer), m_showSpecial(showSpecial)
{
}

std::string StreamDecoder::push(int32_t id) { return pushBytes(m_tokenizer.tokenPiece(id, m_showSpecial)); }

std::string StreamDecoder::pushBytes(std::string_view bytes)
{
    std::string in = std::move(m_pending);
    m_pending.clear();
    in.append(bytes);
    std::string out;
    out.reserve(in.size());
    size_t i = 0;
    while (i < in.size()) {
        const auto lead = uint8_t(in[i]);
        const int len = sequenceLength(lead);
        if (len == 1) {
            out.push_back(char(lead));
            ++i;
            continue;
        }
        if (len == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        int k = 1;
        while (k < len && i + k < in.size() && validContinuation(lead, k, uint8_t(in[i + k])))
            ++k;
        if (k == len) {
            out.append(in, i, size_t(len));
            i += size_t(len);
        } else if (i + k == in.size()) {
            m_pending.assign(in, i, std::string::npos);  // unfinished: wait for more bytes
            break;
        } else {
            out += kReplacement;  // ill-formed: replace the valid prefix, resume at the bad byte
            i += size_t(k);
        }
    }
    return out;
}

std::string StreamDecoder::flush()
{
    std::string out;
    if (!m_pending.empty())
        out = std::string(kReplacement);
    m_pending.clear();
    return out;
}

}  // namespace tiefsee
