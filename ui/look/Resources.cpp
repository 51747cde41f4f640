#include "look/Resources.h"

#include "look/EnglishPlurals.h"

#include <QCoreApplication>
#include <QtGlobal>

static void initResourcesOnce() { Q_INIT_RESOURCE(resources); }

namespace ed {
void initUiResources()
{
    static const bool done = (initResourcesOnce(), true);
    Q_UNUSED(done);
    if (QCoreApplication::instance())
        installEnglishPlurals(); // "1 report", "3 reports"
}
} // namespace ed
