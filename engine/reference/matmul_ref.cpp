#include "reference/matmul_ref.h"

#include "quant/dequant.h"
#include "quant/quantize.h"

#include <cassert>
#include <vector>

namespace tiefsee::ref {

Result<void> matmulQuant(GgmlType type, const void* w, uint32_t rows, uint32_t cols, const float* x, uint32_t ntokens, float* y)
{
    const uint8_t* src = static_cast<const uint8_t*>(w);
    const uint64_t rb = quant::quantizedSize(type, cols);
    std::vector<float> row(cols);
    for (uint32_t r = 0; r < rows; ++r) {
        if (auto e = quant::dequantize(type, src + r * rb, row.data(), cols); !e)
            return e;
        for (uint32_t n = 0; n < ntokens; ++n) {
            const float* xn = x + uint64_t(n) * cols;
            double s = 0;
            for (uint32_t k = 0; k < cols; ++k)
                s += double(row[k]) * double(xn[k]);
            y[uint64_t(n) * rows + r] = float(s);
        }
    }
    return {};
}

Result<void> getRowsQuant(GgmlType type, const void* w, uint32_t rows, uint32_t cols, const uint32_t* ids, uint32_t nids, float* out)
{
    const uint8_t* src = static_cast<const uint8_t*>(w);
    const uint64_t rb = quant::quantizedSize(type, cols);
    for (uint32_t i = 0; i < nids; ++i) {
        assert(ids[i] < rows);
        if (auto e = quant::dequantize(type, src + ids[i] * rb, out + uint64_t(i) * cols, cols); !e)
            return e;
    }
    return {};
}

}  // namespace tiefsee::ref
