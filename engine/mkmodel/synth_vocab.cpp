#include "mkmodel/synth_vocab.h"

#include <cassert>
#include <unordered_set>

namespace tiefsee::mkmodel {
namespace {

std::string utf8(uint32_t cp)
{
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

// The R1 distills' chat template, reduced to what it does: BOS + system text, then
// <｜User｜>text / <｜Assistant｜>answer<｜end▁of▁sentence｜> per turn (earlier answers keep
// only the text after </think>), generation prompt "<｜Assistant｜><think>\n".
const char* kR1Template =
    "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
    "{% set ns = namespace(system_prompt='') %}"
    "{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}"
    "{%- endif %}{%- endfor %}{{ bos_token }}{{ ns.system_prompt }}"
    "{%- for message in messages %}"
    "{%- if message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}{%- endif %}"
    "{%- if message['role'] == 'assistant' %}{% set content = message['content'] %}"
    "{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}"
    "{{ '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' }}{%- endif %}"
    "{%- endfor %}{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}";

// ChatML (Qwen3) with the thinking generation prompt.
const char* kChatMlTemplate =
    "{%- for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{%- endif %}";

struct Special {
    const char* text;
    TokenType type;
};

}  // namespace

std::vector<std::string> gpt2ByteSymbols()
{
    // GPT-2's bytes_to_unicode: printable bytes map to themselves, the other 68 to
    // U+0100 + k in byte order. Vocabulary order lists the printable ones first.
    std::vector<std::string> out;
    std::vector<bool> printable(256, false);
    for (uint32_t b = '!'; b <= '~'; ++b)
        printable[b] = true;
    for (uint32_t b = 0xA1; b <= 0xAC; ++b)
        printable[b] = true;
    for (uint32_t b = 0xAE; b <= 0xFF; ++b)
        printable[b] = true;
    for (uint32_t b = 0; b < 256; ++b)
        if (printable[b])
            out.push_back(utf8(b));
    uint32_t k = 0;
    for (uint32_t b = 0; b < 256; ++b)
        if (!printable[b])
            out.push_back(utf8(0x100 + k++));
    assert(out.size() == 256);
    return out;
}

SynthVocab synthesizeVocab(const std::string& arch, uint32_t nVocab)
{
    SynthVocab v;
    std::vector<Special> specials;
    size_t bosIdx = 0, eosIdx = 0, padIdx = 0;
    if (arch == "llama") {
        v.pre = "llama-bpe";
        specials = {{"<｜begin▁of▁sentence｜>", kTokenControl}, {"<｜end▁of▁sentence｜>", kTokenControl},
                    {"<｜User｜>", kTokenControl}, {"<｜Assistant｜>", kTokenControl},
                    {"<think>", kTokenUserDefined}, {"</think>", kTokenUserDefined}};
        bosIdx = 0, eosIdx = 1, padIdx = 1;
        v.chatTemplate = kR1Template;
    } else if (arch == "qwen3") {
        v.pre = "qwen2";
        specials = {{"<|endoftext|>", kTokenControl}, {"<|im_start|>", kTokenControl}, {"<|im_end|>", kTokenControl},
                    {"<tool_call>", kTokenUserDefined}, {"</tool_call>", kTokenUserDefined},
                    {"<think>", kTokenUserDefined}, {"</think>", kTokenUserDefined}};
        bosIdx = 0, eosIdx = 2, padIdx = 0;
        v.addBos = false;
        v.chatTemplate = kChatMlTemplate;
    } else {  // qwen2: the R1 Qwen distills
        v.pre = "deepseek-r1-qwen";
        specials = {{"<｜end▁of▁sentence｜>", kTokenControl}, {"<｜User｜>", kTokenControl},
                    {"<｜Assistant｜>", kTokenControl}, {"<｜begin▁of▁sentence｜>", kTokenControl},
                    {"<think>", kTokenUserDefined}, {"</think>", kTokenUserDefined}};
        bosIdx = 3, eosIdx = 0, padIdx = 0;
        v.chatTemplate = kR1Template;
    }
    assert(nVocab >= 256 + specials.size());
    const size_t nNormal = nVocab - specials.size();

    v.tokens = gpt2ByteSymbols();
    std::unordered_set<std::string> seen(v.tokens.begin(), v.tokens.end());
    // Merge alphabet: 'Ġ' (space) may only start a token; letters, digits and a few
    // marks may appear anywhere. Rounds: 2-symbol tokens, then 3-, then 4-symbol ones.
    const std::string space = utf8(0x120);  // 'Ġ'
    std::vector<std::string> inner;
    for (char c = 'a'; c <= 'z'; ++c)
        inner.emplace_back(1, c);
    for (char c = 'A'; c <= 'Z'; ++c)
        inner.emplace_back(1, c);
    for (char c = '0'; c <= '9'; ++c)
        inner.emplace_back(1, c);
    for (const char* p : {".", ",", "-", "_", "'", "(", ")", ":"})
        inner.emplace_back(p);
    std::vector<std::string> firsts = inner;
    firsts.insert(firsts.begin(), space);

    std::vector<std::string> prev = firsts;  // tokens of the previous round that may be extended
    while (v.tokens.size() < nNormal) {
        std::vector<std::string> next;
        for (const std::string& left : prev) {
            for (const std::string& right : inner) {
                if (v.tokens.size() >= nNormal)
                    break;
                std::string t = left + right;
                if (!seen.insert(t).second)
                    continue;
                v.merges.push_back(left + " " + right);
                v.tokens.push_back(t);
                next.push_back(std::move(t));
            }
        }
        prev = std::move(next);
    }
    v.types.assign(v.tokens.size(), kTokenNormal);
    const uint32_t firstSpecial = static_cast<uint32_t>(v.tokens.size());
    for (const Special& s : specials) {
        v.tokens.emplace_back(s.text);
        v.types.push_back(s.type);
    }
    v.bos = firstSpecial + static_cast<uint32_t>(bosIdx);
    v.eos = firstSpecial + static_cast<uint32_t>(eosIdx);
    v.pad = firstSpecial + static_cast<uint32_t>(padIdx);
    assert(v.tokens.size() == nVocab);
    return v;
}

}  // namespace tiefsee::mkmodel
