// libFuzzer target for the tokenizer's input paths: arbitrary bytes (invalid UTF-8 included)
// into encode() with every flag combination, arbitrary id lists (out-of-range, negative)
// into decode() / tokenPiece() / StreamDecoder, and GGUF images into Tokenizer::fromGguf.
// Properties checked beyond "no crash": encode's ids are in range; for the Qwen2 vocabulary
// (no clean-up pass, no space prefix) decode(encode(text)) == text for valid UTF-8; the
// stream decoder always emits valid UTF-8.
//
// Input layout: byte 0 selects the mode and vocabulary, the rest is the payload.
// Vocabularies come from ../shared/testdata (override with TIEFSEE_TESTDATA=dir).
//
// Build by hand (only the sources it needs, so it does not wait for the whole engine):
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
//     -Iengine engine/tokenizer/*.cpp engine/gguf/gguf_file.cpp engine/quant/ggml_type.cpp \
//     tests/fuzz/fuzz_tokenizer.cpp -lutf8proc -o /work/build-tok/fuzz_tokenizer
//   nice -n 19 /work/build-tok/fuzz_tokenizer -max_total_time=300 -max_len=4096 CORPUS_DIR
// or through CMake: -DTIEFSEE_FUZZ=ON with clang, target fuzz_tokenizer (tests/fuzz/CMakeLists.txt).
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace tiefsee;

namespace {

std::string testdataDir()
{
    if (const char* env = std::getenv("TIEFSEE_TESTDATA"))
        return env;
    std::string here = __FILE__;  // <root>/tests/fuzz/fuzz_tokenizer.cpp when compiled by CMake
    if (here.empty() || here[0] != '/')
        return "../shared/testdata";  // compiled with a relative path: run from the repository root
    for (int i = 0; i < 3; ++i)
        here = here.substr(0, here.find_last_of('/'));
    return here + "/../shared/testdata";
}

std::unique_ptr<Tokenizer> load(const std::string& rel)
{
    const std::string path = testdataDir() + "/" + rel;
    auto f = gguf::GgufFile::open(path);
    if (!f) {  // the fuzzer is useless without its vocabularies
        std::fprintf(stderr, "fuzz_tokenizer: %s: %s (set TIEFSEE_TESTDATA)\n", path.c_str(), f.error().message.c_str());
        std::exit(2);
    }
    auto t = Tokenizer::fromGguf(**f);
    if (!t) {
        std::fprintf(stderr, "fuzz_tokenizer: %s: %s\n", path.c_str(), t.error().message.c_str());
        std::exit(2);
    }
    return std::move(t.value());
}

struct Vocabs {
    std::unique_ptr<Tokenizer> qwen = load("vocab/deepseek-r1-qwen.gguf");
    std::unique_ptr<Tokenizer> llama = load("vocab/deepseek-r1-llama.gguf");
    std::unique_ptr<Tokenizer> spm = load("models/stories260K.gguf");
};

bool validUtf8(const std::string& s)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto b = uint8_t(s[i]);
        int len = b < 0x80 ? 1 : (b >= 0xC2 && b <= 0xDF) ? 2 : (b >= 0xE0 && b <= 0xEF) ? 3 : (b >= 0xF0 && b <= 0xF4) ? 4 : 0;
        if (len == 0 || i + size_t(len) > s.size())
            return false;
        for (int k = 1; k < len; ++k) {
            const auto c = uint8_t(s[i + size_t(k)]);
            bool ok = (c & 0xC0) == 0x80;
            if (k == 1 && b == 0xE0) ok = c >= 0xA0 && c <= 0xBF;
            if (k == 1 && b == 0xED) ok = c >= 0x80 && c <= 0x9F;
            if (k == 1 && b == 0xF0) ok = c >= 0x90 && c <= 0xBF;
            if (k == 1 && b == 0xF4) ok = c >= 0x80 && c <= 0x8F;
            if (!ok)
                return false;
        }
        i += size_t(len);
    }
    return true;
}

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const Vocabs vocabs;
    if (size == 0)
        return 0;
    const uint8_t mode = data[0];
    const std::string payload(reinterpret_cast<const char*>(data + 1), size - 1);
    const Tokenizer* tokenizers[3] = {vocabs.qwen.get(), vocabs.llama.get(), vocabs.spm.get()};
    const Tokenizer& t = *tokenizers[(mode & 3) % 3];

    switch ((mode >> 2) & 3) {
    case 0:
    case 1: {  // text -> ids (both flags from the mode byte) -> text
        const bool addSpecial = mode & 0x10, parseSpecial = mode & 0x20;
        const auto ids = t.encode(payload, addSpecial, parseSpecial);
        for (int32_t id : ids)
            check(id >= 0 && id < t.vocabSize());
        const std::string back = t.decode(ids, true);
        if (&t == vocabs.qwen.get() && !addSpecial && validUtf8(payload))
            check(back == payload);
        StreamDecoder stream(t, mode & 0x40);
        std::string streamed;
        for (int32_t id : ids)
            streamed += stream.push(id);
        streamed += stream.flush();
        check(validUtf8(streamed));
        break;
    }
    case 2: {  // arbitrary ids, including negative and out-of-range ones
        std::vector<int32_t> ids(payload.size() / 4);
        if (!ids.empty())
            std::memcpy(ids.data(), payload.data(), ids.size() * 4);
        for (int32_t& id : ids)
            if (mode & 0x10)
                id = int32_t(uint32_t(id) % uint32_t(t.vocabSize() + 16)) - 8;  // mostly valid ids
        (void)t.decode(ids, mode & 0x20);
        StreamDecoder stream(t, mode & 0x40);
        std::string streamed;
        for (int32_t id : ids) {
            (void)t.tokenPiece(id, true);
            (void)t.tokenText(id);
            streamed += stream.push(id);
        }
        streamed += stream.flush();
        check(validUtf8(streamed));
        break;
    }
    case 3: {  // a GGUF image: malformed tokenizer metadata must be an error, not a crash
        auto file = gguf::GgufFile::fromBytes(std::span(data + 1, size - 1));
        if (file) {
            auto tok = Tokenizer::fromGguf(**file);
            if (tok) {
                const auto ids = (*tok)->encode("Hello wörld <think> 123", true, true);
                (void)(*tok)->decode(ids);
            }
        }
        break;
    }
    }
    return 0;
}
