// Chat templates against strings derived BY HAND from the official Jinja templates in
// the vocab GGUFs' tokenizer.chat_template (see testdata/vocab). Each expected string
// quotes the Jinja branch it comes from.
#include "chat/chat_template.h"
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

#include <QtTest>

using namespace tiefsee;
using namespace tiefsee::chat;

namespace {

const std::string kVocab = std::string(TIEFSEE_TESTDATA) + "/vocab/";
const std::string kModels = std::string(TIEFSEE_TESTDATA) + "/models/";

ChatTemplate load(const std::string& path)
{
    auto file = gguf::GgufFile::open(path);
    if (!file) qFatal("cannot open %s: %s", path.c_str(), file.error().message.c_str());
    return ChatTemplate::fromGguf(**file);
}

Conversation multiTurn()
{
    return {
        {Role::System, "You are terse."},
        {Role::User, "Hi"},
        // Reasoning then an answer with blank lines: the template keeps "\n\n" after </think>.
        {Role::Assistant, "<think>\nThe user greets.\n</think>\n\nHello!\n\nHow can I help?"},
        {Role::User, "What is 2+2?"},
    };
}

#define CHECK_TEXT(actual, expected) QCOMPARE(QString::fromStdString(actual), QString::fromStdString(expected))

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT
private slots:
    void r1QwenMultiTurn()
    {
        const ChatTemplate t = load(kVocab + "deepseek-r1-qwen.gguf");
        QCOMPARE(t.format(), ChatFormat::DeepSeekR1);
        QCOMPARE(t.match(), TemplateMatch::Recognised);
        QVERIFY(t.notice().empty());
        QVERIFY(t.generationOpensReasoning());
        // {{bos_token}}{{ns.system_prompt}} '<｜User｜>'+content
        // '<｜Assistant｜>' + content.split('</think>')[-1] + '<｜end▁of▁sentence｜>'
        // generation prompt '<｜Assistant｜><think>\n' (enable_thinking on).
        CHECK_TEXT(t.render(multiTurn()),
                   "<｜begin▁of▁sentence｜>You are terse.<｜User｜>Hi<｜Assistant｜>\n\nHello!\n\nHow can I help?"
                   "<｜end▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜><think>\n");
        CHECK_TEXT(t.render(multiTurn(), {.addGenerationPrompt = false}),
                   "<｜begin▁of▁sentence｜>You are terse.<｜User｜>Hi<｜Assistant｜>\n\nHello!\n\nHow can I help?"
                   "<｜end▁of▁sentence｜><｜User｜>What is 2+2?");
        // {% if not enable_thinking %}{{- '</think>' -}}: the R1-Qwen file's switch.
        CHECK_TEXT(t.render(multiTurn(), {.addGenerationPrompt = true, .enableThinking = false}).substr(
                       t.render(multiTurn(), {.addGenerationPrompt = false}).size()),
                   "<｜Assistant｜><think>\n</think>");
        QVERIFY(!t.generationOpensReasoning({.addGenerationPrompt = true, .enableThinking = false}));
    }

    void r1NoSystemAndLastSystemWins()
    {
        const ChatTemplate t = load(kVocab + "deepseek-r1-qwen.gguf");
        CHECK_TEXT(t.render(Conversation{{Role::User, "Hi"}}), "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n");
        // ns.system_prompt is overwritten by every system message; only the last is shown, after BOS.
        const Conversation two{{Role::System, "A"}, {Role::User, "u"}, {Role::System, "B"}};
        CHECK_TEXT(t.render(two, {.addGenerationPrompt = false}), "<｜begin▁of▁sentence｜>B<｜User｜>u");
    }

    void r1KeepsTextAfterLastCloseTag()
    {
        const ChatTemplate t = load(kVocab + "deepseek-r1-qwen.gguf");
        // split('</think>')[-1]: after the LAST tag; an answer without tags is kept whole.
        const Conversation c{{Role::User, "q"}, {Role::Assistant, "a</think>b</think>\n\nc\n"}, {Role::User, "r"},
                             {Role::Assistant, "plain answer"}};
        CHECK_TEXT(t.render(c, {.addGenerationPrompt = false}),
                   "<｜begin▁of▁sentence｜><｜User｜>q<｜Assistant｜>\n\nc\n<｜end▁of▁sentence｜><｜User｜>r"
                   "<｜Assistant｜>plain answer<｜end▁of▁sentence｜>");
        QCOMPARE(std::string(textAfterReasoning("x</think>\n\ny")), std::string("\n\ny"));
        QCOMPARE(std::string(textAfterReasoning("no tags")), std::string("no tags"));
    }

    void r1LlamaHasNoThinkingSwitch()
    {
        const ChatTemplate t = load(kVocab + "deepseek-r1-llama.gguf");
        QCOMPARE(t.format(), ChatFormat::DeepSeekR1);
        QCOMPARE(t.match(), TemplateMatch::Recognised);
        CHECK_TEXT(t.render(multiTurn()),
                   "<｜begin▁of▁sentence｜>You are terse.<｜User｜>Hi<｜Assistant｜>\n\nHello!\n\nHow can I help?"
                   "<｜end▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜><think>\n");
        // The llama file's template has no enable_thinking branch: the prompt stays the same.
        CHECK_TEXT(t.render(Conversation{{Role::User, "Hi"}}, {.addGenerationPrompt = true, .enableThinking = false}),
                   "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n");
    }

    void qwen3MultiTurn()
    {
        const ChatTemplate t = load(kVocab + "qwen3.gguf");
        QCOMPARE(t.format(), ChatFormat::Qwen3);
        QCOMPARE(t.match(), TemplateMatch::Recognised);
        QVERIFY(!t.generationOpensReasoning());
        // messages[0] system -> '<|im_start|>system\n'+content+'<|im_end|>\n'; the assistant
        // turn is before last_query_index, so it is content.split('</think>')[-1].lstrip('\n').
        CHECK_TEXT(t.render(multiTurn()),
                   "<|im_start|>system\nYou are terse.<|im_end|>\n"
                   "<|im_start|>user\nHi<|im_end|>\n"
                   "<|im_start|>assistant\nHello!\n\nHow can I help?<|im_end|>\n"
                   "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                   "<|im_start|>assistant\n");
        // enable_thinking false -> '<think>\n\n</think>\n\n' after the generation prompt.
        const std::string off = t.render(Conversation{{Role::User, "Hi"}}, {.addGenerationPrompt = true, .enableThinking = false});
        CHECK_TEXT(off, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    void qwen3KeepsReasoningAfterLastQuery()
    {
        const ChatTemplate t = load(kVocab + "qwen3.gguf");
        // The last message is an assistant turn after the last user query: loop.last, so it
        // is rendered with '<think>\n' + reasoning.strip('\n') + '\n</think>\n\n' + content.
        const Conversation c{{Role::User, "Hi"}, {Role::Assistant, "<think>\n\nplan\n\n</think>\n\nAns"}};
        CHECK_TEXT(t.render(c, {.addGenerationPrompt = false}),
                   "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\nplan\n</think>\n\nAns<|im_end|>\n");
        // Without reasoning it still gets an empty think block (loop.last).
        const Conversation d{{Role::User, "Hi"}, {Role::Assistant, "Ans"}};
        CHECK_TEXT(t.render(d, {.addGenerationPrompt = false}),
                   "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nAns<|im_end|>\n");
        // A system message that is not first is rendered in the loop.
        const Conversation e{{Role::User, "a"}, {Role::System, "s"}};
        CHECK_TEXT(t.render(e, {.addGenerationPrompt = false}),
                   "<|im_start|>user\na<|im_end|>\n<|im_start|>system\ns<|im_end|>\n");
    }

    void llama3()
    {
        const ChatTemplate t = ChatTemplate::make(ChatFormat::Llama3, "<|begin_of_text|>");
        // bos_token on the first message; content | trim.
        CHECK_TEXT(t.render(Conversation{{Role::System, " Be brief. "}, {Role::User, "Hi\n"}}),
                   "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                   "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                   "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    void chooseRecognisesAndFallsBackVisibly()
    {
        TemplateVocab none;
        none.bosText = "<s>";
        ChatTemplate unknown = ChatTemplate::choose("{{ messages }}", "llama", none);
        QCOMPARE(unknown.match(), TemplateMatch::Fallback);
        QVERIFY(unknown.isFallback());
        QVERIFY(!unknown.notice().empty());
        CHECK_TEXT(unknown.render(Conversation{{Role::User, "Hi"}}), "<s>User: Hi\n\nAssistant:");

        TemplateVocab r1;
        r1.bosText = "<｜begin▁of▁sentence｜>";
        r1.tokenTexts = {"<｜User｜>", "<｜Assistant｜>", "<think>", "</think>"};
        ChatTemplate inferred = ChatTemplate::choose("", "qwen2", r1);
        QCOMPARE(inferred.format(), ChatFormat::DeepSeekR1);
        QCOMPARE(inferred.match(), TemplateMatch::Inferred);
        QVERIFY(!inferred.notice().empty());

        // An R1-looking template whose vocabulary lacks the tokens is not "recognised".
        ChatTemplate mismatch = ChatTemplate::choose("{{'<｜User｜>' + c}}{{'<｜Assistant｜>'}}", "llama", none);
        QVERIFY(mismatch.isFallback());

        TemplateVocab llama3;
        llama3.bosText = "<|begin_of_text|>";
        llama3.tokenTexts = {"<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"};
        ChatTemplate l3 = ChatTemplate::choose(
            "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}",
            "llama", llama3);
        QCOMPARE(l3.format(), ChatFormat::Llama3);
        QCOMPARE(l3.match(), TemplateMatch::Recognised);

        // R1-0528 style: no forced "<think>\n" in the generation prompt.
        ChatTemplate r0528 = ChatTemplate::choose("{{'<｜User｜>' + c}}{% if add_generation_prompt %}{{'<｜Assistant｜>'}}{% endif %}",
                                                  "qwen3", r1);
        QCOMPARE(r0528.match(), TemplateMatch::Recognised);
        QVERIFY(!r0528.generationOpensReasoning());
        CHECK_TEXT(r0528.render(Conversation{{Role::User, "Hi"}}), "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>");
    }

    void r1PromptTokenizesToTheSpecialIds()
    {
        // The rendered text must turn into the file's special ids (README: begin 151646,
        // end 151643, User 151644, Assistant 151645, <think> 151648), not into pieces.
        auto file = gguf::GgufFile::open(kVocab + "deepseek-r1-qwen.gguf");
        QVERIFY(file.ok());
        auto tok = Tokenizer::fromGguf(**file);
        QVERIFY(tok.ok());
        const ChatTemplate t = ChatTemplate::fromGguf(**file);
        const Conversation c{{Role::User, "Hi"}, {Role::Assistant, "<think>\nx\n</think>\n\nHello"}, {Role::User, "Bye"}};
        const std::vector<int32_t> ids = (*tok)->encode(t.render(c), /*addSpecial=*/false, /*parseSpecial=*/true);
        auto text = [&](const char* s) { return (*tok)->encode(s, false, false); };
        std::vector<int32_t> expected{151646, 151644};
        auto append = [&](std::vector<int32_t> v) { expected.insert(expected.end(), v.begin(), v.end()); };
        append(text("Hi"));
        expected.push_back(151645);
        append(text("\n\nHello"));
        expected.push_back(151643);
        expected.push_back(151644);
        append(text("Bye"));
        expected.push_back(151645);
        expected.push_back(151648);
        append(text("\n"));
        QCOMPARE(ids, expected);
    }

    void miniModelsUseTheirFilesTemplates()
    {
        const ChatTemplate q2 = load(kModels + "mini-qwen2-q8_0.gguf");
        QCOMPARE(q2.format(), ChatFormat::DeepSeekR1);
        QCOMPARE(q2.match(), TemplateMatch::Recognised);
        CHECK_TEXT(q2.render(Conversation{{Role::User, "Hi"}}), "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n");
        QCOMPARE(load(kModels + "mini-llama-q8_0.gguf").format(), ChatFormat::DeepSeekR1);
        QCOMPARE(load(kModels + "mini-qwen3-f16.gguf").format(), ChatFormat::Qwen3);
    }
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
