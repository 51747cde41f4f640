#include "store/SiteStore.h"

#include "store/sqlite/Sqlite.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace ed {

namespace {

Site siteFrom(const Statement &st) { return Site{st.int64(0), st.qtext(1), st.qtext(2), st.int64(3)}; }

constexpr std::string_view kColumns = "SELECT id, name, public_key, created_at FROM sites ";

Result<Site> oneSite(Connection &c, std::string_view where, const QString &name, int64_t number, const QString &missing)
{
    Statement st = c.prepare(std::string(kColumns) + std::string(where));
    if (name.isNull())
        st.bind(1, number);
    else
        st.bind(1, name);
    if (st.step())
        return siteFrom(st);
    if (!st.done())
        return st.failure();
    return makeError(missing, ErrorKind::NotFound);
}

} // namespace

QString SiteStore::newKey()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    QString key;
    for (quint32 w : words)
        key += QStringLiteral("%1").arg(w, 8, 16, QLatin1Char('0'));
    return key;
}

Result<std::vector<Site>> SiteStore::list()
{
    Statement st = connectionOf(m_db).prepare(std::string(kColumns) + "ORDER BY id");
    std::vector<Site> out;
    while (st.step())
        out.push_back(siteFrom(st));
    if (!st.done())
        return st.failure();
    return out;
}

Result<Site> SiteStore::byName(const QString &name)
{
    return oneSite(connectionOf(m_db), "WHERE name = ?", name, 0,
                   QStringLiteral("no site called \"%1\" (errordeck-cli sites list shows them)").arg(name));
}

Result<Site> SiteStore::byNumber(int64_t number)
{
    return oneSite(connectionOf(m_db), "WHERE id = ?", QString(), number, QStringLiteral("no site number %1").arg(number));
}

Result<Site> SiteStore::add(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 200)
        return makeError(QStringLiteral("a site needs a name of 1 to 200 characters"), ErrorKind::InvalidInput);
    Connection &c = connectionOf(m_db);
    if (auto existing = byName(trimmed); existing)
        return makeError(QStringLiteral("a site called \"%1\" exists already (number %2)").arg(trimmed).arg(existing->number),
                         ErrorKind::InvalidInput);
    Statement st = c.prepare("INSERT INTO sites(id, name, public_key, created_at) "
                             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM sites), ?, ?, ?)");
    st.bind(1, trimmed).bind(2, newKey()).bind(3, QDateTime::currentMSecsSinceEpoch());
    if (!st.exec())
        return st.failure();
    return byName(trimmed);
}

Result<Site> SiteStore::rotateKey(const QString &name)
{
    auto site = byName(name);
    if (!site)
        return site;
    Statement st = connectionOf(m_db).prepare("UPDATE sites SET public_key = ? WHERE id = ?");
    st.bind(1, newKey()).bind(2, site->number);
    if (!st.exec())
        return st.failure();
    return byName(name);
}

Result<void> SiteStore::addCount(int64_t site, const QString &kind, const QString &reason, int64_t count)
{
    // The key named and the column qualified: PostgreSQL needs both (one text for both engines).
    Statement st = connectionOf(m_db).prepare("INSERT INTO site_counts(site_id, kind, reason, count) VALUES (?, ?, ?, ?) "
                                              "ON CONFLICT(site_id, kind, reason) DO UPDATE SET"
                                              " count = site_counts.count + excluded.count");
    st.bind(1, site).bind(2, kind).bind(3, reason).bind(4, count);
    if (!st.exec())
        return st.failure();
    return {};
}

Result<std::vector<SiteCount>> SiteStore::counts(int64_t site)
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT kind, reason, count FROM site_counts WHERE site_id = ? ORDER BY kind, reason");
    st.bind(1, site);
    std::vector<SiteCount> out;
    while (st.step())
        out.push_back({st.qtext(0), st.qtext(1), st.int64(2)});
    if (!st.done())
        return st.failure();
    return out;
}

} // namespace ed
