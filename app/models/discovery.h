// Finds GGUF models other apps already downloaded, so they can be offered without
// copying (listed with ModelOrigin LmStudio / Gpt4All / Ollama):
//   LM Studio  ~/.lmstudio/models/**.gguf, ~/.cache/lm-studio/models/**.gguf
//   GPT4All    ~/.local/share/nomic.ai/GPT4All/*.gguf (Linux),
//              ~/Library/Application Support/nomic.ai/GPT4All (macOS),
//              %LOCALAPPDATA%/nomic.ai/GPT4All (Windows)
//   Ollama     <models>/manifests/<registry>/<ns>/<model>/<tag> (JSON): the layer with
//              mediaType application/vnd.ollama.image.model names the weights blob
//              <models>/blobs/sha256-<hex>, used when it starts with the GGUF magic.
//              <models> = $OLLAMA_MODELS or ~/.ollama/models.
// Thread: any; reads only headers.
#pragma once

#include "models/local_model.h"

#include <QString>
#include <QVector>

namespace tiefsee::models {

struct DiscoveryRoots {
    QString home;          // the user's home folder
    QString ollamaModels;  // Ollama's models folder
    QString localAppData;  // Windows %LOCALAPPDATA% (empty elsewhere)
};

// From $HOME (QDir::homePath), $OLLAMA_MODELS and %LOCALAPPDATA%.
DiscoveryRoots defaultDiscoveryRoots();

// Every GGUF found, supported or not (unsupported ones carry their `problem`).
QVector<LocalModel> discoverModels(const DiscoveryRoots& roots);

}  // namespace tiefsee::models
