#pragma once
// E-mail tests (tst_compose, tst_smtp, tst_ui_send): the corpus's Django
// settings, and tests/support/smtp_server.py (aiosmtpd and Python's email
// package) for everything that must be checked by an independent parser.
#include "TestSupport.h"
#include "store/Config.h"
#include "store/ReportStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonValue>
#include <QProcess>

namespace edtest {

inline QString smtpServerScript() { return supportScript(QStringLiteral("smtp_server.py")); }

// EMAIL_SUBJECT_PREFIX, INTERNAL_IPS, SERVER_EMAIL, ADMINS, MANAGERS as the corpus site had them.
bool applyCorpusSettings(ed::Database &db);

// smtp_server.py serving on 127.0.0.1 for one test (a free port, see
// port()); stops when it goes out of scope. Each message received becomes
// NNNN.eml and NNNN.json (the envelope) in `dir`.
class SmtpServer {
public:
    SmtpServer(const QString &dir, const QStringList &options);
    ~SmtpServer();
    int port() const { return m_port; }
    // --silent: the connections accepted so far (its "ACCEPTED" lines). Reads
    // what has arrived without blocking; call it from a wait loop.
    int accepted();
    QStringList messages() const;
    static QJsonObject envelope(const QString &base);

private:
    QString m_dir;
    QProcess m_proc;
    int m_port = 0;
    int m_accepted = 0;
};

// Runs smtp_server.py with `args` and returns its JSON output.
QJsonDocument runScript(const QStringList &args);

// A message as Python's email package reads it.
QJsonObject parseMessage(const QString &emlPath);
QJsonObject parseMessageBytes(const QByteArray &bytes, const QString &scratchDir);

// The text of the first part of the given content type.
QString partText(const QJsonObject &parsed, const QString &type);
QStringList headerNames(const QJsonObject &parsed);
QStringList strings(const QJsonValue &v);

// What identifies a request in a v1 record and in one of Django's e-mails
// (smtp_server.py corpus): equal keys, the same request.
QString recordKey(const QJsonObject &r);
QString emailKey(const QJsonObject &m);

// A loopback port bound and closed again without listening: nobody answers there.
// Fails loudly when the socket cannot be had: port 0 would become curl's port 25.
int unusedLoopbackPort();

} // namespace edtest
