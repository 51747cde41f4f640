#include "store/sqlite/ChangeSources.h"

#include "store/Database.h"
#include "store/postgres/PgConnection.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <QFileInfo>

namespace ed {

const char *storeChangeName(StoreChange kind)
{
    switch (kind) {
    case StoreChange::Reports: return "reports";
    case StoreChange::Issues: return "issues";
    case StoreChange::Settings: return "settings";
    case StoreChange::SendLog: return "sendlog";
    case StoreChange::Alerts: return "alerts";
    }
    return "unknown";
}

std::optional<StoreChange> storeChangeNamed(const QString &name)
{
    for (StoreChange kind : kStoreChanges)
        if (name == QLatin1String(storeChangeName(kind)))
            return kind;
    return std::nullopt;
}

namespace {

// PRAGMA data_version moves when another connection commits; this connection
// only reads, so it never moves it itself.
class SqliteChangeSource final : public ChangeSource {
public:
    explicit SqliteChangeSource(QString path) : m_path(std::move(path)) { }

    Result<void> open() override
    {
        m_conn.close();
        if (!QFileInfo::exists(m_path))
            return Error{QStringLiteral("%1 is not there (any more)").arg(m_path), ErrorKind::NotFound};
        if (auto r = m_conn.open(m_path, /*create=*/false, /*readOnly=*/true); !r)
            return r;
        auto version = m_conn.scalar("PRAGMA data_version");
        auto newest = newestReport();
        if (!version || !newest) {
            const Error e = !version ? version.failure() : newest.failure();
            m_conn.close();
            return Error{QStringLiteral("cannot watch %1 for changes: %2").arg(m_path, e.message), e.kind};
        }
        m_version = *version;
        m_newestReport = *newest;
        return {};
    }

    int socket() const override { return -1; }

    Result<StoreChangeKinds> check() override
    {
        auto version = m_conn.scalar("PRAGMA data_version");
        if (!version)
            return Error{QStringLiteral("cannot watch %1 for changes: %2").arg(m_path, version.error()), version.errorKind()};
        if (*version == m_version)
            return StoreChangeKinds();
        m_version = *version;
        auto newest = newestReport();
        if (!newest)
            return Error{QStringLiteral("cannot watch %1 for changes: %2").arg(m_path, newest.error()), newest.errorKind()};
        // New reports change their issues' counts; anything else could be any table.
        const bool newReports = *newest != m_newestReport;
        m_newestReport = *newest;
        return newReports ? StoreChange::Reports | StoreChange::Issues : allStoreChanges();
    }

private:
    Result<int64_t> newestReport() { return m_conn.scalar("SELECT coalesce(max(id), 0) FROM reports"); }

    QString m_path;
    Connection m_conn;
    int64_t m_version = 0, m_newestReport = 0;
};

// LISTEN on a connection of its own; the writers NOTIFY (announceChange).
class PgChangeSource final : public ChangeSource {
public:
    PgChangeSource(QString url, PasswordProvider password) : m_url(std::move(url)), m_password(std::move(password)) { }

    Result<void> open() override
    {
        m_pg.reset();
        // The feed's owner's provider, else the process's, as Database::open asks.
        auto c = PgConnection::connect(m_url, m_password ? m_password : Database::serverPasswordProvider());
        if (!c)
            return c.failure();
        if (auto r = (*c)->exec(sqldialect::listenForChanges()); !r)
            return r;
        m_pg = std::move(*c);
        return {};
    }

    int socket() const override { return m_pg ? m_pg->socket() : -1; }

    Result<StoreChangeKinds> check() override
    {
        if (!m_pg)
            return Error{QStringLiteral("not connected"), ErrorKind::Io};
        const PgConnection::Notifications n = m_pg->takeNotifications(sqldialect::changeChannel());
        if (n.lost) {
            m_pg.reset();
            return Error{*n.lost, ErrorKind::Io};
        }
        StoreChangeKinds kinds;
        for (const std::string &payload : n.payloads) {
            const auto kind = storeChangeNamed(QString::fromStdString(payload));
            kinds |= kind ? StoreChangeKinds(*kind) : allStoreChanges(); // a newer writer's word
        }
        return kinds;
    }

private:
    QString m_url;
    PasswordProvider m_password;
    std::unique_ptr<PgConnection> m_pg;
};

} // namespace

std::unique_ptr<ChangeSource> makeChangeSource(const QString &location,
                                               std::function<std::optional<QString>(const QString &)> password)
{
    if (Database::isServerUrl(location))
        return std::make_unique<PgChangeSource>(location, std::move(password));
    return std::make_unique<SqliteChangeSource>(location);
}

} // namespace ed
