// Anchor for the Tiefsee.Ui module's C++ side; the QML_ELEMENT types live beside it.
#include <QtQml/qqml.h>
