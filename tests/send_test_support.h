#pragma once
// Shared by tst_compose and tst_smtp: a real database with the corpus imported,
// the corpus's Django settings, and tests/smtp_server.py (aiosmtpd and Python's
// email package) for everything that must be checked by an independent parser.
#include "Config.h"
#include "Database.h"
#include "Filter.h"
#include "ReportStore.h"
#include "import/Importer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace edtest {

inline const QString kPython = QStringLiteral("/usr/bin/python3"); // the one with aiosmtpd
inline QString smtpServerScript() { return QStringLiteral(ERRORDECK_TESTS_DIR "/smtp_server.py"); }
inline QString corpusDir() { return QStringLiteral(ERRORDECK_CORPUS); }

// Imports records.jsonl into a new database at `path` with the given filters.
inline std::unique_ptr<ed::Database> importCorpus(const QString &path, const ed::Scrubber &scrubber)
{
    auto db = ed::Database::open(path);
    if (!db) {
        qWarning() << db.error();
        return nullptr;
    }
    auto owned = std::make_unique<ed::Database>(std::move(*db));
    ed::NullRecordFilter filter;
    ed::Importer importer(*owned, scrubber, filter);
    const ed::ImportSummary s = importer.run({corpusDir() + QStringLiteral("/records.jsonl")});
    if (!s.fatal.isEmpty() || s.stored != 98) {
        qWarning() << "import:" << s.fatal << s.stored;
        return nullptr;
    }
    return owned;
}

// EMAIL_SUBJECT_PREFIX, INTERNAL_IPS, SERVER_EMAIL, ADMINS, MANAGERS as the corpus site had them.
inline bool applyCorpusSettings(ed::Database &db)
{
    ed::Config c(db);
    const auto people = [](std::initializer_list<std::pair<const char *, const char *>> list) {
        QJsonArray a;
        for (const auto &[n, addr] : list)
            a.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(addr)});
        return a;
    };
    return c.set(ed::ConfigKey::EmailSubjectPrefix, QStringLiteral("[Shop] ")).ok()
        && c.set(ed::ConfigKey::InternalIps, QJsonArray{QStringLiteral("10.0.0.5")}).ok()
        && c.set(ed::ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok()
        && c.set(ed::ConfigKey::Admins, people({{"Ops Team", "ops@example.com"}, {"Ana Lima", "ana@example.com"}})).ok()
        && c.set(ed::ConfigKey::Managers, people({{"Site Manager", "manager@example.com"}})).ok();
}

// Runs smtp_server.py with `args` and returns its JSON output.
inline QJsonDocument runScript(const QStringList &args)
{
    QProcess p;
    p.start(kPython, QStringList{smtpServerScript()} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "smtp_server.py" << args << "failed:" << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput());
}

// A message as Python's email package reads it.
inline QJsonObject parseMessage(const QString &emlPath) { return runScript({QStringLiteral("parse"), emlPath}).object(); }
inline QJsonObject parseMessageBytes(const QByteArray &bytes, const QString &scratchDir)
{
    const QString path = scratchDir + QStringLiteral("/parse-me.eml");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    f.close();
    return parseMessage(path);
}

// The text of the first part of the given content type.
inline QString partText(const QJsonObject &parsed, const QString &type)
{
    for (const QJsonValue &p : parsed.value(QStringLiteral("parts")).toArray())
        if (p.toObject().value(QStringLiteral("content_type")).toString() == type)
            return p.toObject().value(QStringLiteral("text")).toString();
    return {};
}

inline QStringList headerNames(const QJsonObject &parsed)
{
    QStringList out;
    for (const QJsonValue &h : parsed.value(QStringLiteral("headers")).toArray())
        out << h.toArray().at(0).toString().toLower();
    return out;
}

inline QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

// records.jsonl, one object per line, in order.
inline QList<QJsonObject> corpusRecords()
{
    QList<QJsonObject> out;
    QFile f(corpusDir() + QStringLiteral("/records.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

} // namespace edtest
