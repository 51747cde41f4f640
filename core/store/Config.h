#pragma once
// Per-database settings, typed, with their defaults in one table (entries()).
// Names are Django's where Django has the setting, so users can copy values
// from settings.py; ErrorDeck's own settings start with ERRORDECK_.
// The desktop app and `errordeck-cli config` read and write the same rows.
#include "store/Database.h"
#include "base/Result.h"
#include "base/Timestamp.h"

#include <QJsonValue>
#include <QObject>
#include <QStringList>
#include <optional>
#include <vector>

namespace ed {

enum class ConfigKey {
    // 404-ignore rules (BrokenLinkEmailsMiddleware)
    IgnorableUrls, // IGNORABLE_404_URLS: list of Python regexes
    AppendSlash, // APPEND_SLASH
    InternalIps, // INTERNAL_IPS
    // Who gets mail
    Admins, // ADMINS: [[name, address], ...]
    Managers, // MANAGERS
    // Composing and sending mail
    ServerEmail, // SERVER_EMAIL
    EmailSubjectPrefix, // EMAIL_SUBJECT_PREFIX
    EmailBackend, // EMAIL_BACKEND: smtp, file, console (or Django's dotted names)
    EmailHost, // EMAIL_HOST
    EmailPort, // EMAIL_PORT
    EmailHostUser, // EMAIL_HOST_USER (the password is in the keychain)
    EmailUseTls, // EMAIL_USE_TLS (STARTTLS)
    EmailUseSsl, // EMAIL_USE_SSL (implicit TLS)
    EmailTimeout, // EMAIL_TIMEOUT, seconds
    EmailFilePath, // EMAIL_FILE_PATH, for the file backend
    EmailCaFile, // ERRORDECK_EMAIL_CA_FILE: trust this CA file too
    EmailIncludeHtml, // ERRORDECK_EMAIL_INCLUDE_HTML: attach the HTML report
    // Scrubbing
    SensitiveKeys, // ERRORDECK_SENSITIVE_KEYS: extra key patterns (regexes)
    SensitiveValues, // ERRORDECK_SENSITIVE_VALUES: extra value regexes
    SafeKeys, // ERRORDECK_SAFE_KEYS: keys never scrubbed
    // Beyond Django's 404 rules (off by default)
    HideCrawler404s, // ERRORDECK_HIDE_CRAWLER_404S
    CrawlerAgents, // ERRORDECK_CRAWLER_AGENTS: user-agent substrings
    Hidden404Prefixes, // ERRORDECK_HIDDEN_404_PREFIXES: path prefixes
    // Watched folders (desktop app)
    WatchedFolders, // ERRORDECK_WATCHED_FOLDERS
    Mailboxes, // ERRORDECK_MAILBOXES: IMAP mailboxes polled (imap/MailboxConfig.h)
    // Opening a frame's file (desktop app)
    SourceRoots, // ERRORDECK_SOURCE_ROOTS: "SITE_PATH=LOCAL_PATH" per line
    Editor, // ERRORDECK_EDITOR: command or URL template with {file} and {line}
    // How times read
    TimeZone, // ERRORDECK_TIME_ZONE: "local" or "utc" (base/Timestamp.h DisplayZone)
    // The Sentry endpoint the desktop app runs (errordeck-cli serve's, in the app)
    ReceiveEnabled, // ERRORDECK_RECEIVE
    ReceiveListen, // ERRORDECK_RECEIVE_LISTEN: HOST:PORT (base/ListenAddress.h)
    // Alerts (core/alert)
    AlertMailsPerHour, // ERRORDECK_ALERT_MAILS_PER_HOUR: per rule; past it, one summary mail per step
};

struct ConfigEntry {
    ConfigKey key;
    const char *name;
    QJsonValue defaultValue;
    const char *help;
    // Checks a value beyond its JSON type; empty when fine.
    QString (*validate)(const QJsonValue &) = nullptr;
};

class Config : public QObject {
    Q_OBJECT
public:
    explicit Config(Database &db, QObject *parent = nullptr);

    static const std::vector<ConfigEntry> &entries();
    static const ConfigEntry &entry(ConfigKey key);
    static std::optional<ConfigKey> keyByName(const QString &name);
    // Why set() would refuse `value` for `key` ("ADMINS ..."); empty when fine.
    // Reads no database: the app validates a field on the UI thread with it.
    static QString check(ConfigKey key, const QJsonValue &value);
    // A stored value read as a list of strings, or as (name, address) pairs:
    // for Config and for the app's in-memory copy (ui/jobs/ConfigCache).
    static QStringList asStringList(const QJsonValue &value);
    static QList<QPair<QString, QString>> asPeople(const QJsonValue &value);

    QJsonValue value(ConfigKey key) const; // the stored value, else the default
    bool isSet(ConfigKey key) const;
    Result<void> set(ConfigKey key, const QJsonValue &value);
    Result<void> unset(ConfigKey key);
    // Re-reads from the database (another process may have written).
    void reload();

    QString string(ConfigKey key) const { return value(key).toString(); }
    bool flag(ConfigKey key) const { return value(key).toBool(); }
    int integer(ConfigKey key) const { return value(key).toInt(); }
    QStringList stringList(ConfigKey key) const { return asStringList(value(key)); }
    // ERRORDECK_TIME_ZONE as the zone it names.
    DisplayZone timeZone() const { return asTimeZone(value(ConfigKey::TimeZone)); }
    static DisplayZone asTimeZone(const QJsonValue &value);
    // ADMINS and MANAGERS: (name, address) pairs.
    QList<QPair<QString, QString>> people(ConfigKey key) const { return asPeople(value(key)); }

Q_SIGNALS:
    void changed(ed::ConfigKey key);

private:
    Database &m_db;
    QHash<int, QJsonValue> m_values;
};

} // namespace ed
