// tiefsee-cli tokenize / detokenize / bench-tokenizer: the engine's tokenizer from a terminal.
//   tokenize --model FILE [--no-bos] [--parse-special] (--text TEXT | --file PATH)
//       prints the ids as a JSON array, e.g. [151646,9707,1879]
//   detokenize --model FILE --ids 1,2,3 [--hide-special]
//       prints the text (llama_detokenize semantics)
//   bench-tokenizer --model FILE [--file PATH] [--reps N]
//       vocabulary load time and encode/decode throughput on a large mixed-language text
#include "arg_parser.h"
#include "cli_command.h"
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tiefsee::cli {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// CPU time of this thread in ms: on a shared, overloaded machine wall time mostly measures
// the other processes, so the benchmark reports both.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

std::optional<std::string> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Result<std::unique_ptr<Tokenizer>> openTokenizer(const std::string& path)
{
    auto file = gguf::GgufFile::open(path);
    if (!file)
        return file.error();
    auto tok = Tokenizer::fromGguf(**file);
    if (!tok)
        return makeError(tok.error().kind, path + ": " + tok.error().message);
    return std::move(tok.value());
}

// ---------------------------------------------------------------------------------------

int runTokenize(const Args& args)
{
    constexpr std::string_view name = "tokenize";
    ArgParser p(args);
    const auto model = p.value("--model", "-m");
    const bool noBos = p.flag("--no-bos");
    const bool parseSpecial = p.flag("--parse-special");
    const auto text = p.value("--text");
    const auto file = p.value("--file");
    if (auto err = p.finish())
        return fail(name, *err, kExitUsage);
    if (!model)
        return fail(name, "--model FILE is required", kExitUsage);
    if (text.has_value() == file.has_value())
        return fail(name, "give exactly one of --text TEXT or --file PATH", kExitUsage);
    std::string input;
    if (file) {
        auto content = readFile(*file);
        if (!content)
            return fail(name, "cannot read " + *file);
        input = std::move(*content);
    } else {
        input = *text;
    }
    auto tok = openTokenizer(*model);
    if (!tok)
        return fail(name, tok.error().message);
    const auto ids = (*tok)->encode(input, !noBos, parseSpecial);
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    std::cout << out << "]\n";
    return kExitOk;
}

int runDetokenize(const Args& args)
{
    constexpr std::string_view name = "detokenize";
    ArgParser p(args);
    const auto model = p.value("--model", "-m");
    const auto idList = p.value("--ids");
    const bool hideSpecial = p.flag("--hide-special");
    if (auto err = p.finish())
        return fail(name, *err, kExitUsage);
    if (!model || !idList)
        return fail(name, "--model FILE and --ids 1,2,3 are required", kExitUsage);
    std::vector<int32_t> ids;
    std::string item;
    std::istringstream ss(*idList);
    while (std::getline(ss, item, ',')) {
        item.erase(std::remove_if(item.begin(), item.end(), [](char c) { return c == ' ' || c == '[' || c == ']'; }),
                   item.end());
        if (item.empty())
            continue;
        char* end = nullptr;
        const long long v = std::strtoll(item.c_str(), &end, 10);
        if (*end != '\0' || v < INT32_MIN || v > INT32_MAX)
            return fail(name, "--ids expects comma-separated integers, got '" + item + "'", kExitUsage);
        ids.push_back(int32_t(v));
    }
    auto tok = openTokenizer(*model);
    if (!tok)
        return fail(name, tok.error().message);
    for (int32_t id : ids)
        if (id < 0 || id >= (*tok)->vocabSize())
            std::cerr << "tiefsee-cli detokenize: id " << id << " is outside the vocabulary (skipped)\n";
    std::cout << (*tok)->decode(ids, !hideSpecial) << "\n";
    return kExitOk;
}

// ---------------------------------------------------------------------------------------

// Built-in benchmark corpus: prose in several scripts, code, numbers, whitespace and chat
// markup. Repeated to ~1 MB when no --file is given.
constexpr std::string_view kSample[] = {
    "The quick brown fox jumps over the lazy dog. It's 3.14159 and 1,000,000 isn't much, you'll see.\n",
    "Grüße aus München! Die Straße ist „schön“ und das Wetter heißt: 23 °C.\n",
    "Le cœur a ses raisons que la raison ne connaît point. Où est l'hôtel ?\n",
    "人工智能正在改变世界。我们今天学习如何使用分词器，以及它为什么重要。\n",
    "東京は日本の首都です。ひらがなとカタカナと漢字を混ぜて書きます。\n",
    "안녕하세요, 세계! 토크나이저는 텍스트를 토큰으로 나눕니다.\n",
    "مرحبا بالعالم، هذا نص عربي للاختبار.\n",
    "Привет, мир! Это проверка токенизатора на русском языке.\n",
    "नमस्ते दुनिया, यह एक परीक्षण है।\n",
    "Γειά σου κόσμε! שלום עולם! สวัสดีชาวโลก Xin chào thế giới\n",
    "Emoji: 👨‍👩‍👧‍👦 🇩🇪 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ✨\n",
    "#include <vector>\nint main() {\n    std::vector<int> v{1, 2, 3};\n    for (int x : v) { printf(\"%d\\n\", x * 42); }\n    return 0;\n}\n",
    "def tokenize(text: str) -> list[int]:\n\t\"\"\"Split text.\"\"\"\n\treturn [ord(c) for c in text if c != ' ']\n\n\n",
    "{\"name\": \"Tiefsee\", \"version\": [0, 1, 0], \"ok\": true}\n$ ls -la | grep '.gguf' && echo \"done\"\n",
    "The answer is $\\boxed{84}$ because $12 \\times 7 = 84$.\n   \n\r\n",
    "<｜User｜>Please reason step by step.<｜Assistant｜><think>\nOkay, let's see.</think>\n\nThe result is 84.\n",
};

int runBenchTokenizer(const Args& args)
{
    constexpr std::string_view name = "bench-tokenizer";
    ArgParser p(args);
    const auto model = p.value("--model", "-m");
    const auto file = p.value("--file");
    const auto reps = p.intValue("--reps");
    if (auto err = p.finish())
        return fail(name, *err, kExitUsage);
    if (!model)
        return fail(name, "--model FILE is required", kExitUsage);
    const int nReps = int(std::clamp<long long>(reps.value_or(5), 1, 1000));

    std::string text;
    if (file) {
        auto content = readFile(*file);
        if (!content)
            return fail(name, "cannot read " + *file);
        if (file->ends_with(".jsonl")) {  // a cases file: use its "text" fields
            std::istringstream lines(*content);
            std::string line;
            std::string joined;
            while (std::getline(lines, line)) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_object() && j.contains("text") && j["text"].is_string())
                    joined += j["text"].get<std::string>() + "\n";
            }
            while (!joined.empty() && text.size() < (1u << 20))
                text += joined;
        } else {
            text = std::move(*content);
        }
    } else {
        while (text.size() < (1u << 20))
            for (std::string_view s : kSample)
                text += s;
    }

    // Load: the GGUF parse and the tokenizer build, several times (best of).
    double bestOpen = 1e30, bestBuild = 1e30, bestBuildCpu = 1e30;
    std::unique_ptr<Tokenizer> tok;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = Clock::now();
        auto f = gguf::GgufFile::open(*model);
        if (!f)
            return fail(name, f.error().message);
        const double open = msSince(t0);
        const auto t1 = Clock::now();
        const double c1 = threadCpuMs();
        auto t = Tokenizer::fromGguf(**f);
        if (!t)
            return fail(name, t.error().message);
        bestBuildCpu = std::min(bestBuildCpu, threadCpuMs() - c1);
        bestBuild = std::min(bestBuild, msSince(t1));
        bestOpen = std::min(bestOpen, open);
        tok = std::move(t.value());
    }

    std::vector<int32_t> ids;
    double bestEncode = 1e30, bestEncodeCpu = 1e30;
    for (int r = 0; r < nReps; ++r) {
        const auto t0 = Clock::now();
        const double c0 = threadCpuMs();
        ids = tok->encode(text, false, true);
        bestEncodeCpu = std::min(bestEncodeCpu, threadCpuMs() - c0);
        bestEncode = std::min(bestEncode, msSince(t0));
    }
    double bestDecode = 1e30;
    std::string back;
    for (int r = 0; r < nReps; ++r) {
        const auto t0 = Clock::now();
        back = tok->decode(ids, true);
        bestDecode = std::min(bestDecode, msSince(t0));
    }
    const double mb = double(text.size()) / 1e6;
    std::printf("model           %s\n", model->c_str());
    std::printf("tokenizer       %s / %s, %d tokens\n", std::string(tok->modelName()).c_str(),
                std::string(tok->preTokenizer()).c_str(), tok->vocabSize());
    std::printf("vocab load      %.2f ms build (%.2f ms CPU) + %.2f ms GGUF parse, best of 3\n", bestBuild,
                bestBuildCpu, bestOpen);
    std::printf("text            %.3f MB, %zu tokens (%.2f bytes/token)\n", mb, ids.size(),
                ids.empty() ? 0.0 : double(text.size()) / double(ids.size()));
    std::printf("encode          %.1f ms  = %.2f MB/s (CPU time: %.1f ms = %.2f MB/s), best of %d\n", bestEncode,
                mb / (bestEncode / 1e3), bestEncodeCpu, mb / (bestEncodeCpu / 1e3), nReps);
    std::printf("decode          %.1f ms  = %.2f MB/s (best of %d)\n", bestDecode, mb / (bestDecode / 1e3), nReps);
    std::printf("round trip      %s\n", back == text ? "identical" : "differs (clean-up spaces or invalid UTF-8)");
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND("tokenize", "tokenize --model FILE [--no-bos] [--parse-special] (--text TEXT | --file PATH)",
                    "prints the token ids of a text as a JSON array", &runTokenize);
TIEFSEE_CLI_COMMAND("detokenize", "detokenize --model FILE --ids 1,2,3 [--hide-special]",
                    "prints the text of a list of token ids", &runDetokenize);
TIEFSEE_CLI_COMMAND("bench-tokenizer", "bench-tokenizer --model FILE [--file PATH|CASES.jsonl] [--reps N]",
                    "measures vocabulary load time and encode/decode throughput (MB/s)", &runBenchTokenizer);

}  // namespace tiefsee::cli
