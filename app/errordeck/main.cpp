// errordeck: the desktop app.
#include "AppLog.h"
#include "Database.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ErrorDeck"));
    QApplication::setApplicationName(QStringLiteral("errordeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("ErrorDeck"));
    QApplication::setApplicationVersion(QStringLiteral(ERRORDECK_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Browse a Django site's error reports."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("The database file."), QStringLiteral("path")});
    p.addOption({QStringLiteral("verbose"), QStringLiteral("More detail in the log.")});
    p.process(app);
    ed::applog::init(QStringLiteral("errordeck"), p.isSet(QStringLiteral("verbose")));

    const QString path = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : ed::Database::defaultPath();
    auto db = ed::Database::open(path);
    if (!db) {
        ed::applog::error(db.error());
        QMessageBox::critical(nullptr, QObject::tr("ErrorDeck"), db.error());
        return 1;
    }
    ed::MainWindow w(std::move(*db));
    w.show();
    return app.exec();
}
