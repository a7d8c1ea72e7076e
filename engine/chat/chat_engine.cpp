// The worker thread and request queue of ChatEngine; see chat_engine.h.
#include "chat/chat_engine.h"

namespace tiefsee::chat {

ChatEngine::ChatEngine(EngineCallbacks callbacks, BackendLoader loader)
    : m_callbacks(std::move(callbacks)), m_loader(std::move(loader))
{
    assert(m_loader && "ChatEngine needs a loader (loadModelBackend for real models)");
    m_worker = std::thread([this] { run(); });
}

ChatEngine::~ChatEngine()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (m_runningCancel) *m_runningCancel = true;
        m_queue.clear();  // dropped without callbacks: the owner is going away
    }
    m_wake.notify_all();
    m_worker.join();
    // The session refers to the backend: destroy it first.
    m_session.reset();
    m_backend.reset();
}

uint64_t ChatEngine::enqueue(Request request)
{
    uint64_t id;
    {
        std::lock_guard lock(m_mutex);
        id = request.id = m_nextId++;
        if (request.kind == Kind::Load || request.kind == Kind::Unload) {
            // A new model supersedes the running work and everything queued for the old one.
            if (m_runningCancel) *m_runningCancel = true;
            for (Request& r : m_queue) *r.cancel = true;
        }
        m_queue.push_back(std::move(request));
    }
    m_wake.notify_all();
    return id;
}

uint64_t ChatEngine::loadModel(std::string path, ModelLoadOptions options)
{
    Request r;
    r.kind = Kind::Load;
    r.path = std::move(path);
    r.loadOptions = std::move(options);
    return enqueue(std::move(r));
}

uint64_t ChatEngine::unloadModel()
{
    Request r;
    r.kind = Kind::Unload;
    return enqueue(std::move(r));
}

uint64_t ChatEngine::generate(Conversation conversation, GenerationParams params)
{
    Request r;
    r.kind = Kind::Generate;
    r.conversation = std::move(conversation);
    r.params = std::move(params);
    return enqueue(std::move(r));
}

void ChatEngine::cancel()
{
    std::lock_guard lock(m_mutex);
    if (m_runningCancel) *m_runningCancel = true;
    for (Request& r : m_queue) *r.cancel = true;
}

bool ChatEngine::busy() const
{
    std::lock_guard lock(m_mutex);
    return m_running || !m_queue.empty();
}

void ChatEngine::run()
{
    for (;;) {
        Request request;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_stopping) return;
            request = std::move(m_queue.front());
            m_queue.pop_front();
            m_runningCancel = request.cancel;
            m_runningKind = request.kind;
            m_running = true;
        }
        execute(request);
        {
            std::lock_guard lock(m_mutex);
            m_runningCancel.reset();
            m_running = false;
        }
    }
}

void ChatEngine::execute(Request& r)
{
    const uint64_t id = r.id;
    const std::atomic<bool>* cancel = r.cancel.get();
    switch (r.kind) {
    case Kind::Load: {
        // Free the old model (and its device memory) before loading the next one.
        m_session.reset();
        m_backend.reset();
        if (cancel->load()) {
            if (m_callbacks.loadFailed) m_callbacks.loadFailed(id, makeError(ErrorKind::Cancelled, "Loading was cancelled."));
            return;
        }
        auto progress = [&](double f) {
            if (m_callbacks.loadProgress) m_callbacks.loadProgress(id, f);
        };
        Result<LoadedBackend> loaded = m_loader(r.path, r.loadOptions, progress, cancel);
        if (!loaded) {
            if (m_callbacks.loadFailed) m_callbacks.loadFailed(id, loaded.error());
            return;
        }
        if (cancel->load()) {  // finished, but a newer request superseded it
            if (m_callbacks.loadFailed) m_callbacks.loadFailed(id, makeError(ErrorKind::Cancelled, "Loading was cancelled."));
            return;
        }
        m_backend = std::move(loaded->backend);
        m_session = std::make_unique<ChatSession>(*m_backend, std::move(loaded->chatTemplate));
        if (m_callbacks.loaded) m_callbacks.loaded(id, loaded->info);
        return;
    }
    case Kind::Unload:
        m_session.reset();
        m_backend.reset();
        if (m_callbacks.unloaded) m_callbacks.unloaded(id);
        return;
    case Kind::Generate: {
        GenerationResult result;
        if (cancel->load()) {
            result.stopReason = StopReason::Cancelled;
        } else if (!m_session) {
            result.stopReason = StopReason::Error;
            result.error = makeError(ErrorKind::InvalidInput, "No model is loaded.");
        } else {
            SessionCallbacks cb;
            if (m_callbacks.prefillProgress)
                cb.prefillProgress = [&](size_t done, size_t total) { m_callbacks.prefillProgress(id, done, total); };
            if (m_callbacks.token) cb.token = [&](const TokenDelta& d) { m_callbacks.token(id, d); };
            if (m_callbacks.contextDropped) cb.contextDropped = [&](const ContextDrop& d) { m_callbacks.contextDropped(id, d); };
            result = m_session->generate(r.conversation, r.params, cb, cancel);
        }
        if (m_callbacks.finished) m_callbacks.finished(id, result);
        return;
    }
    }
}

}  // namespace tiefsee::chat
