// The Vulkan runtime on the default device (lavapipe here): device listing, memory,
// staging transfers, split tensors, pipeline reflection, automatic barriers,
// re-submission, profiling, and the plain-words errors.
#include "vulkan/runtime.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <random>

using namespace tiefsee;

namespace {

std::vector<uint32_t> randomWords(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<uint32_t> v(n);
    for (auto& w : v)
        w = rng();
    return v;
}

struct CopyPush {
    uint32_t count;  // uvec4 elements
};

}  // namespace

class TestVkRuntime : public QObject {
    Q_OBJECT

    std::unique_ptr<vk::Context> m_ctx;
    vk::Pipeline m_copy;

    // Records and runs dst = src through copy.comp (16-byte elements).
    void gpuCopy(vk::Recorder& rec, vk::TensorView src, vk::TensorView dst)
    {
        const uint32_t count = uint32_t(std::min(src.size, dst.size) / 16);
        rec.dispatch(m_copy, {src, dst}, vk::groupsFor(m_copy, count), CopyPush{count});
    }

private slots:
    void initTestCase()
    {
        auto ctx = vk::Context::create();
        QVERIFY2(ctx.ok(), ctx.ok() ? "" : ctx.error().message.c_str());
        m_ctx = std::move(*ctx);
        auto p = vk::createPipeline(*m_ctx, "copy", {64});
        QVERIFY(p.ok());
        m_copy = std::move(*p);
        qInfo("device: %s (%s)", m_ctx->info().name.c_str(), m_ctx->info().driverInfo.c_str());
    }

    void listsDevices()
    {
        auto devs = vk::listDevices();
        QVERIFY(devs.ok());
        QVERIFY(!devs->empty());
        bool found = false;
        for (const auto& d : *devs) {
            QVERIFY(!d.name.empty());
            QVERIFY(d.maxStorageBufferRange > 0);
            QVERIFY(d.maxMemoryAllocationSize > 0);
            found = found || d.name == m_ctx->info().name;
        }
        QVERIFY(found);
        QVERIFY(m_ctx->info().subgroupSize > 0);
    }

    void reflectsShaderInterface()
    {
        const auto& iface = m_copy.interface();
        QCOMPARE(iface.localSize[0], 64u);
        QCOMPARE(iface.localSize[1], 1u);
        QCOMPARE(iface.pushConstantBytes, 4u);
        QCOMPARE(iface.bindingWritten.size(), size_t(2));
        QCOMPARE(bool(iface.bindingWritten[0]), false);  // readonly Src
        QCOMPARE(bool(iface.bindingWritten[1]), true);   // writeonly Dst
        auto other = vk::createPipeline(*m_ctx, "copy", {32});
        QVERIFY(other.ok());
        QCOMPARE(other->interface().localSize[0], 32u);
        QCOMPARE(vk::groupsFor(*other, 65).x, 3u);
    }

    // Pipelines require the device's subgroup size where it can pin it (every Vulkan 1.3
    // device; lavapipe 22.3 is one), except workgroups of more subgroups than it allows.
    void pinsSubgroupSize()
    {
        const vk::DeviceInfo& info = m_ctx->info();
        if (VK_API_VERSION_MINOR(info.apiVersion) >= 3)
            QVERIFY(info.subgroupSizeControl);
        if (!info.subgroupSizeControl)
            QSKIP("the device picks subgroup sizes itself");
        QVERIFY(m_copy.subgroupSizePinned());
        const uint32_t tooWide = (info.maxComputeWorkgroupSubgroups + 1) * info.subgroupSize;
        if (tooWide <= info.maxComputeWorkGroupInvocations) {
            auto wide = vk::createPipeline(*m_ctx, "copy", {tooWide});
            QVERIFY(wide.ok());
            QVERIFY(!wide->subgroupSizePinned());
        }
    }

    void copyRoundTrip_data()
    {
        QTest::addColumn<int>("words");
        QTest::newRow("one workgroup") << 256;
        QTest::newRow("odd size") << 4 * 1237;
        QTest::newRow("1 MiB") << 262144;
    }
    void copyRoundTrip()
    {
        QFETCH(int, words);
        auto in = randomWords(size_t(words), 1);
        auto a = m_ctx->allocate(words * 4u);
        auto b = m_ctx->allocate(words * 4u);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(m_ctx->upload(*a, in.data(), words * 4u).ok());
        auto rec = vk::Recorder::create(*m_ctx);
        QVERIFY(rec.ok());
        rec->begin();
        gpuCopy(*rec, *a, *b);
        rec->end();
        QVERIFY(rec->run().ok());
        std::vector<uint32_t> out(size_t(words), 0);
        QVERIFY(m_ctx->download(*b, out.data(), words * 4u).ok());
        QVERIFY(out == in);
    }

    void stagingRingMovesLargeData()
    {
        vk::DeviceChoice choice;
        choice.forceStaging = true;
        choice.stagingBytes = 1 << 20;  // 512 KiB halves: 3.3 MiB needs 7 trips through the ring
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        const size_t words = 870'001;
        auto in = randomWords(words, 2);
        auto t = (*ctx)->allocate(words * 4);
        QVERIFY(t.ok());
        QVERIFY((*ctx)->upload(*t, in.data(), words * 4).ok());
        std::vector<uint32_t> out(words, 0);
        QVERIFY((*ctx)->download(*t, out.data(), words * 4).ok());
        QVERIFY(out == in);
    }

    void splitTensorChunksByRows()
    {
        vk::DeviceChoice choice;
        choice.maxBindingBytes = 64 << 10;  // pretend bindings span at most 64 KiB
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        vk::Context& c = **ctx;
        const uint64_t rows = 1000, rowBytes = 1008;  // 63 uvec4 per row
        auto split = c.allocateRows(rows, rowBytes);
        QVERIFY(split.ok());
        QCOMPARE(split->rowsPerChunk, uint64_t((64 << 10) / rowBytes));
        QCOMPARE(split->chunks.size(), size_t((rows + split->rowsPerChunk - 1) / split->rowsPerChunk));
        uint64_t covered = 0;
        for (size_t i = 0; i < split->chunks.size(); ++i) {
            QVERIFY(split->chunks[i].size() <= (64u << 10));
            QCOMPARE(split->chunks[i].size(), split->chunkRows(i) * rowBytes);
            covered += split->chunkRows(i);
        }
        QCOMPARE(covered, rows);

        auto in = randomWords(rows * rowBytes / 4, 3);
        QVERIFY(c.upload(*split, in.data()).ok());
        // Gather the chunks back into one buffer with one copy dispatch per chunk.
        auto whole = c.allocate(rows * rowBytes);
        QVERIFY(whole.ok());
        auto copy = vk::createPipeline(c, "copy", {64});
        QVERIFY(copy.ok());
        auto rec = vk::Recorder::create(c);
        QVERIFY(rec.ok());
        rec->begin();
        for (size_t i = 0; i < split->chunks.size(); ++i) {
            const uint32_t count = uint32_t(split->chunks[i].size() / 16);
            rec->dispatch(*copy, {split->chunks[i], whole->view().sub(split->chunkFirstRow(i) * rowBytes, split->chunks[i].size())},
                          vk::groupsFor(*copy, count), CopyPush{count});
        }
        rec->end();
        QCOMPARE(rec->barrierCount(), 0u);  // disjoint writes need no barrier
        QVERIFY(rec->run().ok());
        std::vector<uint32_t> out(in.size());
        QVERIFY(c.download(*whole, out.data(), rows * rowBytes).ok());
        QVERIFY(out == in);
    }

    void barriersOnlyWhereNeededAndResubmission()
    {
        const uint32_t words = 4 * 999;
        std::vector<vk::Tensor> t;
        for (int i = 0; i < 4; ++i) {
            auto x = m_ctx->allocate(words * 4);
            QVERIFY(x.ok());
            t.push_back(std::move(*x));
        }
        auto rec = vk::Recorder::create(*m_ctx);
        QVERIFY(rec.ok());
        // A -> B -> C -> D: each copy reads what the previous wrote: 2 barriers.
        rec->begin();
        gpuCopy(*rec, t[0], t[1]);
        gpuCopy(*rec, t[1], t[2]);
        gpuCopy(*rec, t[2], t[3]);
        rec->end();
        QCOMPARE(rec->barrierCount(), 2u);
        for (uint32_t seed = 10; seed < 13; ++seed) {  // the same recording, re-submitted with new input
            auto in = randomWords(words, seed);
            QVERIFY(m_ctx->upload(t[0], in.data(), words * 4).ok());
            QVERIFY(rec->run().ok());
            std::vector<uint32_t> out(words);
            QVERIFY(m_ctx->download(t[3], out.data(), words * 4).ok());
            QVERIFY(out == in);
        }
        // Independent copies A -> B and C -> D: no barrier. Then B -> C (WAR on C, RAW on B): one.
        rec->begin();
        gpuCopy(*rec, t[0], t[1]);
        gpuCopy(*rec, t[2], t[3]);
        QCOMPARE(rec->barrierCount(), 0u);
        gpuCopy(*rec, t[1], t[2]);
        rec->end();
        QCOMPARE(rec->barrierCount(), 1u);
        QVERIFY(rec->run().ok());
    }

    void profileTimesEveryOp()
    {
        if (!m_ctx->info().timestamps)
            QSKIP("device has no timestamps");
        const uint32_t words = 1 << 16;
        auto a = m_ctx->allocate(words * 4);
        auto b = m_ctx->allocate(words * 4);
        QVERIFY(a.ok() && b.ok());
        auto rec = vk::Recorder::create(*m_ctx, {.profile = true});
        QVERIFY(rec.ok());
        rec->begin();
        rec->dispatch(m_copy, {*a, *b}, vk::groupsFor(m_copy, words / 4), CopyPush{words / 4}, "first");
        rec->dispatch(m_copy, {*b, *a}, vk::groupsFor(m_copy, words / 4), CopyPush{words / 4}, "second");
        rec->end();
        QVERIFY(rec->run().ok());
        auto times = rec->timings();
        QCOMPARE(times.size(), size_t(2));
        QCOMPARE(times[0].name, std::string("first"));
        QCOMPARE(times[1].name, std::string("second"));
        for (const auto& t : times)
            QVERIFY(t.ms > 0 && t.ms < 10'000);
    }

    void oversizedAllocationIsAClearError()
    {
        auto t = m_ctx->allocate(uint64_t(1) << 40);  // 1 TiB
        QVERIFY(!t.ok());
        QCOMPARE(t.error().kind, ErrorKind::OutOfMemory);
        const QString msg = QString::fromStdString(t.error().message);
        QVERIFY2(msg.contains("needed 1048576.0 MiB") && msg.contains("available"), qPrintable(msg));
        auto rows = m_ctx->allocateRows(1 << 20, 1 << 20);  // 1 TiB as a split matrix
        QVERIFY(!rows.ok());
        QCOMPARE(rows.error().kind, ErrorKind::OutOfMemory);
        // The allocator still works afterwards.
        QVERIFY(m_ctx->allocate(4096).ok());
    }

    void missingFeatureIsAClearError()
    {
        vk::DeviceChoice choice;
        choice.require.cooperativeMatrix = true;
        choice.index = int(m_ctx->info().index);
        if (m_ctx->info().cooperativeMatrix)
            QSKIP("this device has cooperative matrix support");
        auto ctx = vk::Context::create(choice);
        QVERIFY(!ctx.ok());
        QCOMPARE(ctx.error().kind, ErrorKind::Device);
        const QString msg = QString::fromStdString(ctx.error().message);
        QVERIFY2(msg.contains("lacks cooperative matrix") && msg.contains(QString::fromStdString(m_ctx->info().name)), qPrintable(msg));
    }

    void unknownDeviceIsAClearError()
    {
        vk::DeviceChoice byName;
        byName.nameContains = "no-such-gpu";
        auto a = vk::Context::create(byName);
        QVERIFY(!a.ok());
        QCOMPARE(a.error().kind, ErrorKind::NotFound);
        QVERIFY(QString::fromStdString(a.error().message).contains("no-such-gpu"));
        vk::DeviceChoice byIndex;
        byIndex.index = 99;
        auto b = vk::Context::create(byIndex);
        QVERIFY(!b.ok());
        QCOMPARE(b.error().kind, ErrorKind::NotFound);
        QVERIFY(!vk::createPipeline(*m_ctx, "no_such_shader").ok());
    }

    void pipelineCacheRoundTrip()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pipelines.bin").toStdString();
        QVERIFY(m_ctx->savePipelineCache(path).ok());
        QVERIFY(QFileInfo(QString::fromStdString(path)).size() > 0);
        vk::DeviceChoice choice;
        choice.pipelineCachePath = path;
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        QVERIFY(vk::createPipeline(**ctx, "copy", {64}).ok());
    }

    // LP_NATIVE_VECTOR_WIDTH: a value the user set is kept; unset, it becomes 512 exactly
    // when the CPU has AVX-512. (This process's driver has started already, so changing
    // the variable here only tests the decision.)
    void wideCpuVectorsKeepTheUsersChoice()
    {
        const QByteArray before = qgetenv("LP_NATIVE_VECTOR_WIDTH");
        const bool wasSet = qEnvironmentVariableIsSet("LP_NATIVE_VECTOR_WIDTH");
        qputenv("LP_NATIVE_VECTOR_WIDTH", "256");
        QVERIFY(!vk::preferWideCpuVectors());
        QCOMPARE(qgetenv("LP_NATIVE_VECTOR_WIDTH"), QByteArray("256"));
        qputenv("LP_NATIVE_VECTOR_WIDTH", "512");
        QVERIFY(vk::preferWideCpuVectors());
        qunsetenv("LP_NATIVE_VECTOR_WIDTH");
#if defined(__x86_64__) || defined(__i386__)
        __builtin_cpu_init();
        const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
        const bool avx512 = false;
#endif
        QCOMPARE(vk::preferWideCpuVectors(), avx512);
        QCOMPARE(qgetenv("LP_NATIVE_VECTOR_WIDTH"), avx512 ? QByteArray("512") : QByteArray());
        if (wasSet)
            qputenv("LP_NATIVE_VECTOR_WIDTH", before);
        else
            qunsetenv("LP_NATIVE_VECTOR_WIDTH");
    }

    void cleanupTestCase()
    {
        m_copy = vk::Pipeline();
        m_ctx.reset();
    }
};

QTEST_GUILESS_MAIN(TestVkRuntime)
#include "tst_vk_runtime.moc"
