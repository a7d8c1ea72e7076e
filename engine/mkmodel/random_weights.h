// Seeded random tensor data for generated models, fast enough to write a 1.5B
// model in seconds on a few cores:
//  * xoshiro256+ with Box-Muller normals; every chunk of rows has its own stream
//    derived from (seed, tensor, chunk), so output is identical for any thread count;
//  * tensors up to kDirectLimit elements are drawn element by element and quantized
//    with the reference quantizers (all test-sized models);
//  * larger tensors are assembled from a pool of pre-quantized N(0,1) blocks (2^20
//    values per type), each block picked at random and its fp16 scales multiplied by
//    the tensor's sigma. The values are then N(0, sigma^2)-distributed block by block
//    (blocks repeat across the model, which benchmarks and logit sanity don't mind).
#pragma once

#include "core/result.h"
#include "quant/ggml_type.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace tiefsee::mkmodel {

// xoshiro256+ (Blackman & Vigna): fast 64-bit generator; seeded through splitmix64.
class Rng {
public:
    explicit Rng(uint64_t seed);
    uint64_t next();
    float uniform();   // [0, 1)
    float normal();    // N(0, 1), Box-Muller (caches the second value)

private:
    uint64_t m_s[4];
    float m_spare = 0;
    bool m_hasSpare = false;
};

// Mixes numbers into one 64-bit seed (splitmix64 steps).
uint64_t mixSeed(uint64_t a, uint64_t b, uint64_t c = 0);

// How a tensor's values are drawn: value = offset + sigma * N(0,1), or fixed values.
struct Init {
    float offset = 0.f;
    float sigma = 1.f;
    std::vector<float> fixed;  // if not empty: exactly these values (e.g. rope_freqs)
};

constexpr uint64_t kDirectLimit = uint64_t(1) << 20;

// Produces the bytes of one tensor (type, ne0 x rows) in slabs, calling `sink` with
// consecutive pieces. Uses `threads` worker threads.
class TensorGenerator {
public:
    explicit TensorGenerator(unsigned threads);
    Result<void> generate(GgmlType type, uint64_t ne0, uint64_t rows, const Init& init, uint64_t seed,
                          const std::function<Result<void>(const uint8_t*, size_t)>& sink);

private:
    const std::vector<uint8_t>& pool(GgmlType type);  // pre-quantized N(0,1) blocks
    unsigned m_threads;
    std::mutex m_poolMutex;
    std::map<GgmlType, std::vector<uint8_t>> m_pools;
};

}  // namespace tiefsee::mkmodel
