#pragma once
// Where the database is: a --db value, the ERRORDECK_DB variable, or the
// default file. One reading for the CLI and the app, so that a URL is never
// taken for a file path (a postgresql://user:pw@host/db once created folders
// named after it, password included).
#include "base/Result.h"

#include <QString>
#include <optional>

namespace ed {

// A --db or ERRORDECK_DB value (source names which, for the message): a file
// path, file:PATH / file:///PATH (the path), or a postgresql:// or postgres://
// URL (returned as it is, for Database::open). Any other URL is refused, never
// taken for a path. The message never repeats a password or query from the URL.
Result<QString> databaseLocationFrom(const QString &value, const QString &source);

// The database to open (a file or a server URL): `dbOption` (--db) when given, else ERRORDECK_DB,
// else Database::defaultPath(); each value read by databaseLocationFrom().
Result<QString> chooseDatabaseLocation(const QString &dbOption);

// Whose password a PostgreSQL URL needs: its user, host and port, with
// libpq's defaults where the URL names none (PGUSER or the login name,
// PGHOST or localhost, PGPORT or 5432). The keychain keeps a server's password
// under "postgresql:USER@HOST:PORT". nullopt for anything but such a URL.
struct ServerAccount {
    QString user, host;
    int port = 5432;
    QString key() const; // postgresql:USER@HOST:PORT
};
std::optional<ServerAccount> serverAccountOf(const QString &url);

// The URL without any password in it (user:secret@ becomes user@, password=
// and sslpassword= go): what a list of recent databases may keep. Anything
// else is returned as it is.
QString withoutPassword(const QString &location);

} // namespace ed
