// DeviceList (see device_list.h).
#include "device_list.h"

namespace tiefsee::ui {

DeviceList::DeviceList(QObject* parent) : QObject(parent)
{
    m_error = tr("The Vulkan device list is not connected in this build yet.");
}

}  // namespace tiefsee::ui
