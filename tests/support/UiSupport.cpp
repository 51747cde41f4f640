#include "UiSupport.h"

#include "models/PagedModel.h"
#include "views/Resources.h"

#include <QCoreApplication>
#include <QStandardPaths>
#include <QTest>

namespace edtest {

void isolate()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ErrorDeckTests"));
    QCoreApplication::setApplicationName(QStringLiteral("errordeck-ui-tests"));
    ed::initUiResources();
}

bool firstRowsLoaded(const ed::PagedModel *m)
{
    return m->isCountKnown() && (m->rowCount() == 0 || m->isRowLoaded(0));
}

bool waitUntilLoaded(const ed::PagedModel *m, int minRows, int timeoutMs)
{
    return QTest::qWaitFor([m, minRows] { return firstRowsLoaded(m) && m->rowCount() >= minRows; }, timeoutMs);
}

} // namespace edtest
