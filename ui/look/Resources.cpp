#include "look/Resources.h"

#include <QtGlobal>

static void initResourcesOnce() { Q_INIT_RESOURCE(resources); }

namespace ed {
void initUiResources()
{
    static const bool done = (initResourcesOnce(), true);
    Q_UNUSED(done);
}
} // namespace ed
