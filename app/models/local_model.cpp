#include "models/local_model.h"

#include "gguf/gguf_file.h"
#include "model/model_info.h"
#include "quant/ggml_type.h"

#include <QFileInfo>
#include <QStringList>

#include <set>

namespace tiefsee::models {

const char* originName(ModelOrigin o)
{
    switch (o) {
    case ModelOrigin::ModelsFolder: return "models folder";
    case ModelOrigin::Reference: return "imported (reference)";
    case ModelOrigin::LmStudio: return "LM Studio";
    case ModelOrigin::Gpt4All: return "GPT4All";
    case ModelOrigin::Ollama: return "Ollama";
    }
    return "unknown";
}

bool isSupportedArch(const QString& arch)
{
    return arch == QLatin1String("qwen2") || arch == QLatin1String("llama") || arch == QLatin1String("qwen3");
}

LocalModel inspectModelFile(const QString& path, ModelOrigin origin, const QString& name)
{
    LocalModel m;
    const QFileInfo info(path);
    m.path = info.absoluteFilePath();
    m.origin = origin;
    m.fileSize = info.size();
    m.name = name.isEmpty() ? info.completeBaseName() : name;
    if (!info.isFile()) {
        m.problem = QStringLiteral("the file does not exist");
        return m;
    }
    auto opened = gguf::GgufFile::open(m.path.toStdString());
    if (!opened) {
        m.problem = QStringLiteral("not a readable GGUF file: ") + QString::fromStdString(opened.error().message);
        return m;
    }
    const gguf::GgufFile& f = **opened;
    const std::string arch(f.getString("general.architecture").value_or(""));
    m.arch = QString::fromStdString(arch);
    if (auto ft = f.getInt("general.file_type"))
        m.quant = QString::fromStdString(model::fileTypeName(int32_t(*ft)));
    m.contextLength = uint32_t(f.getUInt(arch + ".context_length").value_or(0));
    std::set<uint32_t> badTypes;
    for (const gguf::TensorInfo& t : f.tensors()) {
        m.nParams += t.nElements;
        auto traits = ggmlTypeTraits(t.type);
        if (!traits || !traits->dequantizable)
            badTypes.insert(uint32_t(t.type));
    }

    if (auto splits = f.getUInt("split.count"); splits && *splits > 1) {
        m.problem = QStringLiteral("split GGUF (one of %1 parts) is not supported; merge it with llama-gguf-split first")
                        .arg(*splits);
        return m;
    }
    if (arch.empty()) {
        m.problem = QStringLiteral("the file does not name its architecture");
        return m;
    }
    if (!isSupportedArch(m.arch)) {
        m.problem = QStringLiteral("architecture '%1' is not supported (Tiefsee runs qwen2, llama and qwen3)").arg(m.arch);
        return m;
    }
    if (f.tensors().empty()) {
        m.problem = QStringLiteral("the file has no weights (vocabulary only)");
        return m;
    }
    if (!badTypes.empty()) {
        QStringList names;
        for (uint32_t t : badTypes)
            names << QString::fromStdString(ggmlTypeName(t));
        m.problem = QStringLiteral("tensor type %1 is not supported").arg(names.join(QStringLiteral(", ")));
        return m;
    }
    // The engine's own gate: consistent hyper-parameters and every tensor present.
    auto described = model::describeModel(f);
    if (!described) {
        m.problem = QString::fromStdString(described.error().message);
        return m;
    }
    const model::ModelInfo& mi = described.value();
    if (m.quant.isEmpty())
        m.quant = QString::fromStdString(mi.fileTypeName);
    m.contextLength = mi.contextLength;
    m.shape = ModelShape{mi.nLayer, mi.nEmbd, mi.nHead, mi.nHeadKv, mi.headDim, mi.nFf, mi.nVocab};
    m.supported = true;
    return m;
}

}  // namespace tiefsee::models
