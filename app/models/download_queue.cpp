#include "models/download_queue.h"

#include <QNetworkAccessManager>

namespace tiefsee::models {

DownloadQueue::DownloadQueue(DownloadOptions options, QNetworkAccessManager* nam, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_nam(nam ? nam : new QNetworkAccessManager(this))
{
}

DownloadQueue::~DownloadQueue()
{
    // Before the owned network manager (a child created earlier) goes away.
    for (Item& it : m_items)
        delete it.task;
    m_items.clear();
}

void DownloadQueue::setMaxConcurrent(int n)
{
    m_maxConcurrent = std::max(1, n);
    schedule();
}

int DownloadQueue::enqueue(const DownloadSpec& spec)
{
    for (const Item& it : m_items)
        if (it.task->spec().destination == spec.destination && !it.task->isFinished())
            return it.id;
    const int id = m_nextId++;
    auto* task = new DownloadTask(m_nam, spec, m_options, this);
    connect(task, &DownloadTask::stateChanged, this, [this, id](DownloadTask::State s) { emit stateChanged(id, s); });
    connect(task, &DownloadTask::progress, this, [this, id](qint64 r, qint64 t, double bps, double eta) {
        emit progress(id, r, t, bps, eta);
    });
    connect(task, &DownloadTask::finished, this, [this, id, task](bool ok) {
        emit finished(id, ok, ok ? QString() : QString::fromStdString(task->error().message));
        schedule();
    });
    m_items.push_back(Item{id, task, true});
    emit added(id);
    schedule();
    return id;
}

DownloadTask* DownloadQueue::task(int id) const
{
    for (const Item& it : m_items)
        if (it.id == id)
            return it.task;
    return nullptr;
}

QVector<int> DownloadQueue::ids() const
{
    QVector<int> out;
    for (const Item& it : m_items)
        out.push_back(it.id);
    return out;
}

void DownloadQueue::pause(int id)
{
    for (Item& it : m_items) {
        if (it.id == id) {
            it.waiting = false;
            it.task->pause();
        }
    }
    schedule();
}

void DownloadQueue::resume(int id)
{
    for (Item& it : m_items) {
        if (it.id == id && !it.task->isActive() && it.task->state() != DownloadTask::State::Completed)
            it.waiting = true;
    }
    schedule();
}

void DownloadQueue::cancel(int id)
{
    for (Item& it : m_items) {
        if (it.id == id) {
            it.waiting = false;
            it.task->cancel();
        }
    }
    schedule();
}

void DownloadQueue::clearFinished()
{
    for (int i = int(m_items.size()) - 1; i >= 0; --i) {
        if (m_items[i].task->isFinished() && !m_items[i].waiting) {
            m_items[i].task->deleteLater();
            m_items.remove(i);
        }
    }
}

void DownloadQueue::schedule()
{
    int running = 0;
    for (const Item& it : m_items)
        if (it.task->isActive())
            ++running;
    for (Item& it : m_items) {
        if (running >= m_maxConcurrent)
            break;
        if (!it.waiting)
            continue;
        it.waiting = false;
        it.task->start();  // may finish synchronously (already installed, no disk space)
        if (it.task->isActive())
            ++running;
    }
}

}  // namespace tiefsee::models
