// tiefsee-cli chat: an interactive terminal chat through the same ChatEngine the app
// uses. On a terminal the reasoning is shown dimmed; when stdout is not a terminal it
// is wrapped in <think>...</think> lines instead. When stdin is not a terminal every
// line read is one user message (so tests can pipe a conversation in). A stats line
// per reply goes to stderr. Ctrl-C stops the reply being written.
#include "arg_parser.h"
#include "cli_command.h"

#include "chat/chat_engine.h"
#include "chat/model_backend.h"

#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>

using namespace tiefsee;
using namespace tiefsee::cli;
using namespace tiefsee::chat;

namespace {

constexpr std::string_view kName = "chat";

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void onInterrupt(int) { g_interrupted = 1; }

// Printing state shared by the worker thread's callbacks; the main thread waits on it.
struct Console {
    bool tty = false;
    std::mutex mutex;
    std::condition_variable done;
    bool inReasoning = false;
    bool answerStarted = false;
    std::optional<GenerationResult> result;
    std::optional<LoadedModelInfo> loaded;
    std::optional<Error> loadError;

    void beginReply()
    {
        std::lock_guard lock(mutex);
        inReasoning = answerStarted = false;
        result.reset();
    }
    void reasoning(const std::string& text)
    {
        if (!inReasoning) {
            std::cout << (tty ? "\x1b[2m" : "<think>\n");
            inReasoning = true;
        }
        std::cout << text;
    }
    void endReasoning()
    {
        if (!inReasoning) return;
        std::cout << (tty ? "\x1b[0m\n\n" : "\n</think>\n\n");
        inReasoning = false;
    }
    void onToken(const TokenDelta& d)
    {
        std::lock_guard lock(mutex);
        if (d.answerReset && answerStarted) std::cout << "\n";  // the text above was reasoning after all
        if (!d.reasoning.empty()) reasoning(d.reasoning);
        if (!d.answer.empty()) {
            endReasoning();
            answerStarted = true;
            std::cout << d.answer;
        }
        std::cout << std::flush;
    }
    void onFinished(const GenerationResult& r)
    {
        {
            std::lock_guard lock(mutex);
            endReasoning();
            std::cout << "\n" << std::flush;
            result = r;
        }
        done.notify_all();
    }
};

void printStats(const GenerationResult& r)
{
    const GenerationStats& s = r.stats;
    std::fprintf(stderr,
                 "[stats] generated=%zu prompt=%zu reused=%zu prefilled=%zu prefill_tps=%.1f decode_tps=%.1f thinking_ms=%lld "
                 "stop=%s\n",
                 s.generatedTokens, s.promptTokens, s.reusedTokens, s.prefilledTokens, s.prefillTokensPerSecond(),
                 s.decodeTokensPerSecond(), static_cast<long long>(r.thinkingTime.count()),
                 std::string(stopReasonName(r.stopReason)).c_str());
    if (r.dropped.count > 0)
        std::fprintf(stderr, "[context] %zu earlier message(s) no longer fit and were left out\n", r.dropped.count);
}

int runChat(const Args& args)
{
    ArgParser p(args);
    const auto model = p.value("--model", "-m");
    const auto ctx = p.intValue("--ctx", "-c");
    const auto temp = p.doubleValue("--temp");
    const auto seed = p.intValue("--seed");
    const auto maxTokens = p.intValue("-n", "--max-tokens");
    const auto system = p.value("--system");
    const auto device = p.intValue("--device");
    const bool noThinking = p.flag("--no-thinking");
    if (auto err = p.finish(0, 0)) return fail(kName, *err, kExitUsage);
    if (!model) return fail(kName, "--model FILE is required", kExitUsage);
    if (ctx && (*ctx < 16 || *ctx > (1 << 20))) return fail(kName, "--ctx must be between 16 and 1048576", kExitUsage);

    Console console;
    console.tty = isatty(STDOUT_FILENO);
    const bool interactive = isatty(STDIN_FILENO);

    EngineCallbacks cb;
    cb.loadProgress = [&](uint64_t, double f) {
        if (interactive) std::fprintf(stderr, "\rloading %3d%%", int(f * 100));
    };
    cb.loaded = [&](uint64_t, const LoadedModelInfo& info) {
        {
            std::lock_guard lock(console.mutex);
            console.loaded = info;
        }
        console.done.notify_all();
    };
    cb.loadFailed = [&](uint64_t, const Error& e) {
        {
            std::lock_guard lock(console.mutex);
            console.loadError = e;
        }
        console.done.notify_all();
    };
    cb.token = [&](uint64_t, const TokenDelta& d) { console.onToken(d); };
    cb.finished = [&](uint64_t, const GenerationResult& r) { console.onFinished(r); };

    ChatEngine engine(cb, &loadModelBackend);
    ModelLoadOptions lo;
    if (ctx) lo.contextLength = uint32_t(*ctx);
    if (device) lo.deviceIndex = int(*device);
    engine.loadModel(*model, lo);
    {
        std::unique_lock lock(console.mutex);
        console.done.wait(lock, [&] { return console.loaded || console.loadError; });
        if (interactive) std::fprintf(stderr, "\r");
        if (console.loadError) return fail(kName, console.loadError->message);
        std::fprintf(stderr, "%s: %s, context %zu tokens, %s chat format\n", console.loaded->name.c_str(),
                     console.loaded->architecture.c_str(), console.loaded->contextSize, console.loaded->templateFormat.c_str());
        if (!console.loaded->templateNotice.empty()) std::fprintf(stderr, "note: %s\n", console.loaded->templateNotice.c_str());
        if (interactive) std::fprintf(stderr, "Type a message; /reset starts over, /exit or Ctrl-D quits, Ctrl-C stops a reply.\n");
    }

    GenerationParams params;
    if (temp) params.sampling.temperature = float(*temp);
    if (seed) params.sampling.seed = uint64_t(*seed);
    if (maxTokens) params.maxTokens = int32_t(*maxTokens);
    params.enableThinking = !noThinking;

    Conversation conversation;
    auto startOver = [&] {
        conversation.clear();
        if (system) conversation.push_back({Role::System, *system});
    };
    startOver();

    std::string line;
    for (;;) {
        if (interactive) std::cout << (console.tty ? "\x1b[1m> \x1b[0m" : "> ") << std::flush;
        if (!std::getline(std::cin, line)) break;
        if (line.empty()) continue;
        if (line == "/exit" || line == "/quit") break;
        if (line == "/reset") {
            startOver();
            continue;
        }
        conversation.push_back({Role::User, line});
        console.beginReply();
        g_interrupted = 0;
        auto previous = std::signal(SIGINT, onInterrupt);
        engine.generate(conversation, params);
        GenerationResult result;
        {
            std::unique_lock lock(console.mutex);
            while (!console.done.wait_for(lock, std::chrono::milliseconds(50), [&] { return console.result.has_value(); })) {
                if (g_interrupted) {
                    g_interrupted = 0;
                    engine.cancel();
                }
            }
            result = *console.result;
        }
        std::signal(SIGINT, previous);
        printStats(result);
        if (result.error) {
            std::fprintf(stderr, "error: %s\n", result.error->message.c_str());
            if (result.stopReason == StopReason::Error) {
                conversation.pop_back();  // nothing was answered
                continue;
            }
        }
        conversation.push_back({Role::Assistant, result.content});
    }
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND("chat", "chat --model FILE [--ctx N] [--temp T] [--seed S] [-n N] [--system TEXT] [--device I] [--no-thinking]",
                    "interactive chat in the terminal (reads one message per line from a pipe)", &runChat);
