#include "store/DatabaseLocation.h"

#include "store/Database.h"
#include "store/postgres/PgConnection.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>
#include <unistd.h>
#include <pwd.h>

namespace ed {

Result<QString> databaseLocationFrom(const QString &value, const QString &source)
{
    // A scheme of two letters or more: "C:" stays a Windows drive.
    static const QRegularExpression schemeRe(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]+):"));
    const QRegularExpressionMatch m = schemeRe.match(value);
    if (!m.hasMatch())
        return value;
    const QString scheme = m.captured(1).toLower();
    const QUrl url(value);
    // What the message may repeat: never the user, password, query or fragment.
    const QString shown = url.isValid() ? url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
                                        : scheme + QStringLiteral(":...");
    if (scheme == QLatin1String("file")) {
        if (!url.isValid() || url.hasQuery() || url.hasFragment() ||
            (!url.host().isEmpty() && url.host() != QLatin1String("localhost")) || url.path().isEmpty())
            return Error{QStringLiteral("%1 %2: a file: URL names a local file (file:PATH or file:///PATH), "
                                        "without a host or ?options")
                             .arg(source, shown)};
        return url.path();
    }
    // A server's database: Database::open connects to it (libpq reads the URL).
    if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres"))
        return value;
    return Error{QStringLiteral("%1 %2: unknown URL scheme '%3:'; give the path of a database file "
                                "or a postgresql:// URL (for a file whose name has a colon, write ./NAME)")
                     .arg(source, shown, scheme)};
}

Result<QString> chooseDatabaseLocation(const QString &dbOption)
{
    if (!dbOption.isEmpty())
        return databaseLocationFrom(dbOption, QStringLiteral("--db"));
    if (const QString env = qEnvironmentVariable("ERRORDECK_DB"); !env.isEmpty())
        return databaseLocationFrom(env, QStringLiteral("ERRORDECK_DB"));
    return Database::defaultPath();
}

QString ServerAccount::key() const { return QStringLiteral("postgresql:%1@%2:%3").arg(user, host).arg(port); }

std::optional<ServerAccount> serverAccountOf(const QString &url)
{
    if (!Database::isServerUrl(url))
        return std::nullopt;
    const QUrl u(url);
    if (!u.isValid())
        return std::nullopt;
    const QUrlQuery query(u);
    // The URL's part, else its ?keyword=, else libpq's environment variable.
    const auto pick = [&](const QString &part, const char *keyword, const char *env) {
        if (!part.isEmpty())
            return part;
        if (const QString q = query.queryItemValue(QLatin1String(keyword), QUrl::FullyDecoded); !q.isEmpty())
            return q;
        return qEnvironmentVariable(env);
    };
    ServerAccount a;
    a.user = pick(u.userName(QUrl::FullyDecoded), "user", "PGUSER");
    if (a.user.isEmpty())
        if (const passwd *pw = ::getpwuid(::geteuid()))
            a.user = QString::fromLocal8Bit(pw->pw_name);
    a.host = pick(u.host(QUrl::FullyDecoded), "host", "PGHOST");
    if (a.host.isEmpty())
        a.host = QStringLiteral("localhost");
    const QString port = pick(u.port() > 0 ? QString::number(u.port()) : QString(), "port", "PGPORT");
    bool ok = false;
    const int p = port.toInt(&ok);
    a.port = ok && p > 0 ? p : 5432;
    return a;
}

QString withoutPassword(const QString &location)
{
    return Database::isServerUrl(location) ? pgUrlWithoutPasswords(location) : location;
}

} // namespace ed
