// A GGUF file on this machine — in Tiefsee's models folder, imported by reference,
// or found in another app's folder — with what its header says about it. Reading
// the header maps the file and parses metadata only (no weights are touched).
#pragma once

#include "models/fit_estimate.h"

#include <QString>

#include <cstdint>

namespace tiefsee::models {

enum class ModelOrigin {
    ModelsFolder,  // a file inside Tiefsee's models folder (downloaded or copied there)
    Reference,     // imported by reference: the file stays where it is
    LmStudio,      // discovered, not copied
    Gpt4All,
    Ollama,
};
const char* originName(ModelOrigin o);  // "models folder", "LM Studio", ...

struct LocalModel {
    QString path;            // absolute path of the GGUF (for Ollama the blob)
    QString name;            // display name: file name without .gguf, or Ollama "model:tag"
    ModelOrigin origin = ModelOrigin::ModelsFolder;
    qint64 fileSize = 0;     // bytes
    bool supported = false;  // Tiefsee can run it
    QString problem;         // why not, in plain words (empty when supported)
    // From the GGUF metadata (when the header parsed).
    QString arch;            // general.architecture
    QString quant;           // llama.cpp file type name, "Q4_K_M"
    uint64_t nParams = 0;    // sum of tensor elements
    uint32_t contextLength = 0;  // <arch>.context_length
    ModelShape shape;
};

// Architectures the engine runs.
bool isSupportedArch(const QString& arch);

// Reads a GGUF's header into a LocalModel; any problem (not GGUF, truncated, split,
// unsupported arch or tensor type) is reported in `problem`, never thrown.
LocalModel inspectModelFile(const QString& path, ModelOrigin origin, const QString& name = {});

}  // namespace tiefsee::models
