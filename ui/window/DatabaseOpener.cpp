#include "window/DatabaseOpener.h"

#include <QApplication>
#include <QEventLoop>
#include <QProgressDialog>

#include <optional>
#include <thread>

namespace ed {

Result<Database> openDatabaseOffTheUiThread(const QString &path)
{
    std::optional<Result<Database>> opened;
    QEventLoop loop;
    std::thread opener([&] {
        opened.emplace(Database::open(path));
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    QProgressDialog wait(QApplication::translate("DatabaseOpener", "Opening %1…").arg(path), QString(), 0, 0);
    wait.setWindowTitle(QApplication::translate("DatabaseOpener", "ErrorDeck"));
    wait.setMinimumDuration(400); // shown only when it takes a while
    loop.exec();
    opener.join();
    return std::move(*opened);
}

} // namespace ed
