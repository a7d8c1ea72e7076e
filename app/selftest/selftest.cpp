#include "selftest/selftest.h"

#include "core/app_info.h"
#include "mkmodel/mkmodel.h"
#include "model/model.h"
#include "sampling/sampler.h"
#include "../../shaders/shader_registry.h"  // tiefsee_shaders is private to the engine target
#include "store/conversation_store.h"
#include "tokenizer/tokenizer.h"
#include "vulkan/runtime.h"

#include <QTemporaryDir>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace tiefsee::app {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

SelfTestCheck checkDevice(std::unique_ptr<vk::Context>& ctx)
{
    SelfTestCheck c;
    c.name = "Vulkan device";
    const auto start = Clock::now();
    c.ran = true;
    auto created = vk::Context::create();
    if (!created) {
        c.detail = created.error().message;
    } else {
        ctx = std::move(*created);
        const vk::DeviceInfo& info = ctx->info();
        std::ostringstream s;
        s << info.name << " (" << vk::deviceTypeName(info.type) << ", " << info.driverName;
        if (!info.driverInfo.empty())
            s << " " << info.driverInfo;
        s << ", " << (info.vramBudget >> 20) << " MiB)";
        c.detail = s.str();
        c.ok = true;
    }
    c.seconds = secondsSince(start);
    return c;
}

SelfTestCheck checkPipelines(vk::Context& ctx)
{
    SelfTestCheck c;
    c.name = "Shader pipelines";
    const auto start = Clock::now();
    c.ran = true;
    size_t ok = 0, total = 0;
    std::string failures;
    for (const shaders::ShaderBinary& shader : shaders::all()) {
        ++total;
        auto pipe = vk::createPipeline(ctx, shader.name);
        if (pipe)
            ++ok;
        else
            failures += std::string(failures.empty() ? "" : "; ") + shader.name + ": " + pipe.error().message;
    }
    c.ok = total > 0 && ok == total;
    c.detail = std::to_string(ok) + " of " + std::to_string(total) + " compiled";
    if (total == 0)
        c.detail = "no shaders are embedded in this build";
    if (!failures.empty())
        c.detail += " (" + failures + ")";
    c.seconds = secondsSince(start);
    return c;
}

SelfTestCheck checkTinyModel(const QTemporaryDir& dir)
{
    SelfTestCheck c;
    c.name = "Tiny model";
    const auto start = Clock::now();
    c.ran = true;
    auto spec = mkmodel::defaultSpec("qwen2");  // 2 layers, 256 wide, 2048-token vocabulary
    if (!spec) {
        c.detail = spec.error().message;
        return c;
    }
    mkmodel::MkModelOptions options;
    options.spec = *spec;
    options.fileType = "Q4_K_M";  // the quant mix most downloads use
    options.seed = 7;
    options.outPath = dir.filePath(QStringLiteral("selftest.gguf")).toStdString();
    options.threads = 1;
    auto made = mkmodel::makeModel(options);
    if (!made) {
        c.detail = "generating the model failed: " + made.error().message;
        return c;
    }
    model::LoadOptions load;
    load.contextLength = 128;
    load.batchSize = 32;
    auto m = model::Model::load(options.outPath, load);
    if (!m) {
        c.detail = "loading the model failed: " + m.error().message;
        return c;
    }
    model::Model& model = **m;
    std::vector<int32_t> prompt = model.tokenizer().encode("Hello from the deep sea", true, false);
    if (auto r = model.prefill(prompt); !r) {
        c.detail = "prefill failed: " + r.error().message;
        return c;
    }
    Sampler sampler(SamplerConfig::greedy());
    constexpr int kTokens = 4;
    const auto decodeStart = Clock::now();
    for (int i = 0; i < kTokens; ++i) {
        auto tok = model.sample(sampler);
        if (!tok) {
            c.detail = "sampling failed: " + tok.error().message;
            return c;
        }
        sampler.accept(*tok);
        if (auto r = model.decode(*tok); !r) {
            c.detail = "decoding failed: " + r.error().message;
            return c;
        }
    }
    std::ostringstream s;
    s << "generated a 2-layer qwen2 model (Q4_K_M, " << (made->bytes >> 10) << " KiB), prefilled " << prompt.size()
      << " tokens, decoded " << kTokens << " in " << std::fixed << std::setprecision(2) << secondsSince(decodeStart)
      << " s";
    c.detail = s.str();
    c.ok = true;
    c.seconds = secondsSince(start);
    return c;
}

SelfTestCheck checkDatabase(const QTemporaryDir& dir)
{
    using namespace tiefsee::store;
    SelfTestCheck c;
    c.name = "Conversation database";
    const auto start = Clock::now();
    c.ran = true;
    const QString path = dir.filePath(QStringLiteral("selftest.sqlite"));
    {
        auto opened = ConversationStore::open(path);
        if (!opened) {
            c.detail = opened.error().message;
            return c;
        }
        ConversationStore& s = *opened->store;
        auto conv = s.createConversation({});
        NewMessage m;
        m.content = QStringLiteral("Is the self-test database writable?");
        auto msg = conv ? s.appendMessage(*conv, 0, m) : Result<qint64>(conv.error());
        if (!msg) {
            c.detail = msg.error().message;
            return c;
        }
        auto hits = s.search(QStringLiteral("writable"));
        if (!hits || hits->size() != 1) {
            c.detail = hits ? "full-text search found nothing" : hits.error().message;
            return c;
        }
        if (auto r = s.checkIntegrity(); !r) {
            c.detail = r.error().message;
            return c;
        }
    }  // closed here
    c.ok = true;
    c.detail = "created, written, searched, checked and closed a temporary database (SQLite, FTS5, WAL)";
    c.seconds = secondsSince(start);
    return c;
}

}  // namespace

bool SelfTestReport::ok() const
{
    for (const SelfTestCheck& c : checks)
        if (!c.ran || !c.ok)
            return false;
    return !checks.empty();
}

SelfTestReport runSelfTest()
{
    SelfTestReport report;
    QTemporaryDir dir;  // removed with everything in it when the test ends
    std::unique_ptr<vk::Context> ctx;
    report.checks.push_back(checkDevice(ctx));
    if (ctx) {
        report.checks.push_back(checkPipelines(*ctx));
        ctx.reset();  // the model creates its own device
        report.checks.push_back(checkTinyModel(dir));
    } else {
        report.checks.push_back({"Shader pipelines", false, false, "skipped: no Vulkan device"});
        report.checks.push_back({"Tiny model", false, false, "skipped: no Vulkan device"});
    }
    report.checks.push_back(checkDatabase(dir));
    return report;
}

void printSelfTestReport(const SelfTestReport& report, std::ostream& out)
{
    out << versionLine("Tiefsee") << " self-test\n";
    size_t passed = 0;
    for (const SelfTestCheck& c : report.checks) {
        const char* mark = !c.ran ? "skip" : c.ok ? " ok " : "FAIL";
        passed += c.ran && c.ok;
        out << "  [" << mark << "] " << std::left << std::setw(22) << c.name << " " << c.detail;
        if (c.ran)
            out << "  (" << std::fixed << std::setprecision(2) << c.seconds << " s)";
        out << "\n";
    }
    out << (report.ok() ? "All " : "") << passed << " of " << report.checks.size() << " checks passed.";
    if (!report.ok())
        out << " Tiefsee may not work on this machine; the lines marked FAIL say why.";
    out << "\n";
}

int selfTestMain()
{
    const SelfTestReport report = runSelfTest();
    printSelfTestReport(report, std::cout);
    return report.ok() ? 0 : 1;
}

}  // namespace tiefsee::app
