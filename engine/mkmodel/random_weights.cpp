#include "mkmodel/random_weights.h"

#include "quant/blocks.h"
#include "quant/half.h"
#include "quant/quantize.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <thread>

namespace tiefsee::mkmodel {
namespace {

uint64_t splitmix64(uint64_t& x)
{
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

constexpr uint64_t kPoolElements = uint64_t(1) << 20;
constexpr size_t kSlabBytes = size_t(64) << 20;   // output produced between file writes

// Byte offsets of the fp16 scale fields (d, and m/dmin where present) in a block:
// multiplying them by sigma scales every value of the block by sigma.
std::vector<size_t> scaleFields(GgmlType t)
{
    using namespace quant;
    switch (t) {
    case GgmlType::Q4_0: return {offsetof(BlockQ4_0, d)};
    case GgmlType::Q4_1: return {offsetof(BlockQ4_1, d), offsetof(BlockQ4_1, m)};
    case GgmlType::Q5_0: return {offsetof(BlockQ5_0, d)};
    case GgmlType::Q5_1: return {offsetof(BlockQ5_1, d), offsetof(BlockQ5_1, m)};
    case GgmlType::Q8_0: return {offsetof(BlockQ8_0, d)};
    case GgmlType::Q2_K: return {offsetof(BlockQ2_K, d), offsetof(BlockQ2_K, dmin)};
    case GgmlType::Q3_K: return {offsetof(BlockQ3_K, d)};
    case GgmlType::Q4_K: return {offsetof(BlockQ4_K, d), offsetof(BlockQ4_K, dmin)};
    case GgmlType::Q5_K: return {offsetof(BlockQ5_K, d), offsetof(BlockQ5_K, dmin)};
    case GgmlType::Q6_K: return {offsetof(BlockQ6_K, d)};
    default: return {};
    }
}

// Runs fn(chunk) for chunk in [0, n) on `threads` threads.
void parallelFor(unsigned threads, uint64_t n, const std::function<void(uint64_t)>& fn)
{
    std::atomic<uint64_t> next{0};
    auto work = [&] {
        for (uint64_t c; (c = next.fetch_add(1)) < n;)
            fn(c);
    };
    const unsigned t = static_cast<unsigned>(std::min<uint64_t>(threads, n));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < t; ++i)
        pool.emplace_back(work);
    work();
    for (auto& th : pool)
        th.join();
}

void storeFloats(GgmlType type, const float* v, size_t n, uint8_t* dst) { quant::quantizeInto(type, v, n, dst); }

}  // namespace

Rng::Rng(uint64_t seed)
{
    for (uint64_t& s : m_s)
        s = splitmix64(seed);
}

uint64_t Rng::next()
{
    const uint64_t result = m_s[0] + m_s[3];
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

float Rng::uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

float Rng::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    float u1;
    do
        u1 = uniform();
    while (u1 <= 0.f);
    const float u2 = uniform();
    const float r = std::sqrt(-2.f * std::log(u1));
    const float a = 6.28318530718f * u2;
    m_spare = r * std::sin(a);
    m_hasSpare = true;
    return r * std::cos(a);
}

uint64_t mixSeed(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = a;
    uint64_t h = splitmix64(x);
    x = h ^ b;
    h = splitmix64(x);
    x = h ^ c;
    return splitmix64(x);
}

TensorGenerator::TensorGenerator(unsigned threads) : m_threads(std::max(1u, threads)) {}

const std::vector<uint8_t>& TensorGenerator::pool(GgmlType type)
{
    std::lock_guard lock(m_poolMutex);
    auto it = m_pools.find(type);
    if (it != m_pools.end())
        return it->second;
    // N(0,1) values quantized once per type; the generation is itself parallel.
    std::vector<float> values(kPoolElements);
    std::vector<uint8_t> bytes(quant::quantizedSize(type, kPoolElements));
    constexpr uint64_t kChunk = 16384;
    parallelFor(m_threads, kPoolElements / kChunk, [&](uint64_t c) {
        Rng rng(mixSeed(0x7001, static_cast<uint64_t>(type), c));
        float* v = values.data() + c * kChunk;
        for (uint64_t i = 0; i < kChunk; ++i)
            v[i] = rng.normal();
        quant::quantizeInto(type, v, kChunk, bytes.data() + quant::quantizedSize(type, c * kChunk));
    });
    return m_pools.emplace(type, std::move(bytes)).first->second;
}

Result<void> TensorGenerator::generate(GgmlType type, uint64_t ne0, uint64_t rows, const Init& init, uint64_t seed,
                                       const std::function<Result<void>(const uint8_t*, size_t)>& sink)
{
    const auto traits = ggmlTypeTraits(type);
    if (!traits || !quant::canQuantize(type) || ne0 % traits->blockSize)
        return makeError(ErrorKind::Internal, "cannot generate " + ggmlTypeName(type) + " rows of " + std::to_string(ne0));
    const uint64_t n = ne0 * rows;
    const size_t rowBytes = static_cast<size_t>(ne0 / traits->blockSize * traits->blockBytes);

    if (!init.fixed.empty()) {  // fixed values: no randomness
        if (init.fixed.size() != n)
            return makeError(ErrorKind::Internal, "fixed tensor values have the wrong size");
        std::vector<uint8_t> out(rows * rowBytes);
        storeFloats(type, init.fixed.data(), init.fixed.size(), out.data());
        return sink(out.data(), out.size());
    }

    // Work is cut into chunks of whole rows (~64 Ki values); each has its own RNG stream.
    const uint64_t rowsPerChunk = std::max<uint64_t>(1, 65536 / ne0);
    const uint64_t nChunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
    const uint64_t chunksPerSlab = std::max<uint64_t>(1, kSlabBytes / (rowsPerChunk * rowBytes));
    // Pool blocks carry N(0,1) values scaled by sigma: an offset (norm weights) needs direct draws.
    const bool direct = n <= kDirectLimit || init.offset != 0.f;
    const bool floatType = traits->blockSize == 1;
    const std::vector<uint8_t>* blockPool = (!direct && !floatType) ? &pool(type) : nullptr;
    std::vector<float> floatPool;
    if (!direct && floatType) {  // pool of N(offset, sigma^2) floats, picked at random
        floatPool.resize(kPoolElements * 2);
        Rng rng(mixSeed(seed, 0xf10a7));
        for (float& v : floatPool)
            v = init.offset + init.sigma * rng.normal();
    }
    const std::vector<size_t> fields = scaleFields(type);

    std::vector<uint8_t> slab;
    for (uint64_t first = 0; first < nChunks; first += chunksPerSlab) {
        const uint64_t last = std::min(nChunks, first + chunksPerSlab);
        const uint64_t slabRows = std::min(rows, last * rowsPerChunk) - first * rowsPerChunk;
        slab.resize(static_cast<size_t>(slabRows * rowBytes));
        parallelFor(m_threads, last - first, [&](uint64_t k) {
            const uint64_t c = first + k;
            const uint64_t r0 = c * rowsPerChunk;
            const uint64_t nr = std::min(rows, r0 + rowsPerChunk) - r0;
            const uint64_t count = nr * ne0;
            uint8_t* dst = slab.data() + (r0 - first * rowsPerChunk) * rowBytes;
            Rng rng(mixSeed(seed, c));
            if (direct) {
                std::vector<float> v(static_cast<size_t>(count));
                for (float& x : v)
                    x = init.offset + init.sigma * rng.normal();
                quant::quantizeInto(type, v.data(), v.size(), dst);
            } else if (floatType) {
                std::vector<float> v(static_cast<size_t>(count));
                const uint64_t mask = floatPool.size() - 1;
                for (uint64_t i = 0; i < count; i += 3) {
                    const uint64_t bits = rng.next();
                    for (uint64_t j = 0; j < 3 && i + j < count; ++j)
                        v[i + j] = floatPool[(bits >> (21 * j)) & mask];
                }
                quant::quantizeInto(type, v.data(), v.size(), dst);
            } else {
                const uint64_t nBlocks = count / traits->blockSize;
                const uint64_t poolBlocks = blockPool->size() / traits->blockBytes;
                for (uint64_t b = 0; b < nBlocks; ++b) {
                    uint8_t* out = dst + b * traits->blockBytes;
                    std::memcpy(out, blockPool->data() + (rng.next() % poolBlocks) * traits->blockBytes, traits->blockBytes);
                    for (size_t off : fields) {
                        uint16_t h;
                        std::memcpy(&h, out + off, 2);
                        h = quant::floatToHalf(quant::halfToFloat(h) * init.sigma);
                        std::memcpy(out + off, &h, 2);
                    }
                }
            }
        });
        if (auto r = sink(slab.data(), slab.size()); !r)
            return r;
    }
    return {};
}

}  // namespace tiefsee::mkmodel
