// EngineBridge (see engine_bridge.h).
#include "bridge/engine_bridge.h"

#include <QMetaObject>
#include <QPointer>

namespace tiefsee::bridge {

namespace {
QString fromUtf8(const std::string& s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
}  // namespace

EngineBridge::EngineBridge(chat::BackendLoader loader, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<LoadedModel>();
    qRegisterMetaType<FinishedGeneration>();
    m_engine = std::make_unique<chat::ChatEngine>(makeCallbacks(), std::move(loader));
}

// The engine is destroyed first (member order): it joins the worker, so no callback
// touches this object afterwards. Posted lambdas die with `this` as their context.
EngineBridge::~EngineBridge() { m_engine.reset(); }

chat::EngineCallbacks EngineBridge::makeCallbacks()
{
    // Every callback runs on the worker thread; each posts a functor to the GUI thread
    // (invokeMethod with `this` as context queues it in this object's thread).
    chat::EngineCallbacks cb;
    cb.loadProgress = [this](uint64_t id, double f) {
        QMetaObject::invokeMethod(this, [this, id, f] { emit loadProgress(id, f); }, Qt::QueuedConnection);
    };
    cb.loaded = [this](uint64_t id, const chat::LoadedModelInfo& info) {
        LoadedModel m{fromUtf8(info.path), fromUtf8(info.name), fromUtf8(info.architecture), int(info.contextSize),
                      fromUtf8(info.templateNotice)};
        QMetaObject::invokeMethod(this, [this, id, m] { emit loaded(id, m); }, Qt::QueuedConnection);
    };
    cb.loadFailed = [this](uint64_t id, const Error& e) {
        const int kind = int(e.kind);
        const QString msg = fromUtf8(e.message);
        QMetaObject::invokeMethod(this, [this, id, kind, msg] { emit loadFailed(id, kind, msg); },
                                  Qt::QueuedConnection);
    };
    cb.prefillProgress = [this](uint64_t id, size_t done, size_t total) {
        QMetaObject::invokeMethod(this, [this, id, done, total] { emit prefillProgress(id, qint64(done), qint64(total)); },
                                  Qt::QueuedConnection);
    };
    cb.token = [this](uint64_t id, const chat::TokenDelta& d) {
        bool post = false;
        {
            std::lock_guard lock(m_mutex);
            if (m_pendingId != id) {  // a new request: drop what an older one left
                m_pending = {};
                m_pendingId = id;
            }
            if (d.answerReset) {
                m_pending.answer.clear();
                m_pending.answerReset = true;
            }
            m_pending.reasoning += fromUtf8(d.reasoning);
            m_pending.answer += fromUtf8(d.answer);
            ++m_pending.tokens;
            if (!m_notifyPosted) {
                m_notifyPosted = true;
                post = true;
            }
        }
        if (post)
            QMetaObject::invokeMethod(this, [this, id] { emit tokensAvailable(id); }, Qt::QueuedConnection);
    };
    cb.contextDropped = [this](uint64_t id, const chat::ContextDrop& drop) {
        const int first = int(drop.firstIndex), count = int(drop.count);
        QMetaObject::invokeMethod(this, [this, id, first, count] { emit contextDropped(id, first, count); },
                                  Qt::QueuedConnection);
    };
    cb.finished = [this](uint64_t id, const chat::GenerationResult& r) {
        FinishedGeneration f;
        f.content = fromUtf8(r.content);
        f.reasoning = fromUtf8(r.reasoning);
        f.answer = fromUtf8(r.answer);
        f.thinkingMs = r.thinkingTime.count();
        f.stopReason = r.stopReason;
        if (r.error) {
            f.error = fromUtf8(r.error->message);
            f.errorKind = r.error->kind;
        }
        f.promptTokens = int(r.stats.promptTokens);
        f.generatedTokens = int(r.stats.generatedTokens);
        f.tokensPerSecond = r.stats.decodeTokensPerSecond();
        f.droppedMessages = int(r.dropped.count);
        QMetaObject::invokeMethod(this, [this, id, f] { emit finished(id, f); }, Qt::QueuedConnection);
    };
    return cb;
}

quint64 EngineBridge::loadModel(const QString& path, int contextLength, int deviceIndex)
{
    chat::ModelLoadOptions options;
    options.contextLength = uint32_t(std::max(0, contextLength));
    options.deviceIndex = deviceIndex;
    return m_engine->loadModel(path.toStdString(), options);
}

quint64 EngineBridge::generate(chat::Conversation conversation, chat::GenerationParams params)
{
    return m_engine->generate(std::move(conversation), std::move(params));
}

void EngineBridge::cancel() { m_engine->cancel(); }

bool EngineBridge::busy() const { return m_engine->busy(); }

PendingText EngineBridge::takePending(quint64 id)
{
    std::lock_guard lock(m_mutex);
    m_notifyPosted = false;
    if (m_pendingId != id)
        return {};
    PendingText out = std::move(m_pending);
    m_pending = {};
    return out;
}

}  // namespace tiefsee::bridge
