// Chat templates rendered natively (no Jinja interpreter): the prompt text a model
// expects for a conversation. The format is chosen from the file's
// `tokenizer.chat_template` text (recognised by its marker strings), else guessed
// from the vocabulary's special tokens, else a visible fallback.
//
// Formats, each following the official Jinja template byte for byte for
// system/user/assistant messages (tools are not supported):
//   DeepSeekR1  R1 distills and R1-0528: BOS + last system prompt, "<｜User｜>text",
//               "<｜Assistant｜>answer<｜end▁of▁sentence｜>" where answer = text after the
//               LAST "</think>" (blank lines kept); generation prompt
//               "<｜Assistant｜><think>\n" (R1 distills) or "<｜Assistant｜>" (templates
//               that don't force the think block).
//   Qwen3       ChatML "<|im_start|>role\ntext<|im_end|>\n" with Qwen3's think handling
//               (reasoning of turns before the last user query dropped, "<think>\n\n
//               </think>\n\n" to switch thinking off).
//   Llama3      "<|start_header_id|>role<|end_header_id|>\n\ntext<|eot_id|>", BOS first.
//   ChatML      plain ChatML without think handling (only as an inferred/fallback format).
//   Plain       "User: ...\n\nAssistant: ..." text when the vocabulary has no chat tokens.
// Checked against jinja2 (trim_blocks, lstrip_blocks) on the vocab files' templates with
// enable_thinking passed explicitly, as llama.cpp does (R1-Qwen's file appends "</think>"
// when enable_thinking is undefined, which no runtime does).
#pragma once

#include "chat/chat_message.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::gguf {
class GgufFile;
}

namespace tiefsee::chat {

enum class ChatFormat { DeepSeekR1, Qwen3, Llama3, ChatML, Plain };

// How sure the choice is. The UI shows `notice()` unless Recognised.
enum class TemplateMatch {
    Recognised,  // the file's template text was identified
    Inferred,    // no/unknown template text, format deduced from the vocabulary's chat tokens
    Fallback,    // nothing fits; a generic format that may give poor replies
};

// What the template needs from the vocabulary: the BOS text (Jinja `bos_token`) and
// whether the chat-control texts exist as single tokens.
struct TemplateVocab {
    std::string bosText;                 // empty if the file has no BOS token
    std::vector<std::string> tokenTexts; // the special/added token texts present (any order)
    bool has(std::string_view text) const;
};

struct RenderOptions {
    bool addGenerationPrompt = true;  // end with the opening of an assistant turn
    bool enableThinking = true;       // false: ask the model to skip reasoning where the
                                      // template supports it (Qwen3, R1-Qwen's switch)
};

class ChatTemplate {
public:
    // Chooses the format from the template text, architecture and vocabulary.
    static ChatTemplate choose(std::string_view templateText, std::string_view architecture,
                               const TemplateVocab& vocab);
    // Reads tokenizer.chat_template, general.architecture and the token list of `file`.
    static ChatTemplate fromGguf(const gguf::GgufFile& file);
    // A specific format (tests, --format overrides): Recognised, R1 think prompt forced.
    static ChatTemplate make(ChatFormat format, std::string bosText);

    ChatFormat format() const { return m_format; }
    std::string_view formatName() const;  // "DeepSeek-R1", "Qwen3", ...
    TemplateMatch match() const { return m_match; }
    bool isFallback() const { return m_match == TemplateMatch::Fallback; }
    // Plain-words note for the user when the format was not recognised; empty otherwise.
    const std::string& notice() const { return m_notice; }

    // The exact prompt text. Special-token texts appear literally: tokenize it with
    // special-token parsing on and without adding a BOS (the text has it).
    std::string render(std::span<const ChatMessage> messages, const RenderOptions& options = {}) const;

    // True when the generation prompt leaves the model inside an open <think> block
    // (R1 distills): its output starts with reasoning and has only a closing tag.
    bool generationOpensReasoning(const RenderOptions& options = {}) const;
    // The text the generation prompt opened (e.g. "<think>\n"), to store in front of the
    // reply so the saved message is self-describing. Empty if none.
    std::string openedReasoningPrefix(const RenderOptions& options = {}) const;
    // Texts that end an assistant turn if the model writes them as plain text
    // (a safety net besides the end-of-generation token ids).
    std::vector<std::string> endOfTurnTexts() const;

private:
    std::string renderDeepSeek(std::span<const ChatMessage> m, const RenderOptions& o) const;
    std::string renderQwen3(std::span<const ChatMessage> m, const RenderOptions& o) const;
    std::string renderLlama3(std::span<const ChatMessage> m, const RenderOptions& o) const;
    std::string renderChatML(std::span<const ChatMessage> m, const RenderOptions& o) const;
    std::string renderPlain(std::span<const ChatMessage> m, const RenderOptions& o) const;

    ChatFormat m_format = ChatFormat::Plain;
    TemplateMatch m_match = TemplateMatch::Fallback;
    std::string m_notice;
    std::string m_bos;                // Jinja bos_token (from the vocabulary)
    bool m_forcedThink = true;        // DeepSeekR1: generation prompt ends "<think>\n"
    bool m_thinkingSwitch = false;    // DeepSeekR1: template honours enable_thinking
};

// The answer part of an assistant message: the text after the last "</think>", or all
// of it when there is none (Python's content.split('</think>')[-1]).
std::string_view textAfterReasoning(std::string_view content);

}  // namespace tiefsee::chat
