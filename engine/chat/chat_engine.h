// ChatEngine: the thread-safe face of the engine for the app. It owns one worker
// thread that runs every model operation in call order; the public calls only queue
// work and return at once.
//
//   ChatEngine engine(callbacks, &loadModelBackend);    // model_backend.h; tests pass a fake
//   uint64_t load = engine.loadModel(path, options);
//   uint64_t gen  = engine.generate(conversation, params);   // runs after the load
//   engine.cancel();                                        // stops it within one token
//
// Every call returns a request id; every callback carries the id of the request it
// belongs to, so a UI can drop events of requests it no longer cares about.
// Guarantees:
//  - each generate() gets exactly one `finished` (also when cancelled, superseded by a
//    load, or failed; then GenerationResult::stopReason/error say why);
//  - each loadModel() gets exactly one of `loaded` / `loadFailed`;
//  - loadModel() cancels the running generation, the generations queued before it and
//    any earlier load, then frees the old model before loading the new one;
//  - cancel() stops the running work within one token (or prefill batch) and cancels
//    what is queued; the next calls run normally.
//
// Threads: ALL callbacks run on the worker thread, one at a time, in order. Keep them
// short and copy what they need (the arguments are plain values, easy to forward as
// queued Qt signals). Calling the engine's methods from a callback is allowed. The
// destructor cancels everything and joins the worker; callbacks of the running request
// may still run during it, so destroy the engine before what the callbacks point to.
#pragma once

#include "chat/chat_message.h"
#include "chat/chat_session.h"
#include "chat/chat_template.h"
#include "chat/inference_backend.h"
#include "core/result.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tiefsee::chat {

struct ModelLoadOptions {
    uint32_t contextLength = 4096;  // KV-cache capacity in tokens; 0 = the model's trained context
    int deviceIndex = -1;           // Vulkan device index; -1 = automatic
    std::string deviceName;         // else the first device whose name contains this
};

// What the UI shows about a loaded model.
struct LoadedModelInfo {
    std::string path;
    std::string name;               // general.name or the file name
    std::string architecture;       // "qwen2", "llama", "qwen3"
    size_t contextSize = 0;         // tokens
    std::string templateFormat;     // ChatTemplate::formatName()
    std::string templateNotice;     // non-empty: show it (format not recognised exactly)
    bool templateFallback = false;
};

// A loaded model as the engine needs it.
struct LoadedBackend {
    std::unique_ptr<InferenceBackend> backend;
    ChatTemplate chatTemplate;
    LoadedModelInfo info;
};

// Loads `path` on the worker thread; `progress` gets 0..1; `cancel` may be set meanwhile.
using BackendLoader = std::function<Result<LoadedBackend>(const std::string& path, const ModelLoadOptions& options,
                                                          const std::function<void(double)>& progress,
                                                          const std::atomic<bool>* cancel)>;

struct EngineCallbacks {
    std::function<void(uint64_t id, double fraction)> loadProgress;           // 0..1
    std::function<void(uint64_t id, const LoadedModelInfo& info)> loaded;
    std::function<void(uint64_t id, const Error& error)> loadFailed;         // kind Cancelled if cancelled
    std::function<void(uint64_t id)> unloaded;
    std::function<void(uint64_t id, size_t done, size_t total)> prefillProgress;  // prompt tokens
    std::function<void(uint64_t id, const TokenDelta& delta)> token;
    std::function<void(uint64_t id, const ContextDrop& dropped)> contextDropped;
    std::function<void(uint64_t id, const GenerationResult& result)> finished;
};

class ChatEngine {
public:
    ChatEngine(EngineCallbacks callbacks, BackendLoader loader);
    ~ChatEngine();
    ChatEngine(const ChatEngine&) = delete;
    ChatEngine& operator=(const ChatEngine&) = delete;

    uint64_t loadModel(std::string path, ModelLoadOptions options = {});
    uint64_t unloadModel();
    // `conversation` ends with the user message to answer (see ChatSession::generate).
    uint64_t generate(Conversation conversation, GenerationParams params = {});
    // Cancels the running request and everything queued.
    void cancel();
    // True while a request runs or waits.
    bool busy() const;

private:
    enum class Kind { Load, Unload, Generate };
    struct Request {
        Kind kind = Kind::Generate;
        uint64_t id = 0;
        std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
        std::string path;
        ModelLoadOptions loadOptions;
        Conversation conversation;
        GenerationParams params;
    };

    uint64_t enqueue(Request request);
    void run();  // the worker thread
    void execute(Request& request);

    EngineCallbacks m_callbacks;
    BackendLoader m_loader;

    mutable std::mutex m_mutex;  // guards everything below up to m_worker
    std::condition_variable m_wake;
    std::deque<Request> m_queue;
    std::shared_ptr<std::atomic<bool>> m_runningCancel;  // cancel flag of the running request
    Kind m_runningKind = Kind::Unload;
    bool m_running = false;
    bool m_stopping = false;
    uint64_t m_nextId = 1;

    // Worker-thread state (touched only by the worker).
    std::unique_ptr<InferenceBackend> m_backend;
    std::unique_ptr<ChatSession> m_session;

    std::thread m_worker;  // last: starts after everything above is constructed
};

}  // namespace tiefsee::chat
