// Constants and push-constant layouts shared by the C++ host code and the GLSL weight
// shaders (get_rows, matvec, matmul). Included by both: in C++ the push blocks are
// plain structs in tiefsee::shaders, in GLSL they are the push_constant block `pc`
// (a shader picks its one block with #define USE_<NAME>_PUSH before the include).
// Every field is a 32-bit uint, so std430 and C++ layouts agree without padding.
#ifndef TIEFSEE_SHADERS_CONFIG_H
#define TIEFSEE_SHADERS_CONFIG_H

// Elements per "unit": the piece of a row one invocation dequantizes into registers at
// a time. 32 for every quantized type (a whole Q4_0/Q8_0/... block, or one eighth of a
// K-quant super-block); 1 for F32/F16/BF16.
#define TIEFSEE_QUANT_UNIT 32

// Specialization constant ids of matvec.comp.
#define MATVEC_SPEC_WORKGROUP 0       // invocations per workgroup (local_size_x)
#define MATVEC_SPEC_THREADS_PER_ROW 1 // invocations sharing one row (1 on CPUs; a power of two <= workgroup)
#define MATVEC_SPEC_NCOLS 2           // tokens computed per pass (1 for decode; up to MATVEC_MAX_NCOLS)
#define MATVEC_MAX_NCOLS 8

// matmul.comp tile: a 16x16 workgroup computes MATMUL_BM rows x MATMUL_BN tokens,
// stepping MATMUL_BK elements of K at a time through shared memory.
#define MATMUL_BM 64
#define MATMUL_BN 64
#define MATMUL_BK 32

#ifdef __cplusplus
#include <cstdint>
namespace tiefsee::shaders {
using uint = uint32_t;
#define TIEFSEE_PUSH_BEGIN(name) struct name {
#define TIEFSEE_PUSH_END(name) };
#else
#define TIEFSEE_PUSH_BEGIN(name) layout(push_constant) uniform name {
#define TIEFSEE_PUSH_END(name) } pc;
#endif

// y[n * yStride + rowOffset + r] = sum_k W[r][k] * x[n * xStride + k]
// for r < rows (the rows of the bound weight chunk) and n < ncols.
// Used by matvec.comp (decode, or prefill in NCOLS-token passes) and matmul.comp.
#if defined(__cplusplus) || defined(USE_MATMUL_PUSH)
TIEFSEE_PUSH_BEGIN(MatMulPush)
    uint rows;       // rows in the bound weight chunk
    uint K;          // elements per row (multiple of the type's block size)
    uint ncols;      // tokens (columns of x and y)
    uint rowOffset;  // index in y of the chunk's first row
    uint xStride;    // floats between consecutive tokens in x (usually K)
    uint yStride;    // floats between consecutive tokens in y (usually all rows)
TIEFSEE_PUSH_END(MatMulPush)
#endif

// out[i * K + k] = W[ids[i] - rowOffset][k] for ids[i] in [rowOffset, rowOffset + rows).
#if defined(__cplusplus) || defined(USE_GET_ROWS_PUSH)
TIEFSEE_PUSH_BEGIN(GetRowsPush)
    uint rows;       // rows in the bound weight chunk
    uint K;          // elements per row
    uint nids;       // number of ids (output rows)
    uint rowOffset;  // global index of the chunk's first row
TIEFSEE_PUSH_END(GetRowsPush)
#endif

#ifdef __cplusplus
}  // namespace tiefsee::shaders
#endif
#undef TIEFSEE_PUSH_BEGIN
#undef TIEFSEE_PUSH_END

#endif
