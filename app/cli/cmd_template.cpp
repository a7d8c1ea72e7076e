// tiefsee-cli template: prints the exact prompt text the chat session would tokenize
// for a JSON list of messages, so the native rendering can be compared with the
// official Jinja template (e.g. with Python's jinja2 on the same file's template).
#include "arg_parser.h"
#include "cli_command.h"

#include "chat/chat_template.h"
#include "gguf/gguf_file.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

using namespace tiefsee;
using namespace tiefsee::cli;

namespace {

constexpr std::string_view kName = "template";

// Reads [{"role": "...", "content": "..."}, ...] from `path` ("-" = stdin).
Result<chat::Conversation> readMessages(const std::string& path)
{
    std::string text;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) return makeError(ErrorKind::NotFound, "cannot open messages file '" + path + "'");
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return makeError(ErrorKind::InvalidInput, "'" + path + "' is not valid JSON");
    if (!json.is_array()) return makeError(ErrorKind::InvalidInput, "the messages must be a JSON list of {\"role\", \"content\"} objects");
    chat::Conversation messages;
    for (size_t i = 0; i < json.size(); ++i) {
        const auto& m = json[i];
        const std::string where = "message " + std::to_string(i + 1);
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string() || !m.contains("content") || !m["content"].is_string())
            return makeError(ErrorKind::InvalidInput, where + " needs a string \"role\" and a string \"content\"");
        const auto role = chat::parseRole(m["role"].get<std::string>());
        if (!role)
            return makeError(ErrorKind::InvalidInput, where + " has role '" + m["role"].get<std::string>() +
                                                          "'; use system, user or assistant");
        messages.push_back({*role, m["content"].get<std::string>()});
    }
    return messages;
}

int runTemplate(const Args& args)
{
    ArgParser p(args);
    const auto model = p.value("--model", "-m");
    const auto messagesPath = p.value("--messages");
    const bool noGenerationPrompt = p.flag("--no-generation-prompt");
    const bool noThinking = p.flag("--no-thinking");
    if (auto err = p.finish(0, 0)) return fail(kName, *err, kExitUsage);
    if (!model || !messagesPath) return fail(kName, "--model FILE and --messages PATH are required", kExitUsage);

    auto file = gguf::GgufFile::open(*model);
    if (!file) return fail(kName, file.error().message);
    auto messages = readMessages(*messagesPath);
    if (!messages) return fail(kName, messages.error().message);

    const chat::ChatTemplate tmpl = chat::ChatTemplate::fromGguf(**file);
    if (!tmpl.notice().empty()) std::cerr << "tiefsee-cli template: note: " << tmpl.notice() << "\n";
    chat::RenderOptions options;
    options.addGenerationPrompt = !noGenerationPrompt;
    options.enableThinking = !noThinking;
    // Exactly the prompt text, no newline added (pipe it into a file to compare bytes).
    std::cout << tmpl.render(*messages, options) << std::flush;
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND("template", "template --model FILE --messages PATH [--no-generation-prompt] [--no-thinking]",
                    "prints the prompt text the chat template renders for a JSON list of {role, content} messages",
                    &runTemplate);
