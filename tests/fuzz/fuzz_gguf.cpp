// libFuzzer target for the GGUF reader and everything that consumes its output:
// parse (GgufFile::fromBytes), typed look-ups, describeModel, dequantization of the
// first rows of every tensor, and a metadata round trip through GgufWriter.
// Build/run: see README.md, "Fuzzing".
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "model/model_info.h"
#include "quant/dequant.h"

#include <cstdlib>
#include <vector>

using namespace tiefsee;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto file = gguf::GgufFile::fromBytes({data, size});
    if (!file.ok()) {
        // Every rejection must say where: "malformed GGUF at byte N" or "not a GGUF file".
        if (file.error().message.empty())
            std::abort();
        return 0;
    }
    const gguf::GgufFile& f = **file;

    // Typed look-ups over every key, and every array element.
    double sink = 0;
    for (const auto& [key, value] : f.metadata()) {
        sink += f.getFloat(key).value_or(0) + static_cast<double>(f.getUInt(key).value_or(0));
        sink += static_cast<double>(f.getInt(key).value_or(0)) + f.getString(key).value_or("").size();
        if (value.type == gguf::ValueType::Array && value.data)
            for (uint64_t i = 0; i < value.count && i < 4096; ++i)
                sink += value.floatAt(i) + static_cast<double>(value.intAt(i));
    }

    auto info = model::describeModel(f);
    if (info.ok())
        sink += info->nParams;

    // Dequantize the first rows (at most 64 Ki elements) of each tensor.
    std::vector<float> out;
    for (const auto& t : f.tensors()) {
        if (!quant::canDequantize(t.type))
            continue;
        const uint64_t rowElems = t.ne[0];
        const uint64_t rows = std::min<uint64_t>(t.rows(), std::max<uint64_t>(1, 65536 / rowElems));
        if (rowElems > (1u << 20))
            continue;
        out.resize(static_cast<size_t>(rowElems * rows));
        auto r = quant::dequantize(t.type, t.data, out.data(), out.size());
        if (!r.ok())
            std::abort();  // a tensor the reader accepted must be readable
        sink += out[0];
    }

    // Metadata round trip: re-encode what was read and parse it again.
    gguf::GgufWriter w;
    for (const auto& [key, value] : f.metadata())
        w.setValue(key, value);
    if (w.beginInMemory().ok() && w.finish().ok()) {
        auto again = gguf::GgufFile::fromBytes(w.bytes());
        if (!again.ok() || (*again)->metadata().size() != f.metadata().size())
            std::abort();
    }
    volatile double keep = sink;
    (void)keep;
    return 0;
}
