// Importing Django's own error e-mails (.eml, mbox, file-based backend files)
// through the real Importer into a real SQLite file: the corpus against the
// same events in records.jsonl, the encodings GMime decodes, and bad input.
#include "store/ReportStore.h"
#include "TestEngine.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace ed;
using namespace edtest;

namespace {

const QString kEmails = QStringLiteral("emails");
const QString kEml = QStringLiteral("eml");
const QString kMbox = QStringLiteral("reports.mbox");

QJsonObject obj(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toObject(); }
QString str(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toString(); }

// Every frame of the chain, causes first, as Django prints them.
QJsonArray flatFrames(const QJsonObject &record)
{
    std::vector<QJsonObject> chain;
    for (QJsonValue e = record.value(QStringLiteral("exception")); e.isObject(); e = e.toObject().value(QStringLiteral("cause")))
        chain.push_back(e.toObject());
    QJsonArray out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        for (const QJsonValue f : it->value(QStringLiteral("frames")).toArray())
            out.append(f);
    return out;
}

int64_t isoMs(const QString &iso) { return QDateTime::fromString(iso, Qt::ISODateWithMs).toMSecsSinceEpoch(); }

// When Python's make_msgid() stamped the message: "<centiseconds>.<pid>.<random>@host".
int64_t sendTimeMs(const QJsonObject &mail)
{
    bool ok = false;
    const qint64 cs = str(mail, "event_id").section(QLatin1Char('.'), 0, 0).toLongLong(&ok);
    return ok ? cs * 10 : isoMs(str(mail, "timestamp"));
}

QString eventKey(const QJsonObject &r) { return str(r, "message") + QLatin1Char('|') + str(obj(r, "request"), "path"); }

struct Fixture {
    QTemporaryDir dir;
    Database db;
    static std::unique_ptr<Fixture> make()
    {
        auto f = std::make_unique<Fixture>();
        f->db = std::move(*openTestDatabase(f->dir, QStringLiteral("mail.sqlite3")));
        return f;
    }
    QString file(const QString &name, const QByteArray &data)
    {
        const QString p = dir.filePath(name);
        writeFile(p, data);
        return p;
    }
    int64_t reports() { return *connectionOf(db).scalar("SELECT count(*) FROM reports"); }
    QJsonObject onlyRecord()
    {
        ReportStore store(db);
        auto rows = store.listReports(SearchQuery{}, 10);
        if (!rows || rows->size() != 1)
            return {};
        return store.loadReport(rows->front().id)->record;
    }
};

// A Django 3.2 text report, as AdminEmailHandler writes it, for synthetic mails.
QByteArray djangoBody(const QByteArray &value)
{
    return "Internal Server Error: /cart/\n\n"
           "ValueError at /cart/\n" +
           value +
           "\n\n"
           "Request Method: GET\n"
           "Request URL: https://shop.example.com/cart/?step=2\n"
           "Django Version: 4.2.11\n"
           "Python Executable: /usr/bin/python3\n"
           "Python Version: 3.11.2\n"
           "Python Path: ['/srv/shop']\n"
           "Server time: Mon, 23 Nov 2026 10:00:00 +0000\n"
           "Installed Applications:\n['shop']\n"
           "Installed Middleware:\n[]\n\n\n"
           "Traceback (most recent call last):\n"
           "  File \"/srv/shop/shop/views.py\", line 12, in cart\n"
           "    total = compute(request)\n"
           "            ^^^^^^^^^^^^^^^^\n"
           "  File \"/srv/shop/shop/pricing.py\", line 40, in compute\n"
           "    raise ValueError(msg)\n\n"
           "Exception Type: ValueError at /cart/\n"
           "Exception Value: " +
           value +
           "\n"
           "Check the price list.\n"
           "Request information:\n"
           "USER: alice\n\n"
           "GET:\nstep = '2'\n\n"
           "POST: No POST data\n\n"
           "FILES: No FILES data\n\n"
           "COOKIES: No cookie data\n\n"
           "META:\nREMOTE_ADDR = '198.51.100.7'\nHTTP_USER_AGENT = 'Mozilla/5.0'\n\n"
           "Settings:\nUsing settings module shop.settings\nDEBUG = False\nSECRET_KEY = '********************'\n\n";
}

QByteArray message(const QByteArray &headers, const QByteArray &body) { return headers + "\n" + body; }

QByteArray simpleMail(int n, const QByteArray &subject = "[Shop] ERROR: something happened")
{
    return message("From: errors@shop.example.com\nTo: ops@example.com\nSubject: " + subject +
                       "\nDate: Mon, 23 Nov 2026 10:00:0" + QByteArray::number(n % 10) + " -0000\nMessage-ID: <synthetic-" +
                       QByteArray::number(n) + "@test>\nContent-Type: text/plain; charset=\"utf-8\"\n",
                   "Report\nsomething happened\n");
}

QByteArray mbox(const QList<QByteArray> &messages)
{
    QByteArray out;
    for (const QByteArray &m : messages)
        out += "From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n" + m + (m.endsWith('\n') ? "" : "\n") + "\n";
    return out;
}

QByteArray backendFile(const QList<QByteArray> &messages)
{
    QByteArray out;
    for (const QByteArray &m : messages)
        out += m + "\n" + QByteArray(79, '-') + "\n";
    return out;
}

bool hasProblem(const ImportSummary &s, const QString &file, int64_t line, const QString &needle)
{
    for (const auto &p : s.problems)
        if (p.file == file && p.line == line && p.reason.contains(needle, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace

class TestImportMail : public QObject {
    Q_OBJECT

    std::unique_ptr<Fixture> m_corpus; // the three forms imported together
    QList<QJsonObject> m_mails; // their stored records
    QHash<QString, QJsonObject> m_match; // event_id -> the same event in records.jsonl

private Q_SLOTS:
    void initTestCase()
    {
        m_corpus = Fixture::make();
        const auto s = importPlain(m_corpus->db, {corpus(kEmails), corpus(kEml), corpus(kMbox)});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.rejected, int64_t(0));
        QCOMPARE(s.stored, int64_t(69));
        QCOMPARE(s.duplicates, int64_t(69));
        QCOMPARE(m_corpus->reports(), int64_t(69));

        ReportStore store(m_corpus->db);
        auto rows = store.listReports(SearchQuery{}, 1000);
        QVERIFY(rows);
        for (const ReportRow &r : *rows) {
            auto d = store.loadReport(r.id);
            QVERIFY(d);
            m_mails << d->record;
        }
        // Pair each e-mail with its record: same message and path, in the order
        // they happened (a record is written just before its e-mail is sent).
        std::sort(m_mails.begin(), m_mails.end(),
                  [](const QJsonObject &a, const QJsonObject &b) { return sendTimeMs(a) < sendTimeMs(b); });
        QList<QJsonObject> records = corpusRecords();
        QCOMPARE(records.size(), 98);
        std::sort(records.begin(), records.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return isoMs(str(a, "timestamp")) < isoMs(str(b, "timestamp"));
        });
        QSet<int> used;
        for (const QJsonObject &mail : std::as_const(m_mails)) {
            const QString referer = str(obj(obj(mail, "request"), "META"), "HTTP_REFERER");
            int found = -1;
            for (int i = 0; i < records.size() && found < 0; ++i) {
                const QJsonObject &rec = records[i];
                if (used.contains(i) || eventKey(rec) != eventKey(mail) || isoMs(str(rec, "timestamp")) > sendTimeMs(mail) + 10)
                    continue;
                if (mail.value(QStringLiteral("status_code")).toInt() == 404 &&
                    str(obj(obj(rec, "request"), "META"), "HTTP_REFERER") != referer)
                    continue; // a 404 Django did not mail (no or an ignorable referer)
                found = i;
            }
            QVERIFY2(found >= 0, qPrintable(QStringLiteral("no record for %1 (%2)").arg(eventKey(mail), str(mail, "event_id"))));
            used.insert(found);
            // The e-mail's Date has whole seconds.
            QVERIFY(std::abs(isoMs(str(records[found], "timestamp")) - isoMs(str(mail, "timestamp"))) < 2000);
            m_match.insert(str(mail, "event_id"), records[found]);
        }
    }

    void everyMailMatchesItsRecord()
    {
        QCOMPARE(m_mails.size(), 69);
        for (const QJsonObject &mail : std::as_const(m_mails)) {
            const QJsonObject rec = m_match.value(str(mail, "event_id"));
            const QString what = eventKey(mail);
            QCOMPARE(str(obj(mail, "exception"), "type"), str(obj(rec, "exception"), "type"));
            QCOMPARE(str(obj(mail, "request"), "path"), str(obj(rec, "request"), "path"));
            QCOMPARE(str(mail, "message"), str(rec, "message"));
            QCOMPARE(str(mail, "level"), str(rec, "level"));
            // Broken-link mails do not tell the method.
            if (mail.value(QStringLiteral("status_code")).toInt() != 404)
                QCOMPARE(str(obj(mail, "request"), "method"), str(obj(rec, "request"), "method"));
            const QJsonArray mf = flatFrames(mail), rf = flatFrames(rec);
            QVERIFY2(mf.size() == rf.size(),
                     qPrintable(QStringLiteral("%1: %2 frames, record %3").arg(what).arg(mf.size()).arg(rf.size())));
            for (qsizetype i = 0; i < mf.size(); ++i) {
                const QJsonObject a = mf[i].toObject(), b = rf[i].toObject();
                QCOMPARE(str(a, "filename"), str(b, "filename"));
                QCOMPARE(str(a, "function"), str(b, "function"));
                QCOMPARE(a.value(QStringLiteral("lineno")).toInt(), b.value(QStringLiteral("lineno")).toInt());
                // From the HTML part: the line with its indentation, which frames are the site's.
                QCOMPARE(str(a, "context_line"), str(b, "context_line"));
                QCOMPARE(a.value(QStringLiteral("in_app")).toBool(), b.value(QStringLiteral("in_app")).toBool());
                QVERIFY(a.value(QStringLiteral("vars")).isObject());
            }
            if (mail.value(QStringLiteral("status_code")).toInt() == 500)
                QCOMPARE(str(mail, "logger"), QStringLiteral("django.request"));
            QCOMPARE(mail.value(QStringLiteral("status_code")).isNull() ||
                         mail.value(QStringLiteral("status_code")) == rec.value(QStringLiteral("status_code")),
                     true);
            if (mail.value(QStringLiteral("request")).isObject() && mail.value(QStringLiteral("status_code")).toInt() != 404) {
                const QJsonObject mr = obj(mail, "request"), rr = obj(rec, "request");
                for (const char *k : {"host", "scheme", "full_path", "url", "remote_addr", "user"})
                    QCOMPARE(str(mr, k), str(rr, k));
                QCOMPARE(obj(mr, "GET"), obj(rr, "GET"));
                QCOMPARE(obj(mr, "COOKIES"), obj(rr, "COOKIES"));
                QCOMPARE(obj(mr, "META"), obj(rr, "META"));
                QCOMPARE(obj(mail, "settings"), obj(rec, "settings"));
            }
        }
    }

    void brokenLinkMailsAre404s()
    {
        int n = 0;
        for (const QJsonObject &mail : std::as_const(m_mails)) {
            if (!str(obj(obj(mail, "extra"), "email"), "subject").contains(QStringLiteral("Broken ")))
                continue;
            ++n;
            const QJsonObject rec = m_match.value(str(mail, "event_id"));
            QCOMPARE(mail.value(QStringLiteral("status_code")).toInt(), 404);
            QCOMPARE(str(mail, "logger"), QStringLiteral("django.request"));
            QCOMPARE(str(mail, "level"), QStringLiteral("WARNING"));
            QVERIFY(str(mail, "message").startsWith(QStringLiteral("Not Found: /")));
            const QJsonObject req = obj(mail, "request"), rreq = obj(rec, "request");
            QCOMPARE(str(req, "host"), QStringLiteral("shop.example.com"));
            QCOMPARE(str(req, "remote_addr"), str(rreq, "remote_addr"));
            QVERIFY(!str(req, "remote_addr").isEmpty());
            for (const char *k : {"HTTP_REFERER", "HTTP_USER_AGENT"}) {
                QVERIFY(!str(obj(req, "META"), k).isEmpty());
                QCOMPARE(str(obj(req, "META"), k), str(obj(rreq, "META"), k));
            }
        }
        QCOMPARE(n, 16);
    }

    void unicodeMessage()
    {
        const QJsonObject mail = mailFor(QStringLiteral("/i18n/"));
        QCOMPARE(
            str(obj(mail, "exception"), "value"),
            QString::fromUtf8("\xD0\x9E\xD1\x88\xD0\xB8\xD0\xB1\xD0\xBA\xD0\xB0: "
                              "\xD0\xBD\xD0\xB5\xD0\xB2\xD0\xBE\xD0\xB7\xD0\xBC\xD0\xBE\xD0\xB6\xD0\xBD\xD0\xBE "
                              "\xD0\xBE\xD0\xB1\xD1\x80\xD0\xB0\xD0\xB1\xD0\xBE\xD1\x82\xD0\xB0\xD1\x82\xD1\x8C "
                              "\xD0\xB7\xD0\xB0\xD0\xBA\xD0\xB0\xD0\xB7 \xF0\x9F\x98\xB1 \xE2\x80\x94 \xE6\xB3\xA8\xE6\x96\x87"));
        QCOMPARE(str(obj(mail, "exception"), "value"), str(obj(m_match.value(str(mail, "event_id")), "exception"), "value"));
    }

    void chainedExceptions()
    {
        // raise ... from e: explicit, the cause's frames first in the text.
        const QJsonObject charge = obj(mailFor(QStringLiteral("/payments/charge/")), "exception");
        QCOMPARE(str(charge, "type"), QStringLiteral("RuntimeError"));
        QCOMPARE(str(charge, "value"), QStringLiteral("payment gateway failed"));
        QVERIFY(charge.value(QStringLiteral("cause_explicit")).toBool());
        const QJsonObject cause = obj(charge, "cause");
        QCOMPARE(str(cause, "value"), QStringLiteral("gateway timeout after 30s"));
        QCOMPARE(cause.value(QStringLiteral("frames")).toArray().size(), 1);
        QCOMPARE(str(cause.value(QStringLiteral("frames")).toArray()[0].toObject(), "function"), QStringLiteral("view_chain"));
        QCOMPARE(str(charge.value(QStringLiteral("frames")).toArray().last().toObject(), "function"),
                 QStringLiteral("view_chain"));
        QVERIFY(cause.value(QStringLiteral("cause")).isNull());

        // An exception during handling of another: implicit.
        const QJsonObject merge = obj(mailFor(QStringLiteral("/cart/merge/")), "exception");
        QCOMPARE(str(merge, "type"), QStringLiteral("ZeroDivisionError"));
        QVERIFY(!merge.value(QStringLiteral("cause_explicit")).toBool());
        QCOMPARE(str(obj(merge, "cause"), "value"), QStringLiteral("'missing'"));

        // Django's database error wrapper: the sqlite3 error's two frames, then the wrapper's.
        const QJsonObject db = obj(mailFor(QStringLiteral("/orders/")), "exception");
        QCOMPARE(str(db, "type"), QStringLiteral("OperationalError"));
        QVERIFY(db.value(QStringLiteral("cause_explicit")).toBool());
        QStringList causeFunctions;
        for (const QJsonValue f : obj(db, "cause").value(QStringLiteral("frames")).toArray())
            causeFunctions << str(f.toObject(), "function");
        QCOMPARE(causeFunctions, QStringList({QStringLiteral("_execute"), QStringLiteral("execute")}));
        QCOMPARE(str(obj(db, "cause"), "value"), QStringLiteral("no such table: orders_order"));
    }

    void longMessage()
    {
        const QJsonObject mail = mailFor(QStringLiteral("/reports/long/"));
        const QString value = str(obj(mail, "exception"), "value");
        QVERIFY(value.size() > 5000);
        QCOMPARE(value, str(obj(m_match.value(str(mail, "event_id")), "exception"), "value"));
        // The subject is cut, the body is not: the type comes from the report.
        QCOMPARE(str(obj(mail, "exception"), "type"), QStringLiteral("AssertionError"));
    }

    void recursionError()
    {
        const QJsonObject mail = mailFor(QStringLiteral("/tree/"));
        const QJsonArray frames = obj(mail, "exception").value(QStringLiteral("frames")).toArray();
        QVERIFY(frames.size() > 900);
        QCOMPARE(frames.size(), flatFrames(m_match.value(str(mail, "event_id"))).size());
        QCOMPARE(str(obj(mail, "exception"), "type"), QStringLiteral("RecursionError"));
    }

    void reportsWithoutRequestOrException()
    {
        // logger.exception() outside a request: "Request data not supplied".
        const QJsonObject refund = mailForMessage(QStringLiteral("Could not parse refund amount"));
        QVERIFY(refund.value(QStringLiteral("request")).isNull());
        QCOMPARE(str(obj(refund, "exception"), "type"), QStringLiteral("ValueError"));
        QCOMPARE(obj(refund, "exception").value(QStringLiteral("frames")).toArray().size(), 1);
        QCOMPARE(str(obj(refund, "environment"), "django_version"), QStringLiteral("3.2.25"));
        // logger.error() without exc_info: a "Report" without an exception.
        const QJsonObject webhook = mailForMessage(QStringLiteral("Webhook evt_1 rejected: bad signature"));
        QVERIFY(webhook.value(QStringLiteral("exception")).isNull());
        QVERIFY(webhook.value(QStringLiteral("request")).isNull());
        QCOMPARE(str(webhook, "level"), QStringLiteral("ERROR"));
        QVERIFY(obj(webhook, "settings").contains(QStringLiteral("EMAIL_SUBJECT_PREFIX")));
        // DisallowedHost: Django's message names its logger.
        const QJsonObject host = mailForPath(QStringLiteral("/ok/"));
        QCOMPARE(str(host, "logger"), QStringLiteral("django.security.DisallowedHost"));
        QCOMPARE(host.value(QStringLiteral("status_code")).toInt(), 400);
        QCOMPARE(str(obj(host, "request"), "host"), QStringLiteral("evil.example.net"));
    }

    void subjectAndMessageHeaders()
    {
        const QJsonObject mail = mailFor(QStringLiteral("/orders/597/total/"));
        QCOMPARE(str(mail, "timestamp"), QStringLiteral("2026-11-22T09:55:30+00:00"));
        QVERIFY(!str(mail, "event_id").startsWith(QLatin1Char('<')));
        const QJsonObject email = obj(obj(mail, "extra"), "email");
        QCOMPARE(str(email, "subject_prefix"), QStringLiteral("[Shop] "));
        QCOMPARE(email.value(QStringLiteral("internal_ip")).toBool(), false);
        QCOMPARE(str(email, "from"), QStringLiteral("errors@shop.example.com"));
        QCOMPARE(obj(mailFor(QStringLiteral("/reports/long/")), "extra")
                     .value(QStringLiteral("email"))
                     .toObject()
                     .value(QStringLiteral("internal_ip"))
                     .toBool(),
                 true);
    }

    void rawMessageIsKept()
    {
        ReportStore store(m_corpus->db);
        const QJsonObject mail = mailFor(QStringLiteral("/i18n/"));
        auto id = store.findByEventId(str(mail, "event_id"));
        QVERIFY(id);
        auto d = store.loadReport(*id);
        QVERIFY(d);
        QVERIFY(d->raw.contains(QStringLiteral("Subject: [Shop] ERROR (EXTERNAL IP): Internal Server Error: /i18n/")));
        QVERIFY(d->raw.contains(QStringLiteral("Content-Type: text/html")));
        QVERIFY(!d->raw.contains(QString(79, QLatin1Char('-')))); // the backend's separator is framing
    }

    void eachFormAloneStoresTheSameReports()
    {
        auto f = Fixture::make();
        QCOMPARE(importPlain(f->db, {corpus(kMbox)}).stored, int64_t(57));
        QCOMPARE(importPlain(f->db, {corpus(kEml)}).stored, int64_t(12));
        const auto again = importPlain(f->db, {corpus(kEmails)});
        QCOMPARE(again.stored, int64_t(0));
        QCOMPARE(again.duplicates, int64_t(69));
    }

    // The site runs as `python shop_site.py`: its records say `__main__` where
    // the e-mails only give /srv/shop/shop_site.py. The same failure from both
    // must land in one issue, so the e-mails add reports but no issue.
    void mailsAndRecordsOfOneFailureShareAnIssue()
    {
        auto f = Fixture::make();
        QCOMPARE(importPlain(f->db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        const int64_t issues = *connectionOf(f->db).scalar("SELECT count(*) FROM issues");
        QVERIFY(issues > 10);
        QCOMPARE(importPlain(f->db, {corpus(kEmails)}).stored, int64_t(69));
        QCOMPARE(*connectionOf(f->db).scalar("SELECT count(*) FROM issues"), issues);
        // And the e-mail of a view's failure names the culprit as the record does.
        QCOMPARE(*connectionOf(f->db).scalar("SELECT count(*) FROM issues WHERE culprit LIKE '__main__%'"), int64_t(0));
        QVERIFY(*connectionOf(f->db).scalar("SELECT count(*) FROM issues WHERE culprit LIKE 'shop_site in %'") > 0);
    }

    // ---- encodings GMime decodes -------------------------------------------------

    // A part that says UTF-8 and is not: every byte that is not UTF-8 (a
    // NUL; a Latin-1 byte, each byte of an encoded surrogate) becomes U+FFFD,
    // as g_utf8_make_valid() documents, and the rest is kept. One message
    // each, so that each kind alone must be seen.
    void utf8PartWithInvalidBytesKeepsTheRest()
    {
        auto f = Fixture::make(); // one database for both (on PostgreSQL each costs a CREATE DATABASE)
        auto valueOf = [&f](int n, const QByteArray &value) {
            const QByteArray id = "bad-utf8-" + QByteArray::number(n) + "@test";
            const QByteArray mail = message(
                "From: errors@shop.example.com\nTo: ops@example.com\nSubject: [Shop] ERROR: Internal Server Error: /cart/\n"
                "Date: Mon, 23 Nov 2026 10:00:00 +0100\nMessage-ID: <" +
                    id + ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n",
                djangoBody(value));
            const auto s = importPlain(f->db, {f->file(QStringLiteral("%1.eml").arg(n), mail)});
            if (!s.problems.empty() || s.stored != 1)
                return QStringLiteral("not stored: ") + problemsText(s);
            ReportStore store(f->db);
            auto rows = store.listReports(SearchQuery{}, 10);
            for (const ReportRow &row : rows ? *rows : std::vector<ReportRow>{}) {
                const QJsonObject r = store.loadReport(row.id)->record;
                if (str(r, "event_id") == QString::fromLatin1(id))
                    return str(obj(r, "exception"), "value");
            }
            return QStringLiteral("not found");
        };
        QCOMPARE(valueOf(1, QByteArray("a\0b ok \xC3\xA9", 9)), QString::fromUtf8("a\uFFFDb ok \u00E9"));
        QCOMPARE(valueOf(2, "caf\xE9 \xED\xA0\x80 ok"), QString::fromUtf8("caf\uFFFD \uFFFD\uFFFD\uFFFD ok"));
    }

    void base64Latin1FoldedEncodedSubject()
    {
        auto f = Fixture::make();
        const QByteArray value = "Preis f\xFCr Gr\xF6\xDF"
                                 "e ung\xFCltig"; // ISO-8859-1
        const QByteArray mail = message(
            "From: errors@shop.example.com\nTo: ops@example.com\n"
            "Subject: =?iso-8859-1?q?=5BShop=5D_ERROR_=28EXTERNAL_IP=29=3A_Internal_Server_Error=3A?=\n"
            " =?utf-8?b?IC9jYXJ0Lw==?=\n"
            "Date: Mon, 23 Nov 2026 10:00:00 +0100\nMessage-ID: <b64@test>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: base64\n",
            djangoBody(value).toBase64() + "\n");
        const QString path = f->file(QStringLiteral("one.eml"), mail);
        const auto s = importPlain(f->db, {path});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(1));
        const QJsonObject r = f->onlyRecord();
        QCOMPARE(str(r, "timestamp"), QStringLiteral("2026-11-23T10:00:00+01:00"));
        QCOMPARE(str(r, "event_id"), QStringLiteral("b64@test"));
        QCOMPARE(str(obj(obj(r, "extra"), "email"), "subject"),
                 QStringLiteral("[Shop] ERROR (EXTERNAL IP): Internal Server Error: /cart/"));
        const QJsonObject exc = obj(r, "exception");
        QCOMPARE(str(exc, "value"), QString::fromUtf8("Preis f\xC3\xBCr Gr\xC3\xB6\xC3\x9F"
                                                      "e ung\xC3\xBCltig"));
        // Django 4.1+: column markers are not frames; Django 5 notes follow the value.
        QCOMPARE(exc.value(QStringLiteral("frames")).toArray().size(), 2);
        QCOMPARE(str(exc.value(QStringLiteral("frames")).toArray()[0].toObject(), "module"), QStringLiteral("shop.views"));
        QVERIFY(exc.value(QStringLiteral("frames")).toArray()[0].toObject().value(QStringLiteral("in_app")).toBool());
        QCOMPARE(str(obj(r, "extra"), "exception_notes"), QStringLiteral("Check the price list."));
        const QJsonObject req = obj(r, "request");
        QCOMPARE(str(req, "full_path"), QStringLiteral("/cart/?step=2"));
        QCOMPARE(str(req, "scheme"), QStringLiteral("https"));
        QCOMPARE(str(req, "user"), QStringLiteral("alice"));
        QCOMPARE(req.value(QStringLiteral("GET")).toObject().value(QStringLiteral("step")).toArray().first().toString(),
                 QStringLiteral("2"));
        QCOMPARE(str(req, "remote_addr"), QStringLiteral("198.51.100.7"));
        QCOMPARE(r.value(QStringLiteral("status_code")).toInt(), 500);
        QCOMPARE(str(obj(r, "environment"), "settings_module"), QStringLiteral("shop.settings"));
        QCOMPARE(str(obj(r, "settings"), "SECRET_KEY"), QStringLiteral("********************"));
    }

    void mboxUnescapesFromLinesAndBackendSeparatorsNeedAHeader()
    {
        auto f = Fixture::make();
        // A body line "From here" is stored as ">From here" in an mbox.
        const QByteArray m1 = message("From: a@x\nSubject: first\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <m1@t>\n",
                                      "line one\n>From here on\nend\n");
        const QString box = f->file(QStringLiteral("box"), mbox({m1, simpleMail(2)}));
        auto s = importPlain(f->db, {box});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(2));
        ReportStore store(f->db);
        auto d = store.loadReport(*store.findByEventId(QStringLiteral("m1@t")));
        QCOMPARE(str(obj(d->record, "extra"), "email_body"), QStringLiteral("line one\nFrom here on\nend"));

        // In a backend file, a line of dashes inside a body is not a separator.
        const QByteArray dashes = message(
            "From: a@x\nSubject: dashes\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <d1@t>\n",
            "above\n" + QByteArray(79, '-') + "\nbelow\n");
        const QString log = f->file(QStringLiteral("backend.log"), backendFile({dashes, simpleMail(3), simpleMail(4)}));
        s = importPlain(f->db, {log});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(3));
        d = store.loadReport(*store.findByEventId(QStringLiteral("d1@t")));
        QVERIFY(str(obj(d->record, "extra"), "email_body").endsWith(QStringLiteral("\nbelow")));
    }

    // ---- bad input -----------------------------------------------------------------

    void truncatedMbox()
    {
        auto f = Fixture::make();
        QByteArray box = readFile(corpus(kMbox));
        // Cut inside the 5th message.
        qsizetype at = 0;
        for (int i = 0; i < 5; ++i)
            at = box.indexOf("\nFrom MAILER-DAEMON", at + 1);
        box.truncate(at + 2000);
        const QString path = f->file(QStringLiteral("cut.mbox"), box);
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(5));
        QVERIFY2(hasProblem(s, path, 0, QStringLiteral("message 6")), qPrintable(problemsText(s)));
        QVERIFY(hasProblem(s, path, 0, QStringLiteral("cut short")));
    }

    void truncatedBackendFile()
    {
        auto f = Fixture::make();
        QByteArray file = backendFile({simpleMail(1), simpleMail(2)});
        file += simpleMail(3).left(60);
        const QString path = f->file(QStringLiteral("partial.log"), file);
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(2));
        QVERIFY2(hasProblem(s, path, 0, QStringLiteral("message 3")), qPrintable(problemsText(s)));
    }

    void badMessagesAmongGoodOnes()
    {
        auto f = Fixture::make();
        const QByteArray garbage = "this is not an e-mail\nat all, just some text\n";
        const QByteArray noBoundary = message(
            "From: a@x\nSubject: [Shop] ERROR: x\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <nb@t>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/alternative\n",
            "--zzz\nContent-Type: text/plain\n\nhello\n--zzz--\n");
        const QByteArray unknownCharset = message(
            "From: a@x\nSubject: [Shop] ERROR: y\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <cs@t>\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"x-no-such-charset\"\nContent-Transfer-Encoding: 8bit\n",
            "caf\xE9 \xFF\xFE\n");
        const QByteArray cutMultipart = message(
            "From: a@x\nSubject: [Shop] ERROR: z\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <mp@t>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"BB\"\n",
            "--BB\nContent-Type: text/plain\n\nhello\n--BB\nContent-Type: text/html\n\n<p>hel\n");
        const QString path = f->file(QStringLiteral("mixed.mbox"),
                                     mbox({simpleMail(1), garbage, noBoundary, unknownCharset, cutMultipart, simpleMail(6)}));
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(2));
        QCOMPARE(s.rejected, int64_t(4));
        QVERIFY2(hasProblem(s, path, 2, QStringLiteral("message 2: not an e-mail")), qPrintable(problemsText(s)));
        QVERIFY2(hasProblem(s, path, 3, QStringLiteral("message 3: broken MIME")), qPrintable(problemsText(s)));
        QVERIFY2(hasProblem(s, path, 4, QStringLiteral("x-no-such-charset")), qPrintable(problemsText(s)));
        QVERIFY2(hasProblem(s, path, 5, QStringLiteral("message 5: broken MIME")), qPrintable(problemsText(s)));
    }

    void nonDjangoMailIsAPlainReport()
    {
        auto f = Fixture::make();
        const QByteArray cron = message(
            "From: root@web-1\nTo: ops@example.com\nSubject: Cron <root@web-1> /usr/local/bin/backup\n"
            "Date: Mon, 23 Nov 2026 03:00:01 +0000\nMessage-ID: <cron-1@web-1>\n",
            "backup: disk full\n");
        const QByteArray empty = message("From: root@web-1\nDate: Mon, 23 Nov 2026 03:00:01 +0000\nMessage-ID: <e@t>\n", "\n");
        const QString path = f->file(QStringLiteral("cron.log"), backendFile({cron, empty}));
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(1));
        QVERIFY2(hasProblem(s, path, 2, QStringLiteral("nothing to import")), qPrintable(problemsText(s)));
        const QJsonObject r = f->onlyRecord();
        QCOMPARE(str(r, "message"), QStringLiteral("Cron <root@web-1> /usr/local/bin/backup"));
        QCOMPARE(str(obj(r, "extra"), "email_body"), QStringLiteral("backup: disk full"));
        QVERIFY(r.value(QStringLiteral("exception")).isNull());
    }

    void oversizedMessageIsRejected()
    {
        auto f = Fixture::make();
        QByteArray big = message("From: a@x\nSubject: huge\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <big@t>\n", {});
        const QByteArray line = QByteArray(99, 'x') + "\n";
        big.reserve(34 << 20);
        while (big.size() < (33 << 20))
            big += line;
        const QString path = f->file(QStringLiteral("big.mbox"), mbox({simpleMail(1), big, simpleMail(3)}));
        big.clear();
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(2));
        QVERIFY2(hasProblem(s, path, 2, QStringLiteral("over the 32 MB limit")), qPrintable(problemsText(s)));
    }

private:
    QJsonObject mailFor(const QString &path)
    {
        return mailWhere([&](const QJsonObject &m) {
            return str(obj(m, "request"), "path") == path && m.value(QStringLiteral("status_code")).toInt() == 500;
        });
    }
    QJsonObject mailForPath(const QString &path)
    {
        return mailWhere([&](const QJsonObject &m) { return str(obj(m, "request"), "path") == path; });
    }
    QJsonObject mailForMessage(const QString &message)
    {
        return mailWhere([&](const QJsonObject &m) { return str(m, "message") == message; });
    }
    template <typename Pred> QJsonObject mailWhere(Pred pred)
    {
        for (const QJsonObject &m : std::as_const(m_mails))
            if (pred(m))
                return m;
        return {};
    }
};

QTEST_GUILESS_MAIN(TestImportMail)
#include "tst_import_mail.moc"
