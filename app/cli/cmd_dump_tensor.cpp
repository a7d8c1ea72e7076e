// tiefsee-cli dump-tensor MODEL.gguf TENSOR_NAME --out FILE: writes one tensor
// dequantized to little-endian float32, in GGUF storage order (ne[0] fastest).
#include "arg_parser.h"
#include "cli_command.h"
#include "gguf/gguf_file.h"
#include "quant/dequant.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

namespace tiefsee::cli {
namespace {

constexpr std::string_view kName = "dump-tensor";

int runDumpTensor(const Args& args)
{
    ArgParser p(args);
    const auto out = p.value("--out", "-o");
    if (auto err = p.finish(2, 2))
        return fail(kName, *err, kExitUsage);
    if (!out)
        return fail(kName, "--out FILE is required", kExitUsage);
    auto file = gguf::GgufFile::open(p.positional()[0]);
    if (!file)
        return fail(kName, file.error().message);
    const std::string& name = p.positional()[1];
    const gguf::TensorInfo* t = (*file)->tensor(name);
    if (!t)
        return fail(kName, "no tensor named '" + name + "' in " + (*file)->path());

    std::FILE* f = std::fopen(out->c_str(), "wb");
    if (!f)
        return fail(kName, "cannot create " + *out + ": " + std::strerror(errno));
    // Row by row, so a large tensor never needs its full float32 copy in memory.
    // (x86-64 and arm64 are little-endian: the floats are written as they are.)
    std::vector<float> row(static_cast<size_t>(t->ne[0]));
    const uint64_t rowBytes = t->rowBytes();
    bool ok = true;
    for (uint64_t r = 0; r < t->rows() && ok; ++r) {
        auto d = quant::dequantize(t->type, t->data + r * rowBytes, row.data(), row.size());
        if (!d) {
            std::fclose(f);
            std::remove(out->c_str());
            return fail(kName, name + ": " + d.error().message);
        }
        ok = std::fwrite(row.data(), sizeof(float), row.size(), f) == row.size();
    }
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
        std::remove(out->c_str());
        return fail(kName, "cannot write " + *out + ": " + std::strerror(errno));
    }
    std::cerr << "wrote " << t->nElements << " floats (" << name << ", " << ggmlTypeName(t->type) << " "
              << t->shapeString() << ") to " << *out << "\n";
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName, "dump-tensor MODEL.gguf TENSOR_NAME --out FILE",
                    "writes one tensor dequantized to little-endian float32 (GGUF order)", &runDumpTensor);

}  // namespace tiefsee::cli
