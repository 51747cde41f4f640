// errordeck-cli: import, list, show, send, rules — headless, for scripts and servers.
#include "CliContext.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ErrorDeck"));
    QCoreApplication::setApplicationName(QStringLiteral("errordeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ERRORDECK_VERSION));
    // A PostgreSQL server's password, when libpq finds none: the keychain's.
    ed::cli::answerServerPasswordsFromKeychain();
    return ed::cli::run(QCoreApplication::arguments());
}
