// DeviceList: the Vulkan devices for the Hardware settings page (App.devices).
// Enumerated once, off the GUI thread (creating a Vulkan instance can take a while).
#pragma once

#include <QAbstractListModel>
#include <QObject>
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
    QAbstractItemModel* model() const { return m_model; }
    QString error() const { return m_error; }

signals:
    void modelChanged();
    void errorChanged();

private:
    QAbstractItemModel* m_model = nullptr;
    QString m_error;
};

}  // namespace tiefsee::ui
