// DeviceList (see device_list.h).
#include "device_list.h"

#include "vulkan/device_info.h"

#include <QLocale>
#include <QStandardItemModel>
#include <QStringList>

namespace tiefsee::ui {

namespace {
enum Role { IndexRole = Qt::UserRole + 1, NameRole, TypeRole, MemoryRole, CapsRole, UsableRole, ReasonRole };

QString bytesText(quint64 bytes) { return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat); }
}  // namespace

DeviceList::DeviceList(QObject* parent) : QObject(parent)
{
    auto* model = new QStandardItemModel(this);
    model->setItemRoleNames({{IndexRole, "deviceIndex"}, {NameRole, "name"}, {TypeRole, "typeText"},
                             {MemoryRole, "memoryText"}, {CapsRole, "capabilities"}, {UsableRole, "usable"},
                             {ReasonRole, "unusableReason"}});
    m_model = model;
}

DeviceList::~DeviceList()
{
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void DeviceList::start()
{
    // Creating a Vulkan instance loads drivers (can take a second): not on the GUI thread.
    m_thread = QThread::create([this] {
        auto devices = vk::listDevices();
        QMetaObject::invokeMethod(
            this,
            [this, devices = std::move(devices)] {
                if (!devices) {
                    m_error = tr("No Vulkan driver was found (%1). Install the graphics driver's Vulkan support "
                                 "(on Linux: mesa-vulkan-drivers or the vendor driver).")
                                  .arg(QString::fromStdString(devices.error().message));
                    emit errorChanged();
                    emit ready();
                    return;
                }
                auto* model = static_cast<QStandardItemModel*>(m_model);
                for (const vk::DeviceInfo& d : *devices) {
                    QStringList caps;
                    if (d.float16)
                        caps << tr("fp16");
                    if (d.integerDot)
                        caps << tr("int8 dot product");
                    if (d.cooperativeMatrix)
                        caps << tr("cooperative matrix");
                    if (d.subgroupSize)
                        caps << tr("subgroup %1").arg(d.subgroupSize);
                    auto* item = new QStandardItem;
                    item->setData(int(d.index), IndexRole);
                    item->setData(QString::fromStdString(d.name), NameRole);
                    item->setData(QString::fromLatin1(vk::deviceTypeName(d.type)), TypeRole);
                    item->setData(tr("%1 memory, %2 usable").arg(bytesText(d.vramSize), bytesText(d.vramBudget)),
                                  MemoryRole);
                    item->setData(caps.join(QStringLiteral(" · ")), CapsRole);
                    item->setData(d.usable, UsableRole);
                    item->setData(QString::fromStdString(d.unusableReason), ReasonRole);
                    model->appendRow(item);
                    const int rank = d.type == vk::DeviceType::Discrete     ? 3
                                     : d.type == vk::DeviceType::Integrated ? 2
                                     : d.type == vk::DeviceType::Cpu        ? 0
                                                                            : 1;
                    m_devices.append({int(d.index), QString::fromStdString(d.name), qint64(d.vramBudget), rank, d.usable});
                }
                if (devices->empty()) {
                    m_error = tr("No Vulkan device was found. Install or update the graphics driver.");
                    emit errorChanged();
                }
                emit ready();
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
}

int DeviceList::automaticIndex() const
{
    int best = -1, bestRank = -1;
    for (const Device& d : m_devices)
        if (d.usable && d.rank > bestRank) {
            best = d.index;
            bestRank = d.rank;
        }
    return best;
}

QString DeviceList::deviceName(int index) const
{
    const int i = index < 0 ? automaticIndex() : index;
    for (const Device& d : m_devices)
        if (d.index == i)
            return d.name;
    return {};
}

qint64 DeviceList::deviceBudget(int index) const
{
    const int i = index < 0 ? automaticIndex() : index;
    for (const Device& d : m_devices)
        if (d.index == i)
            return d.budget;
    return 0;
}

}  // namespace tiefsee::ui
