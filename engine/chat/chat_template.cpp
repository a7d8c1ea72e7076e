// Native renderers of the official chat templates. Each renderer mirrors one Jinja
// template; comments quote the Jinja expression a line implements.
#include "chat/chat_template.h"

#include "gguf/gguf_file.h"

#include <algorithm>

namespace tiefsee::chat {

namespace {

// Chat-control texts. They are fixed by each format (they appear as literals in the
// official templates); whether the vocabulary really has them is checked on choose().
constexpr std::string_view kR1User = "<｜User｜>";
constexpr std::string_view kR1Assistant = "<｜Assistant｜>";
constexpr std::string_view kR1End = "<｜end▁of▁sentence｜>";
constexpr std::string_view kImStart = "<|im_start|>";
constexpr std::string_view kImEnd = "<|im_end|>";
constexpr std::string_view kHeaderStart = "<|start_header_id|>";
constexpr std::string_view kHeaderEnd = "<|end_header_id|>";
constexpr std::string_view kEot = "<|eot_id|>";
constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// Python str.lstrip/rstrip/strip with an explicit character set.
std::string_view lstrip(std::string_view s, std::string_view chars)
{
    const size_t i = s.find_first_not_of(chars);
    return i == std::string_view::npos ? std::string_view{} : s.substr(i);
}
std::string_view rstrip(std::string_view s, std::string_view chars)
{
    const size_t i = s.find_last_not_of(chars);
    return i == std::string_view::npos ? std::string_view{} : s.substr(0, i + 1);
}
std::string_view strip(std::string_view s, std::string_view chars) { return rstrip(lstrip(s, chars), chars); }
constexpr std::string_view kJinjaWhitespace = " \t\n\r\f\v";  // Jinja's |trim (ASCII part)

// Python s.split(sep)[0] and s.split(sep)[-1].
std::string_view beforeFirst(std::string_view s, std::string_view sep)
{
    const size_t i = s.find(sep);
    return i == std::string_view::npos ? s : s.substr(0, i);
}
std::string_view afterLast(std::string_view s, std::string_view sep)
{
    const size_t i = s.rfind(sep);
    return i == std::string_view::npos ? s : s.substr(i + sep.size());
}

}  // namespace

std::string_view roleName(Role role)
{
    switch (role) {
    case Role::System: return "system";
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    }
    return "user";
}

std::optional<Role> parseRole(std::string_view name)
{
    if (name == "system") return Role::System;
    if (name == "user") return Role::User;
    if (name == "assistant") return Role::Assistant;
    return std::nullopt;
}

std::string_view textAfterReasoning(std::string_view content) { return afterLast(content, kThinkClose); }

bool TemplateVocab::has(std::string_view text) const
{
    return std::find(tokenTexts.begin(), tokenTexts.end(), text) != tokenTexts.end();
}

// ---------------------------------------------------------------- choosing a format

ChatTemplate ChatTemplate::make(ChatFormat format, std::string bosText)
{
    ChatTemplate t;
    t.m_format = format;
    t.m_match = TemplateMatch::Recognised;
    t.m_bos = std::move(bosText);
    return t;
}

ChatTemplate ChatTemplate::choose(std::string_view text, std::string_view architecture, const TemplateVocab& vocab)
{
    ChatTemplate t;
    t.m_bos = vocab.bosText;
    const bool vocabR1 = vocab.has(kR1User) && vocab.has(kR1Assistant);
    const bool vocabChatML = vocab.has(kImStart) && vocab.has(kImEnd);
    const bool vocabLlama3 = vocab.has(kHeaderStart) && vocab.has(kHeaderEnd) && vocab.has(kEot);

    // 1. Recognise the template text by its marker strings (and check the vocabulary
    //    has the tokens, or the "recognised" rendering would tokenize as plain text).
    if (!text.empty()) {
        if (contains(text, kR1User) && contains(text, kR1Assistant) && vocabR1) {
            t.m_format = ChatFormat::DeepSeekR1;
            t.m_match = TemplateMatch::Recognised;
            // R1 distills: {{'<｜Assistant｜><think>\n'}}; R1-0528 ends with '<｜Assistant｜>'.
            t.m_forcedThink = contains(text, "<｜Assistant｜><think>");
            // R1-Qwen's file: {% if not enable_thinking %}{{- '</think>' -}}{% endif %}
            t.m_thinkingSwitch = contains(text, "enable_thinking");
            return t;
        }
        if (contains(text, kImStart) && vocabChatML) {
            if (contains(text, "reasoning_content") && contains(text, kThinkClose)) {
                t.m_format = ChatFormat::Qwen3;
                t.m_match = TemplateMatch::Recognised;
                return t;
            }
            t.m_format = ChatFormat::ChatML;
            t.m_match = TemplateMatch::Inferred;
            t.m_notice = "This model's chat template is a ChatML variant Tiefsee does not know exactly; "
                         "it uses plain ChatML, which may leave out a default system prompt.";
            return t;
        }
        if (contains(text, kHeaderStart) && contains(text, kEot) && vocabLlama3) {
            t.m_format = ChatFormat::Llama3;
            if (contains(text, "Cutting Knowledge Date") || contains(text, "tools")) {
                t.m_match = TemplateMatch::Inferred;
                t.m_notice = "This model's chat template is a Llama 3.1-style template; Tiefsee renders the "
                             "Llama 3 format without the date preamble.";
            } else {
                t.m_match = TemplateMatch::Recognised;
            }
            return t;
        }
    }

    // 2. No (or an unknown) template: deduce from the chat tokens of the vocabulary.
    const std::string why = text.empty() ? "The model file has no chat template" : "The model's chat template is not one Tiefsee knows";
    if (vocabR1) {
        t.m_format = ChatFormat::DeepSeekR1;
        t.m_match = TemplateMatch::Inferred;
        t.m_notice = why + "; its vocabulary has DeepSeek-R1 chat tokens, so the DeepSeek-R1 format is used.";
        return t;
    }
    if (vocabChatML) {
        t.m_format = architecture == "qwen3" ? ChatFormat::Qwen3 : ChatFormat::ChatML;
        t.m_match = TemplateMatch::Inferred;
        t.m_notice = why + "; its vocabulary has ChatML tokens, so the ChatML format is used.";
        return t;
    }
    if (vocabLlama3) {
        t.m_format = ChatFormat::Llama3;
        t.m_match = TemplateMatch::Inferred;
        t.m_notice = why + "; its vocabulary has Llama 3 header tokens, so the Llama 3 format is used.";
        return t;
    }
    t.m_format = ChatFormat::Plain;
    t.m_match = TemplateMatch::Fallback;
    t.m_notice = why + " and its vocabulary has no chat tokens; a plain \"User:/Assistant:\" format is used, "
                       "replies may be poor.";
    return t;
}

ChatTemplate ChatTemplate::fromGguf(const gguf::GgufFile& file)
{
    TemplateVocab vocab;
    const gguf::Value* tokens = file.getArray("tokenizer.ggml.tokens");
    const gguf::Value* types = file.getArray("tokenizer.ggml.token_type");
    if (tokens && tokens->elemType == gguf::ValueType::String) {
        const bool typesUsable = types && types->count == tokens->strings.size() && types->elemType != gguf::ValueType::String &&
                                 types->elemType != gguf::ValueType::Array;
        for (size_t i = 0; i < tokens->strings.size(); ++i) {
            const std::string_view s = tokens->strings[i];
            // CONTROL (3) and USER_DEFINED (4) tokens carry the chat markup; without a
            // type array, take anything that looks like "<...>".
            const bool special = typesUsable ? (types->intAt(i) == 3 || types->intAt(i) == 4)
                                             : (s.size() > 2 && s.front() == '<' && s.back() == '>');
            if (special) vocab.tokenTexts.emplace_back(s);
        }
        if (auto bos = file.getUInt("tokenizer.ggml.bos_token_id"); bos && *bos < tokens->strings.size())
            vocab.bosText = std::string(tokens->strings[*bos]);
    }
    const std::string_view text = file.getString("tokenizer.chat_template").value_or(std::string_view{});
    const std::string_view arch = file.getString("general.architecture").value_or(std::string_view{});
    return choose(text, arch, vocab);
}

std::string_view ChatTemplate::formatName() const
{
    switch (m_format) {
    case ChatFormat::DeepSeekR1: return "DeepSeek-R1";
    case ChatFormat::Qwen3: return "Qwen3";
    case ChatFormat::Llama3: return "Llama 3";
    case ChatFormat::ChatML: return "ChatML";
    case ChatFormat::Plain: return "plain text";
    }
    return "plain text";
}

bool ChatTemplate::generationOpensReasoning(const RenderOptions& options) const
{
    // With thinking switched off R1-Qwen's prompt closes the block again ("<think>\n</think>").
    return m_format == ChatFormat::DeepSeekR1 && m_forcedThink && !(m_thinkingSwitch && !options.enableThinking);
}

std::string ChatTemplate::openedReasoningPrefix(const RenderOptions& options) const
{
    return generationOpensReasoning(options) ? "<think>\n" : "";
}

std::vector<std::string> ChatTemplate::endOfTurnTexts() const
{
    switch (m_format) {
    case ChatFormat::DeepSeekR1: return {std::string(kR1End), std::string(kR1User)};
    case ChatFormat::Qwen3:
    case ChatFormat::ChatML: return {std::string(kImEnd), std::string(kImStart)};
    case ChatFormat::Llama3: return {std::string(kEot), std::string(kHeaderStart)};
    case ChatFormat::Plain: return {"\nUser:"};
    }
    return {};
}

std::string ChatTemplate::render(std::span<const ChatMessage> messages, const RenderOptions& options) const
{
    switch (m_format) {
    case ChatFormat::DeepSeekR1: return renderDeepSeek(messages, options);
    case ChatFormat::Qwen3: return renderQwen3(messages, options);
    case ChatFormat::Llama3: return renderLlama3(messages, options);
    case ChatFormat::ChatML: return renderChatML(messages, options);
    case ChatFormat::Plain: return renderPlain(messages, options);
    }
    return {};
}

// ---------------------------------------------------------------- renderers

std::string ChatTemplate::renderDeepSeek(std::span<const ChatMessage> messages, const RenderOptions& o) const
{
    // {% for message in messages %}{% if role == 'system' %}{% set ns.system_prompt = content %}:
    // the LAST system message wins and goes right after the BOS.
    std::string_view system;
    for (const ChatMessage& m : messages)
        if (m.role == Role::System) system = m.content;
    std::string out = m_bos;  // {{bos_token}}{{ns.system_prompt}}
    out += system;
    for (const ChatMessage& m : messages) {
        if (m.role == Role::User) {
            out += kR1User;  // '<｜User｜>' + message['content']
            out += m.content;
        } else if (m.role == Role::Assistant) {
            // content.split('</think>')[-1], then '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'
            out += kR1Assistant;
            out += textAfterReasoning(m.content);
            out += kR1End;
        }
    }
    if (o.addGenerationPrompt) {
        out += kR1Assistant;
        if (m_forcedThink) {
            out += "<think>\n";
            if (m_thinkingSwitch && !o.enableThinking) out += kThinkClose;  // {% if not enable_thinking %}'</think>'
        }
    }
    return out;
}

std::string ChatTemplate::renderQwen3(std::span<const ChatMessage> messages, const RenderOptions& o) const
{
    std::string out;
    const size_t n = messages.size();
    if (n > 0 && messages[0].role == Role::System) {
        out += kImStart;  // '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n'
        out += "system\n";
        out += messages[0].content;
        out += kImEnd;
        out += "\n";
    }
    // ns.last_query_index: the last user message that is not a wrapped tool response
    // (default len-1). Assistant turns after it keep their reasoning.
    size_t lastQuery = n == 0 ? 0 : n - 1;
    for (size_t k = n; k-- > 0;) {
        const std::string_view c = messages[k].content;
        const bool toolResponse = c.starts_with("<tool_response>") && c.ends_with("</tool_response>");
        if (messages[k].role == Role::User && !toolResponse) {
            lastQuery = k;
            break;
        }
    }
    for (size_t i = 0; i < n; ++i) {
        const ChatMessage& m = messages[i];
        if (m.role == Role::User || (m.role == Role::System && i != 0)) {
            out += kImStart;
            out += roleName(m.role);
            out += "\n";
            out += m.content;
            out += kImEnd;
            out += "\n";
        } else if (m.role == Role::Assistant) {
            std::string_view content = m.content;
            std::string_view reasoning;
            if (contains(m.content, kThinkClose)) {
                // content.split('</think>')[-1].lstrip('\n')
                content = lstrip(afterLast(m.content, kThinkClose), "\n");
                // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
                reasoning = lstrip(afterLast(rstrip(beforeFirst(m.content, kThinkClose), "\n"), kThinkOpen), "\n");
            }
            out += kImStart;
            out += "assistant\n";
            const bool last = i + 1 == n;
            if (i > lastQuery && (last || !reasoning.empty())) {
                out += "<think>\n";
                out += strip(reasoning, "\n");
                out += "\n</think>\n\n";
                out += lstrip(content, "\n");
            } else {
                out += content;
            }
            out += kImEnd;
            out += "\n";
        }
    }
    if (o.addGenerationPrompt) {
        out += kImStart;
        out += "assistant\n";
        if (!o.enableThinking) out += "<think>\n\n</think>\n\n";
    }
    return out;
}

std::string ChatTemplate::renderLlama3(std::span<const ChatMessage> messages, const RenderOptions& o) const
{
    // Meta-Llama-3-8B-Instruct: bos_token before the first message, then per message
    // '<|start_header_id|>' + role + '<|end_header_id|>\n\n' + content|trim + '<|eot_id|>'.
    std::string out;
    for (size_t i = 0; i < messages.size(); ++i) {
        if (i == 0) out += m_bos;
        out += kHeaderStart;
        out += roleName(messages[i].role);
        out += kHeaderEnd;
        out += "\n\n";
        out += strip(messages[i].content, kJinjaWhitespace);
        out += kEot;
    }
    if (o.addGenerationPrompt) {
        out += kHeaderStart;
        out += "assistant";
        out += kHeaderEnd;
        out += "\n\n";
    }
    return out;
}

std::string ChatTemplate::renderChatML(std::span<const ChatMessage> messages, const RenderOptions& o) const
{
    std::string out;
    for (const ChatMessage& m : messages) {
        out += kImStart;
        out += roleName(m.role);
        out += "\n";
        out += m.role == Role::Assistant ? textAfterReasoning(m.content) : std::string_view(m.content);
        out += kImEnd;
        out += "\n";
    }
    if (o.addGenerationPrompt) {
        out += kImStart;
        out += "assistant\n";
    }
    return out;
}

std::string ChatTemplate::renderPlain(std::span<const ChatMessage> messages, const RenderOptions& o) const
{
    std::string out = m_bos;
    for (const ChatMessage& m : messages) {
        out += m.role == Role::System ? "System: " : m.role == Role::User ? "User: " : "Assistant: ";
        out += m.role == Role::Assistant ? textAfterReasoning(m.content) : std::string_view(m.content);
        out += "\n\n";
    }
    if (o.addGenerationPrompt) out += "Assistant:";
    return out;
}

}  // namespace tiefsee::chat
