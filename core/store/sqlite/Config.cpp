#include "store/Config.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "base/BoundedRegex.h"
#include "base/ListenAddress.h"

namespace ed {
namespace {

QString expectType(const QJsonValue &v, QJsonValue::Type t, const char *what)
{
    return v.type() == t ? QString() : QStringLiteral("must be %1").arg(QString::fromLatin1(what));
}

QString stringListOf(const QJsonValue &v)
{
    if (!v.isArray())
        return QStringLiteral("must be a list of strings");
    for (const QJsonValue &x : v.toArray())
        if (!x.isString())
            return QStringLiteral("must be a list of strings");
    return {};
}

QString regexList(const QJsonValue &v)
{
    if (QString e = stringListOf(v); !e.isEmpty())
        return e;
    for (const QJsonValue &x : v.toArray()) {
        const QRegularExpression re(x.toString());
        if (!re.isValid())
            return QStringLiteral("'%1' is not a valid regular expression: %2").arg(x.toString(), re.errorString());
    }
    return {};
}

// Scrubbing patterns: valid, and never matching the empty string (a value
// pattern that does would make every import fail; a key pattern, every key secret).
QString scrubRegexList(const QJsonValue &v)
{
    if (QString e = stringListOf(v); !e.isEmpty())
        return e;
    for (const QJsonValue &x : v.toArray())
        if (QString e = userPatternError(x.toString()); !e.isEmpty())
            return e;
    return {};
}

bool plausibleAddress(const QString &a)
{
    static const QRegularExpression re(QStringLiteral(R"(^[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;"]+$)"));
    return re.match(a).hasMatch();
}

QString peopleList(const QJsonValue &v)
{
    if (!v.isArray())
        return QStringLiteral("must be a list of [name, address] pairs, as in settings.py");
    for (const QJsonValue &x : v.toArray()) {
        const QJsonArray pair = x.toArray();
        if (!x.isArray() || pair.size() != 2 || !pair[0].isString() || !pair[1].isString())
            return QStringLiteral("must be a list of [name, address] pairs, as in settings.py");
        if (pair[0].toString().contains(QLatin1Char('\n')) || pair[0].toString().contains(QLatin1Char('\r')))
            return QStringLiteral("a name may not contain line breaks");
        if (!plausibleAddress(pair[1].toString()))
            return QStringLiteral("'%1' is not an e-mail address").arg(pair[1].toString());
    }
    return {};
}

QString validBool(const QJsonValue &v) { return expectType(v, QJsonValue::Bool, "true or false"); }
QString validString(const QJsonValue &v) { return expectType(v, QJsonValue::String, "a string"); }

QString port(const QJsonValue &v)
{
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 1 || v.toInt() > 65535)
        return QStringLiteral("must be a port number (1-65535)");
    return {};
}

QString mailsPerHour(const QJsonValue &v)
{
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 1 || v.toInt() > 100000)
        return QStringLiteral("must be a number of mails, 1 or more");
    return {};
}

QString timeout(const QJsonValue &v)
{
    if (v.isNull())
        return {};
    if (!v.isDouble() || v.toDouble() <= 0)
        return QStringLiteral("must be a number of seconds, or null for none");
    return {};
}

QString backend(const QJsonValue &v)
{
    if (!v.isString())
        return QStringLiteral("must be a string");
    const QString b = v.toString().section(QLatin1Char('.'), -2, -2); // Django's dotted name
    const QString s = v.toString().contains(QLatin1Char('.')) ? b : v.toString();
    if (s != QLatin1String("smtp") && s != QLatin1String("filebased") && s != QLatin1String("file") &&
        s != QLatin1String("console"))
        return QStringLiteral("must be smtp, file or console (or Django's backend names)");
    return {};
}

QString serverEmail(const QJsonValue &v)
{
    if (!v.isString())
        return QStringLiteral("must be a string");
    QString a = v.toString();
    static const QRegularExpression angle(QStringLiteral(R"(<([^>]*)>\s*$)"));
    if (auto m = angle.match(a); m.hasMatch())
        a = m.captured(1);
    return plausibleAddress(a) ? QString() : QStringLiteral("'%1' is not an e-mail address").arg(v.toString());
}

QString sourceRoots(const QJsonValue &v)
{
    if (QString e = stringListOf(v); !e.isEmpty())
        return e;
    for (const QJsonValue &item : v.toArray()) {
        const QString s = item.toString();
        const qsizetype eq = s.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == s.size() - 1)
            return QStringLiteral("'%1' is not SITE_PATH=LOCAL_PATH").arg(s);
    }
    return {};
}

QString editorTemplate(const QJsonValue &v)
{
    if (!v.isString())
        return QStringLiteral("must be a string");
    const QString s = v.toString();
    if (!s.isEmpty() && !s.contains(QLatin1String("{file}")))
        return QStringLiteral("must contain {file} (and may contain {line})");
    return {};
}

QString listenAddress(const QJsonValue &v)
{
    if (!v.isString())
        return QStringLiteral("must be a string, HOST:PORT");
    ListenAddress address;
    QString why;
    return parseListenAddress(v.toString().trimmed(), address, why) ? QString() : why;
}

QString zoneName(const QJsonValue &v)
{
    return v.isString() && displayZoneByName(v.toString()) ? QString() : QStringLiteral("must be \"local\" or \"utc\"");
}

QJsonArray strings(std::initializer_list<const char *> items)
{
    QJsonArray a;
    for (const char *s : items)
        a.append(QString::fromLatin1(s));
    return a;
}

// ERRORDECK_MAILBOXES: the shape only; imap/MailboxConfig reads each URL
// (the store does not know IMAP) and names what it cannot use.
QString mailboxList(const QJsonValue &v)
{
    if (!v.isArray())
        return QStringLiteral("must be a list of mailboxes");
    QStringList urls;
    for (const QJsonValue &x : v.toArray()) {
        const QJsonObject o = x.toObject();
        const QString url = o.value(QStringLiteral("url")).toString();
        if (!x.isObject() || url.isEmpty())
            return QStringLiteral("must be a list of objects, each with a \"url\"");
        if (!url.startsWith(QLatin1String("imaps://"), Qt::CaseInsensitive) &&
            !url.startsWith(QLatin1String("imap://"), Qt::CaseInsensitive))
            return QStringLiteral("'%1' is not an imaps:// or imap:// URL").arg(url.section(u'@', -1));
        if (urls.contains(url, Qt::CaseInsensitive))
            return QStringLiteral("lists '%1' twice").arg(url);
        urls << url;
        const QString after = o.value(QStringLiteral("after")).toString(QStringLiteral("leave"));
        if (after != QLatin1String("leave") && after != QLatin1String("mark-read") && after != QLatin1String("move"))
            return QStringLiteral("'%1': \"after\" must be leave, mark-read or move").arg(url);
        if (after == QLatin1String("move") && o.value(QStringLiteral("move_to")).toString().trimmed().isEmpty())
            return QStringLiteral("'%1': moving after import needs \"move_to\"").arg(url);
    }
    return {};
}

} // namespace

const std::vector<ConfigEntry> &Config::entries()
{
    // Defaults as in Django's global_settings, except where noted.
    static const std::vector<ConfigEntry> table = {
        {ConfigKey::IgnorableUrls, "IGNORABLE_404_URLS", QJsonArray(),
         "404s whose path matches one of these Python regexes are hidden", regexList},
        {ConfigKey::AppendSlash, "APPEND_SLASH", true,
         "as in settings.py: a referer equal to the URL without its slash makes a 404 ignorable", validBool},
        {ConfigKey::InternalIps, "INTERNAL_IPS", QJsonArray(), "client addresses that make a report 'internal'", stringListOf},
        {ConfigKey::Admins, "ADMINS", QJsonArray(), "who gets server-error reports: [[name, address], ...]", peopleList},
        {ConfigKey::Managers, "MANAGERS", QJsonArray(), "who gets broken-link reports: [[name, address], ...]", peopleList},
        {ConfigKey::ServerEmail, "SERVER_EMAIL", QStringLiteral("root@localhost"), "the From address of reports", serverEmail},
        {ConfigKey::EmailSubjectPrefix, "EMAIL_SUBJECT_PREFIX", QStringLiteral("[Django] "), "put before every subject",
         validString},
        {ConfigKey::EmailBackend, "EMAIL_BACKEND", QStringLiteral("smtp"), "smtp, file or console", backend},
        {ConfigKey::EmailHost, "EMAIL_HOST", QStringLiteral("localhost"), "the SMTP server", validString},
        {ConfigKey::EmailPort, "EMAIL_PORT", 25, "the SMTP port", port},
        {ConfigKey::EmailHostUser, "EMAIL_HOST_USER", QString(), "the SMTP user (the password is kept in the system keychain)",
         validString},
        {ConfigKey::EmailUseTls, "EMAIL_USE_TLS", false, "STARTTLS", validBool},
        {ConfigKey::EmailUseSsl, "EMAIL_USE_SSL", false, "implicit TLS (usually port 465)", validBool},
        {ConfigKey::EmailTimeout, "EMAIL_TIMEOUT", 30,
         "seconds before a dead server counts as failed (Django's default is none; ErrorDeck's 30)", timeout},
        {ConfigKey::EmailFilePath, "EMAIL_FILE_PATH", QString(), "the folder the file backend writes to", validString},
        {ConfigKey::EmailCaFile, "ERRORDECK_EMAIL_CA_FILE", QString(), "a CA certificate file to trust for the SMTP server",
         validString},
        {ConfigKey::EmailIncludeHtml, "ERRORDECK_EMAIL_INCLUDE_HTML", true,
         "attach the HTML report, like AdminEmailHandler(include_html=True)", validBool},
        {ConfigKey::SensitiveKeys, "ERRORDECK_SENSITIVE_KEYS", QJsonArray(),
         "more key patterns (regexes, case-insensitive) whose values are scrubbed", scrubRegexList},
        {ConfigKey::SensitiveValues, "ERRORDECK_SENSITIVE_VALUES", QJsonArray(),
         "more value regexes scrubbed wherever they stand", scrubRegexList},
        {ConfigKey::SafeKeys, "ERRORDECK_SAFE_KEYS", QJsonArray(), "keys never scrubbed by name (exact, case-insensitive)",
         stringListOf},
        {ConfigKey::HideCrawler404s, "ERRORDECK_HIDE_CRAWLER_404S", false, "hide 404s from known crawlers", validBool},
        {ConfigKey::CrawlerAgents, "ERRORDECK_CRAWLER_AGENTS",
         strings(
             {"bot", "crawler", "spider", "slurp", "bingpreview", "facebookexternalhit", "python-requests", "curl/", "wget/"}),
         "user-agent substrings (case-insensitive) that mark a crawler", stringListOf},
        {ConfigKey::Hidden404Prefixes, "ERRORDECK_HIDDEN_404_PREFIXES", QJsonArray(), "hide 404s under these path prefixes",
         stringListOf},
        {ConfigKey::WatchedFolders, "ERRORDECK_WATCHED_FOLDERS", QJsonArray(),
         "folders the desktop app imports from as files arrive", stringListOf},
        {ConfigKey::Mailboxes, "ERRORDECK_MAILBOXES", QJsonArray(),
         "IMAP mailboxes the desktop app polls: [{\"url\": \"imaps://user@host/Folder\", \"after\": \"leave\", ...}]",
         mailboxList},
        {ConfigKey::SourceRoots, "ERRORDECK_SOURCE_ROOTS", QJsonArray(),
         "where the site's code is checked out here: SITE_PATH=LOCAL_PATH, e.g. /srv/shop=/home/me/code/shop", sourceRoots},
        {ConfigKey::Editor, "ERRORDECK_EDITOR", QString(),
         "how to open a frame's file: a command or URL with {file} and {line} (empty: $VISUAL, else the desktop's default)",
         editorTemplate},
        {ConfigKey::TimeZone, "ERRORDECK_TIME_ZONE", QStringLiteral("local"),
         "the zone times are shown and typed in: local (the computer's) or utc; errordeck-cli: --utc / --local", zoneName},
        {ConfigKey::ReceiveEnabled, "ERRORDECK_RECEIVE", false,
         "the desktop app receives events from Sentry SDKs while it runs (errordeck-cli serve does without the app)", validBool},
        {ConfigKey::ReceiveListen, "ERRORDECK_RECEIVE_LISTEN", QStringLiteral("127.0.0.1:8765"),
         "where the app's Sentry endpoint listens, HOST:PORT; anything but loopback lets whoever knows a DSN store reports",
         listenAddress},
        {ConfigKey::AlertMailsPerHour, "ERRORDECK_ALERT_MAILS_PER_HOUR", 10,
         "at most this many alert mails per rule in an hour; the issues past it are listed in one summary mail "
         "(a first import of a long history fires many new-issue alerts at once)",
         mailsPerHour},
    };
    return table;
}

const ConfigEntry &Config::entry(ConfigKey key)
{
    for (const ConfigEntry &e : entries())
        if (e.key == key)
            return e;
    Q_UNREACHABLE();
}

std::optional<ConfigKey> Config::keyByName(const QString &name)
{
    for (const ConfigEntry &e : entries())
        if (name.compare(QLatin1String(e.name), Qt::CaseInsensitive) == 0)
            return e.key;
    return std::nullopt;
}

QString Config::check(ConfigKey key, const QJsonValue &value)
{
    const ConfigEntry &e = entry(key);
    if (!e.validate)
        return {};
    const QString problem = e.validate(value);
    return problem.isEmpty() ? QString() : QStringLiteral("%1 %2").arg(QString::fromLatin1(e.name), problem);
}

Config::Config(Database &db, QObject *parent) : QObject(parent), m_db(db) { reload(); }

void Config::reload()
{
    m_values.clear();
    Statement st = connectionOf(m_db).prepare("SELECT name, value FROM config");
    while (st.step()) {
        const auto key = keyByName(st.qtext(0));
        if (!key)
            continue; // a setting of a newer version: kept in the table, ignored here
        const QByteArray json = "[" + QByteArray(st.text(1).data(), qsizetype(st.text(1).size())) + "]";
        const QJsonArray wrapped = QJsonDocument::fromJson(json).array();
        if (!wrapped.isEmpty())
            m_values.insert(int(*key), wrapped.first());
    }
}

QJsonValue Config::value(ConfigKey key) const
{
    const auto it = m_values.constFind(int(key));
    return it != m_values.constEnd() ? *it : entry(key).defaultValue;
}

DisplayZone Config::asTimeZone(const QJsonValue &value)
{
    return displayZoneByName(value.toString()).value_or(DisplayZone::Local);
}

bool Config::isSet(ConfigKey key) const { return m_values.contains(int(key)); }

Result<void> Config::set(ConfigKey key, const QJsonValue &value)
{
    const ConfigEntry &e = entry(key);
    if (QString problem = check(key, value); !problem.isEmpty())
        return Error{problem};
    // A JSON text for any value, scalars included: wrap in an array, strip the brackets.
    QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    json = json.mid(1, json.size() - 2);
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO config(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    st.bind(1, QString::fromLatin1(e.name)).bind(2, std::string_view(json.constData(), size_t(json.size())));
    if (!st.exec())
        return Error{QStringLiteral("cannot save %1: %2").arg(QString::fromLatin1(e.name), st.error())};
    (void)announceChange(connectionOf(m_db), StoreChange::Settings); // committed: a lost notice only delays the others
    m_values.insert(int(key), value);
    Q_EMIT changed(key);
    return {};
}

Result<void> Config::unset(ConfigKey key)
{
    Statement st = connectionOf(m_db).prepare("DELETE FROM config WHERE name = ?");
    st.bind(1, QString::fromLatin1(entry(key).name));
    if (!st.exec())
        return st.failure();
    (void)announceChange(connectionOf(m_db), StoreChange::Settings);
    m_values.remove(int(key));
    Q_EMIT changed(key);
    return {};
}

QStringList Config::asStringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

QList<QPair<QString, QString>> Config::asPeople(const QJsonValue &value)
{
    QList<QPair<QString, QString>> out;
    for (const QJsonValue &v : value.toArray()) {
        const QJsonArray pair = v.toArray();
        if (pair.size() == 2)
            out.append({pair[0].toString(), pair[1].toString()});
    }
    return out;
}

} // namespace ed
