// Malformed tokenizer metadata: each test copies the mini-qwen2 vocabulary into a fresh
// in-memory GGUF with one field broken, and expects a clear error instead of a crash.
#include "gguf/gguf_file.h"
#include "gguf_image.h"
#include "tokenizer/tokenizer.h"

#include <QtTest>

#include <functional>

using namespace tiefsee;
using tiefsee::test::GgufImage;

namespace {

// The fields of a vocabulary, editable before they are written out.
struct VocabFields {
    std::string model = "gpt2";
    std::string pre = "deepseek-r1-qwen";
    std::vector<std::string> tokens;
    std::vector<int32_t> types;
    std::vector<std::string> merges;
    int64_t bos = -1, eos = -1;
    bool addBos = true;
};

VocabFields copyMiniQwen2()
{
    VocabFields f;
    auto file = gguf::GgufFile::open(std::string(TIEFSEE_TESTDATA) + "/models/mini-qwen2-f16.gguf");
    if (!file)
        return f;
    const gguf::GgufFile& g = **file;
    for (auto s : g.getArray("tokenizer.ggml.tokens")->strings) f.tokens.emplace_back(s);
    const gguf::Value* tt = g.getArray("tokenizer.ggml.token_type");
    for (uint64_t i = 0; i < tt->count; ++i) f.types.push_back(int32_t(tt->intAt(i)));
    for (auto s : g.getArray("tokenizer.ggml.merges")->strings) f.merges.emplace_back(s);
    f.bos = int64_t(g.getUInt("tokenizer.ggml.bos_token_id").value_or(0));
    f.eos = int64_t(g.getUInt("tokenizer.ggml.eos_token_id").value_or(0));
    return f;
}

// Writes the fields; `extra` may add or replace keys (omitting one is done by clearing it).
std::vector<uint8_t> image(const VocabFields& f, const std::function<void(GgufImage&)>& extra = {})
{
    GgufImage img;
    img.addString("general.architecture", "qwen2");
    if (!f.model.empty()) img.addString("tokenizer.ggml.model", f.model);
    if (!f.pre.empty()) img.addString("tokenizer.ggml.pre", f.pre);
    if (!f.tokens.empty()) img.addStrings("tokenizer.ggml.tokens", f.tokens);
    if (!f.types.empty()) img.addInt32s("tokenizer.ggml.token_type", f.types);
    if (!f.merges.empty()) img.addStrings("tokenizer.ggml.merges", f.merges);
    if (f.bos >= 0) img.addUInt32("tokenizer.ggml.bos_token_id", uint32_t(f.bos));
    if (f.eos >= 0) img.addUInt32("tokenizer.ggml.eos_token_id", uint32_t(f.eos));
    img.addBool("tokenizer.ggml.add_bos_token", f.addBos);
    if (extra) extra(img);
    return img.bytes();
}

// Parses the image and builds a tokenizer; returns the error message ("" on success).
std::string load(const std::vector<uint8_t>& bytes, std::unique_ptr<Tokenizer>* out = nullptr)
{
    auto file = gguf::GgufFile::fromBytes(bytes);
    if (!file)
        return "gguf: " + file.error().message;
    auto tok = Tokenizer::fromGguf(**file);
    if (!tok)
        return tok.error().message;
    if (out)
        *out = std::move(tok.value());
    return {};
}

}  // namespace

class TestTokenizerMetadata : public QObject {
    Q_OBJECT
    VocabFields m_base;

    void expectError(const std::vector<uint8_t>& bytes, const char* mustMention)
    {
        const std::string err = load(bytes);
        QVERIFY2(!err.empty(), "expected an error");
        QVERIFY2(err.find(mustMention) != std::string::npos, err.c_str());
    }

private slots:
    void initTestCase()
    {
        m_base = copyMiniQwen2();
        QCOMPARE(m_base.tokens.size(), size_t(2054));
        QCOMPARE(m_base.merges.size(), size_t(1792));
    }

    // The copy itself loads and tokenizes like the original file.
    void copiedVocabularyWorks()
    {
        std::unique_ptr<Tokenizer> t;
        const std::string err = load(image(m_base), &t);
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(t->vocabSize(), 2054);
        QCOMPARE(t->bos(), 2051);
        const auto ids = t->encode("<｜User｜>Hi<｜Assistant｜><think>\n", true, true);
        QCOMPARE(ids.front(), 2051);
        QCOMPARE(ids[1], 2049);
        QCOMPARE(QString::fromStdString(t->decode(ids)), QString("<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n"));
    }

    void missingTokens()
    {
        VocabFields f = m_base;
        f.tokens.clear();
        f.types.clear();
        f.bos = f.eos = -1;
        f.addBos = false;
        expectError(image(f), "tokenizer.ggml.tokens");
    }

    void missingMerges()
    {
        VocabFields f = m_base;
        f.merges.clear();
        expectError(image(f), "merges");
    }

    void missingModel()
    {
        VocabFields f = m_base;
        f.model.clear();
        expectError(image(f), "tokenizer.ggml.model");
    }

    void unsupportedModelAndPre()
    {
        VocabFields f = m_base;
        f.model = "bert";
        expectError(image(f), "bert");
        f = m_base;
        f.pre = "starcoder";
        expectError(image(f), "starcoder");
    }

    void tokensOfWrongType()
    {
        VocabFields f = m_base;
        f.tokens.clear();
        expectError(image(f, [&](GgufImage& img) { img.addInt32s("tokenizer.ggml.tokens", {1, 2, 3}); }), "array of strings");
    }

    void tokenTypesOfWrongTypeOrLength()
    {
        VocabFields f = m_base;
        f.types.clear();
        expectError(image(f, [&](GgufImage& img) { img.addStrings("tokenizer.ggml.token_type", {"1", "1"}); }),
                    "token_type");
        expectError(image(f, [&](GgufImage& img) { img.addInt32s("tokenizer.ggml.token_type", {1, 1, 1}); }),
                    "3 entries for 2054 tokens");
        expectError(image(f, [&](GgufImage& img) { img.addString("tokenizer.ggml.token_type", "normal"); }),
                    "token_type");
    }

    void scoresOfWrongType()
    {
        expectError(image(m_base, [&](GgufImage& img) { img.addStrings("tokenizer.ggml.scores", {"0.5"}); }), "scores");
        expectError(image(m_base, [&](GgufImage& img) { img.addFloats("tokenizer.ggml.scores", {0.5f}); }), "1 entries");
    }

    void mergesOfWrongTypeOrContent()
    {
        VocabFields f = m_base;
        f.merges.clear();
        expectError(image(f, [&](GgufImage& img) { img.addInt32s("tokenizer.ggml.merges", {1}); }), "array of strings");
        f = m_base;
        f.merges[5] = "Ġt Ġnotatoken";
        expectError(image(f), "merge #5");
        f = m_base;
        f.merges[7] = "nospace";
        expectError(image(f), "merge #7");
        f = m_base;
        f.merges[9] = "x \xC4\xA0";  // both tokens exist, "xĠ" does not
        expectError(image(f), "produces a token that is not in the vocabulary");
    }

    void bosOutOfRange()
    {
        VocabFields f = m_base;
        f.bos = 2054;
        expectError(image(f), "bos_token_id = 2054");
        f = m_base;
        f.eos = 100000;
        expectError(image(f), "eos_token_id");
        // BOS wanted but none declared.
        f = m_base;
        f.bos = -1;
        expectError(image(f), "no BOS");
        // A BOS id of the wrong type.
        f = m_base;
        f.bos = -1;
        f.addBos = false;
        expectError(image(f, [&](GgufImage& img) { img.addString("tokenizer.ggml.bos_token_id", "1"); }), "integer");
    }

    // Ids meaning "none" (-1 / 0xFFFFFFFF) and out-of-range optional ids are tolerated.
    void optionalIdsTolerated()
    {
        std::unique_ptr<Tokenizer> t;
        const std::string err = load(image(m_base, [&](GgufImage& img) {
            img.addUInt32("tokenizer.ggml.padding_token_id", 0xFFFFFFFFu);
            img.addInt32("tokenizer.ggml.eot_token_id", 999999);
        }), &t);
        QVERIFY2(err.empty(), err.c_str());
    }

    // Empty token strings are renamed like llama.cpp does instead of colliding.
    void emptyTokenText()
    {
        VocabFields f = m_base;
        f.tokens.push_back("");
        f.types.push_back(1);
        std::unique_ptr<Tokenizer> t;
        const std::string err = load(image(f), &t);
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(t->tokenText(2054), std::string_view("[EMPTY_2054]"));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerMetadata)
#include "tst_tokenizer_metadata.moc"
