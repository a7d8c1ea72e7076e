// Tokenizer exactness against llama.cpp's recorded ids (../shared/testdata/vocab/*.jsonl and
// the reference prompts of every model), detokenization round-trips, and streaming.
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <thread>

using namespace tiefsee;
using nlohmann::json;

namespace {

std::string testdata(const std::string& rel) { return std::string(TIEFSEE_TESTDATA) + "/" + rel; }

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path)
{
    auto file = gguf::GgufFile::open(path);
    if (!file) {
        qWarning("%s: %s", path.c_str(), file.error().message.c_str());
        return nullptr;
    }
    auto tok = Tokenizer::fromGguf(**file);
    if (!tok) {
        qWarning("%s: %s", path.c_str(), tok.error().message.c_str());
        return nullptr;
    }
    return std::move(tok.value());
}

std::vector<json> readJsonl(const std::string& path)
{
    std::vector<json> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty())
            out.push_back(json::parse(line));
    return out;
}

std::string idsString(const std::vector<int32_t>& ids)
{
    std::string s = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "]";
}

// Counts passes per group and keeps the first few failures for the message.
struct Tally {
    std::map<std::string, std::pair<int, int>> perGroup;  // group -> (passed, total)
    std::vector<std::string> failures;
    void add(const std::string& group, bool ok, const std::string& what)
    {
        auto& [passed, total] = perGroup[group];
        ++total;
        if (ok)
            ++passed;
        else if (failures.size() < 12)
            failures.push_back(group + ": " + what);
    }
    bool allPassed() const
    {
        for (const auto& [g, pt] : perGroup)
            if (pt.first != pt.second)
                return false;
        return true;
    }
    std::string report() const
    {
        std::string s;
        for (const auto& [g, pt] : perGroup)
            s += g + " " + std::to_string(pt.first) + "/" + std::to_string(pt.second) + "; ";
        for (const auto& f : failures)
            s += "\n  " + f;
        return s;
    }
};

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
    std::map<std::string, std::unique_ptr<Tokenizer>> m_vocab;  // by name in the jsonl files

    const Tokenizer* vocab(const std::string& name) const
    {
        auto it = m_vocab.find(name);
        return it == m_vocab.end() ? nullptr : it->second.get();
    }

private slots:
    void initTestCase()
    {
        for (const char* name : {"deepseek-r1-qwen", "deepseek-r1-llama", "qwen3"}) {
            m_vocab[name] = loadTokenizer(testdata("vocab/") + name + ".gguf");
            QVERIFY2(m_vocab[name], name);
        }
    }

    void vocabularyFacts()
    {
        const Tokenizer* q = vocab("deepseek-r1-qwen");
        QCOMPARE(q->vocabSize(), 151936);
        QCOMPARE(q->bos(), 151646);
        QCOMPARE(q->eos(), 151643);
        QVERIFY(q->addBos());
        QCOMPARE(q->findToken("<think>").value_or(-1), 151648);
        QCOMPARE(q->findToken("</think>").value_or(-1), 151649);
        QCOMPARE(q->tokenType(151648), TokenType::UserDefined);
        QVERIFY(q->isControl(151644));   // <｜User｜>
        QVERIFY(q->isEndOfGeneration(151643));
        QVERIFY(!q->isEndOfGeneration(151648));
        QVERIFY(!q->findToken("definitely not a token"));

        const Tokenizer* l = vocab("deepseek-r1-llama");
        QCOMPARE(l->vocabSize(), 128256);
        QCOMPARE(l->bos(), 128000);
        QCOMPARE(l->eos(), 128001);
        QCOMPARE(l->findToken("<think>").value_or(-1), 128013);
        QVERIFY(l->isEndOfGeneration(128001));

        const Tokenizer* q3 = vocab("qwen3");
        QCOMPARE(q3->eos(), 151645);
        QVERIFY(!q3->addBos());
        QVERIFY(q3->isEndOfGeneration(151645));  // <|im_end|>
        QVERIFY(q3->isEndOfGeneration(151643));  // <|endoftext|>
        QCOMPARE(q3->findToken("<think>").value_or(-1), 151667);
    }

    // Every case of tokenizer-cases.jsonl: exact ids, and llama_detokenize's text.
    void tokenizerCases()
    {
        const auto cases = readJsonl(testdata("vocab/tokenizer-cases.jsonl"));
        QCOMPARE(cases.size(), size_t(747));
        Tally ids, text;
        for (const json& c : cases) {
            const std::string name = c["vocab"];
            const Tokenizer* t = vocab(name);
            QVERIFY(t);
            const std::string input = c["text"];
            const std::vector<int32_t> expected = c["ids"].get<std::vector<int32_t>>();
            const auto got = t->encode(input, c["add_special"], c["parse_special"]);
            ids.add(name, got == expected,
                    "'" + input.substr(0, 60) + "' add=" + c["add_special"].dump() + " parse=" +
                        c["parse_special"].dump() + " want " + idsString(expected) + " got " + idsString(got));
            const std::string roundtrip = c["text_roundtrip"];
            const std::string decoded = t->decode(expected, true);
            text.add(name, decoded == roundtrip, "decode " + idsString(expected) + " -> '" + decoded + "' want '" + roundtrip + "'");
        }
        qInfo("ids:    %s", ids.report().c_str());
        qInfo("decode: %s", text.report().c_str());
        QVERIFY2(ids.allPassed(), ids.report().c_str());
        QVERIFY2(text.allPassed(), text.report().c_str());
    }

    // llama.cpp's own ggml-vocab-{qwen2,llama-bpe} cases, on our R1 vocabularies.
    void upstreamCases()
    {
        const auto cases = readJsonl(testdata("vocab/upstream-tokenizer-tests.jsonl"));
        QCOMPARE(cases.size(), size_t(92));
        Tally tally;
        for (const json& c : cases) {
            const std::string kind = c["vocab"];
            const Tokenizer* t = vocab(kind == "qwen2" ? "deepseek-r1-qwen" : "deepseek-r1-llama");
            const std::string input = c["text"];
            const std::vector<int32_t> expected = c["ids"].get<std::vector<int32_t>>();
            const auto got = t->encode(input, c["add_special"], c["parse_special"]);
            tally.add(kind, got == expected, "'" + input.substr(0, 60) + "' want " + idsString(expected) + " got " + idsString(got));
        }
        qInfo("upstream: %s", tally.report().c_str());
        QVERIFY2(tally.allPassed(), tally.report().c_str());
    }

    // The prompts recorded for every model in reference/*.json (mini vocabularies are
    // subsets with fewer merges, stories260K is SentencePiece).
    void modelPrompts_data()
    {
        QTest::addColumn<QString>("stem");
        for (const char* stem : {"mini-qwen2-q4_k_m", "mini-llama-q4_0", "mini-qwen3-f16", "stories260K"})
            QTest::newRow(stem) << QString(stem);
    }
    void modelPrompts()
    {
        QFETCH(QString, stem);
        auto t = loadTokenizer(testdata("models/") + stem.toStdString() + ".gguf");
        QVERIFY(t);
        std::ifstream in(testdata("reference/") + stem.toStdString() + ".json");
        const json ref = json::parse(in);
        QCOMPARE(t->vocabSize(), ref["meta"]["n_vocab"].get<int>());
        QCOMPARE(t->bos(), ref["meta"]["bos"].get<int>());
        QCOMPARE(t->eos(), ref["meta"]["eos"].get<int>());
        for (const json& p : ref["prompts"]) {
            const std::string text = p["text"];
            const auto expected = p["ids"].get<std::vector<int32_t>>();
            const auto got = t->encode(text, p["add_special"], p["parse_special"]);
            QVERIFY2(got == expected, (std::string(p["name"]) + ": want " + idsString(expected) + " got " + idsString(got)).c_str());
            // Generated text: llama_detokenize of the greedy ids.
            const auto greedy = p["exact"]["greedy_ids"].get<std::vector<int32_t>>();
            const std::string want = p["exact"]["greedy_text"];
            QCOMPARE(QString::fromStdString(t->decode(greedy)), QString::fromStdString(want));
            // Streaming gives the concatenated pieces (no first-space strip), in valid UTF-8.
            StreamDecoder stream(*t, true);
            std::string streamed, pieces;
            for (int32_t id : greedy) {
                streamed += stream.push(id);
                pieces += t->tokenPiece(id, true);
            }
            streamed += stream.flush();
            if (QString::fromStdString(pieces).toStdString() == pieces)  // pieces are valid UTF-8
                QCOMPARE(QString::fromStdString(streamed), QString::fromStdString(pieces));
        }
    }

    // A few SentencePiece behaviours on stories260K: leading space, byte fallback, decode strip.
    void sentencePiece()
    {
        auto t = loadTokenizer(testdata("models/stories260K.gguf"));
        QVERIFY(t);
        QVERIFY(t->addBos());  // key missing: llama.cpp's default for SentencePiece
        const auto ids = t->encode("Once upon a time", true, true);
        QCOMPARE(ids, (std::vector<int32_t>{1, 403, 407, 261, 378}));
        // llama_detokenize drops the leading space of the first token only (a hidden BOS counts).
        QCOMPARE(QString::fromStdString(t->decode(std::vector<int32_t>(ids.begin() + 1, ids.end()))), QString("Once upon a time"));
        QCOMPARE(QString::fromStdString(t->decode(ids, true)), QString("<s> Once upon a time"));
        QCOMPARE(QString::fromStdString(t->decode(ids, false)), QString(" Once upon a time"));
        // Characters outside the 512-token vocabulary fall back to <0xXX> byte tokens.
        const std::string emoji = "Hi \xF0\x9F\x98\x80!";
        const auto eids = t->encode(emoji, false, false);
        QCOMPARE(QString::fromStdString(t->decode(eids, true)), QString::fromStdString(emoji));
        int bytes = 0;
        for (int32_t id : eids)
            bytes += t->tokenType(id) == TokenType::Byte;
        QCOMPARE(bytes, 4);
        QCOMPARE(t->encode("", true, true), std::vector<int32_t>{1});
        QVERIFY(t->encode("", false, true).empty());
    }

    // Streaming: every multi-byte character split at every byte boundary comes out whole.
    void streamingHoldsIncompleteCharacters()
    {
        const Tokenizer* t = vocab("deepseek-r1-qwen");
        const std::string text = "Grüße 你好 👨‍👩‍👧 🇩🇪 naïve Ελληνικά ✓";
        StreamDecoder byTokens(*t);
        std::string streamed;
        for (int32_t id : t->encode(text, false, false)) {
            const std::string chunk = byTokens.push(id);
            QVERIFY(QString::fromUtf8(chunk.data(), qsizetype(chunk.size())).toUtf8().toStdString() == chunk);  // valid UTF-8
            streamed += chunk;
        }
        streamed += byTokens.flush();
        QCOMPARE(QString::fromStdString(streamed), QString::fromStdString(text));

        for (size_t cut = 0; cut <= text.size(); ++cut) {
            StreamDecoder d(*t);
            std::string a = d.pushBytes(text.substr(0, cut));
            std::string b = d.pushBytes(text.substr(cut));
            QCOMPARE(QString::fromStdString(a + b + d.flush()), QString::fromStdString(text));
            // The first chunk ends on a character boundary.
            QVERIFY(a.size() <= cut);
            QVERIFY(a.empty() || (uint8_t(text[a.size()]) & 0xC0) != 0x80 || a.size() == text.size());
        }
        // Byte by byte.
        StreamDecoder d(*t);
        std::string all;
        for (char c : text)
            all += d.pushBytes(std::string_view(&c, 1));
        QCOMPARE(QString::fromStdString(all + d.flush()), QString::fromStdString(text));
    }

    void streamingReplacesInvalidBytes()
    {
        const Tokenizer* t = vocab("deepseek-r1-qwen");
        StreamDecoder d(*t);
        QCOMPARE(d.pushBytes("a\x80" "b"), std::string("a\xEF\xBF\xBD" "b"));
        QCOMPARE(d.pushBytes("\xE4\xBD"), std::string());        // held back
        QCOMPARE(d.pushBytes("x"), std::string("\xEF\xBF\xBDx"));  // ...and broken by 'x'
        QCOMPARE(d.pushBytes("\xF0\x9F"), std::string());
        QCOMPARE(d.flush(), std::string("\xEF\xBF\xBD"));          // unfinished at the end
        QCOMPARE(d.pushBytes("\xC0\xAF"), std::string("\xEF\xBF\xBD\xEF\xBF\xBD"));  // overlong
        // Control tokens can be hidden.
        StreamDecoder hidden(*t, false);
        QCOMPARE(hidden.push(151644), std::string());
        StreamDecoder shown(*t, true);
        QCOMPARE(shown.push(151644), std::string("<｜User｜>"));
    }

    void decodeSkipsOutOfRangeIds()
    {
        const Tokenizer* t = vocab("deepseek-r1-qwen");
        const std::vector<int32_t> ids = {9707, -1, 151936, 1 << 30, 1879};
        QCOMPARE(QString::fromStdString(t->decode(ids)), QString("Hello world"));
        QVERIFY(t->tokenPiece(-5, true).empty());
        QVERIFY(t->tokenText(999999).empty());
        QVERIFY(!t->isControl(-1));
    }

    void controlTokensHiddenOnRequest()
    {
        const Tokenizer* t = vocab("deepseek-r1-qwen");
        const auto ids = t->encode("<｜User｜>Hi<｜Assistant｜><think>\n", true, true);
        QCOMPARE(ids, (std::vector<int32_t>{151646, 151644, 13048, 151645, 151648, 198}));
        QCOMPARE(QString::fromStdString(t->decode(ids, false)), QString("Hi<think>\n"));
    }

    // Invalid UTF-8 becomes U+FFFD per bad byte (llama.cpp), never a crash.
    void invalidUtf8()
    {
        for (const auto& [name, t] : m_vocab) {
            const std::string bad = "ok\xFF\xFE\xC3(\xE2\x82 \xF0\x9F\x98 end\x80";
            const auto ids = t->encode(bad, true, true);
            QVERIFY(!ids.empty());
            const auto replaced = t->encode("ok\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end\xEF\xBF\xBD", true, true);
            QCOMPARE(ids, replaced);
        }
    }

    // const methods may run on several threads at once (engine thread, UI, API server).
    void concurrentEncode()
    {
        const Tokenizer* t = vocab("deepseek-r1-llama");
        std::string text;
        while (text.size() < 20000)
            text += "Grüße, 世界! It's 1234567 o'clock <think>ok</think> \n\n";
        const auto expected = t->encode(text, true, true);
        std::vector<std::vector<int32_t>> results(4);
        std::vector<std::thread> threads;
        for (size_t i = 0; i < results.size(); ++i)
            threads.emplace_back([&, i] {
                for (int rep = 0; rep < 5; ++rep)
                    results[i] = t->encode(text, true, true);
            });
        for (auto& th : threads)
            th.join();
        for (const auto& r : results)
            QVERIFY(r == expected);
    }

    // Long inputs: a 100 kB word, a 100 kB run of spaces and mixed text round-trip.
    void longInputs()
    {
        for (const auto& [name, t] : m_vocab) {
            for (const std::string& s : {std::string(100000, 'a'), std::string(100000, ' '),
                                         std::string(20000, '7'), [] {
                                             std::string m;
                                             while (m.size() < 100000) m += "Hallo Welt, 你好世界! x=42; ";
                                             return m;
                                         }()}) {
                const auto ids = t->encode(s, false, false);
                QVERIFY(!ids.empty());
                QVERIFY2(t->decode(ids) == s, name.c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
