// DeviceList: the Vulkan devices for the Hardware settings page (App.devices).
// Enumerated once, off the GUI thread (creating a Vulkan instance can take a while).
#pragma once

#include <QAbstractListModel>
#include <QObject>
#include <QThread>
#include <QtQml/qqmlregistration.h>

namespace tiefsee::ui {

class DeviceList : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("App.devices is the one instance")
    // Roles: deviceIndex, name, typeText, memoryText, capabilities, usable, unusableReason.
    Q_PROPERTY(QAbstractItemModel* model READ model NOTIFY modelChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit DeviceList(QObject* parent = nullptr);
    ~DeviceList() override;
    // Enumerates the devices on a worker thread; `ready` follows on this thread.
    void start();
    // Name and memory budget (bytes) of device `index`, or of the automatic pick for -1.
    QString deviceName(int index) const;
    qint64 deviceBudget(int index) const;
    QAbstractItemModel* model() const { return m_model; }
    QString error() const { return m_error; }

signals:
    void ready();
    void modelChanged();
    void errorChanged();

private:
    int automaticIndex() const;
    QThread* m_thread = nullptr;
    struct Device {
        int index = 0;
        QString name;
        qint64 budget = 0;
        int rank = 0;  // discrete 3, integrated 2, other 1, CPU 0
        bool usable = false;
    };
    QList<Device> m_devices;
    QAbstractItemModel* m_model = nullptr;
    QString m_error;
};

}  // namespace tiefsee::ui
