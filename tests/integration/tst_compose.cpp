// Composing Django's messages from stored reports, checked against the e-mails
// the real Django site sent for the same requests (corpus/emails) and parsed
// back with Python's email package.
#include "SmtpSupport.h"
#include "store/sqlite/Sqlite.h"

#include "send/DjangoRenderer.h"
#include "model/ReportJson.h"
#include "send/MailComposer.h"
#include "send/MimeMessage.h"
#include "send/PyRepr.h"
#include "send/ReportMailer.h"

#include <QRegularExpression>
#include <QTemporaryDir>

using namespace ed;

namespace {

// Scrubs the corpus's session cookie by key and by value, as the real scrubber would.
class CookieScrubber final : public Scrubber {
public:
    bool isSensitiveKey(ScrubZone zone, std::string_view key) const override
    {
        return zone == ScrubZone::Cookies || key == "HTTP_COOKIE";
    }
    bool scrubText(std::string &text) const override
    {
        bool changed = false;
        for (size_t at; (at = text.find("sess-5d9d1818e811")) != std::string::npos; changed = true)
            text.replace(at, 17, std::string(kScrubbedValue));
        return changed;
    }
};

using edtest::emailKey;
using edtest::recordKey;

// A v1 record read back as a QJsonObject no longer knows the order in which
// the request sent its GET/POST/FILES/COOKIES items (Django prints them in
// that order; ErrorDeck in key order), so those sections compare as sets.
QStringList normalizeRequestSections(const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &l = lines[i];
        if (l != QLatin1String("GET:") && l != QLatin1String("POST:") && l != QLatin1String("FILES:") &&
            l != QLatin1String("COOKIES:"))
            continue;
        qsizetype end = i + 1;
        while (end < lines.size() && !lines[end].isEmpty())
            ++end;
        QStringList section = lines.mid(i + 1, end - i - 1);
        section.sort();
        for (qsizetype k = 0; k < section.size(); ++k)
            lines[i + 1 + k] = section[k];
        i = end;
    }
    return lines;
}

} // namespace

class TestCompose : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    QList<QJsonObject> m_records;
    QJsonArray m_django; // Django's e-mails, parsed

    int64_t reportIdOf(const QJsonObject &record)
    {
        auto id = ReportStore(*m_db).findByEventId(record.value(QStringLiteral("event_id")).toString());
        return id ? *id : 0;
    }
    MailDraft compose(int64_t reportId, MailAudience a)
    {
        ReportMailer mailer(*m_db);
        auto d = mailer.draftForReport(reportId, a);
        if (!d)
            qWarning() << d.error();
        return d ? *d : MailDraft{};
    }
    // Django sends 404s from the middleware (MANAGERS), ERROR and above from the handler.
    MailAudience djangoAudience(const QJsonObject &record)
    {
        return record.value(QStringLiteral("status_code")).toInt() == 404 ? MailAudience::Managers : MailAudience::Admins;
    }
    bool djangoWouldMail(const QJsonObject &record)
    {
        const QString level = record.value(QStringLiteral("level")).toString();
        return record.value(QStringLiteral("status_code")).toInt() == 404 || level == QLatin1String("ERROR") ||
               level == QLatin1String("CRITICAL");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        NullScrubber scrubber;
        m_db = edtest::importCorpus(edtest::testDatabaseLocation(m_dir, QStringLiteral("corpus.sqlite3")), scrubber);
        QVERIFY(m_db);
        QVERIFY(edtest::applyCorpusSettings(*m_db));
        m_records = edtest::corpusRecords();
        QCOMPARE(m_records.size(), 98);
        m_django = edtest::runScript({QStringLiteral("corpus"), edtest::corpusDir() + QStringLiteral("/emails")}).array();
        QCOMPARE(m_django.size(), 69);
    }

    // For every request Django mailed, ErrorDeck composes the same subject.
    void subjectsMatchDjango()
    {
        QHash<QString, QSet<QString>> djangoSubjects;
        for (const QJsonValue &m : m_django)
            djangoSubjects[emailKey(m.toObject())].insert(m.toObject().value(QStringLiteral("subject")).toString());
        QSet<QString> matchedKeys;
        int compared = 0, compared404 = 0;
        for (const QJsonObject &r : m_records) {
            if (!djangoWouldMail(r))
                continue;
            const QString key = recordKey(r);
            if (!djangoSubjects.contains(key))
                continue; // a 404 Django judged ignorable: no mail to compare with
            const QSet<QString> subjects = djangoSubjects.value(key);
            QCOMPARE(subjects.size(), 1);
            const int64_t id = reportIdOf(r);
            QVERIFY2(id > 0, qPrintable(key));
            const MailDraft d = compose(id, djangoAudience(r));
            QVERIFY2(d.subject == *subjects.begin(),
                     qPrintable(QStringLiteral("%1: ours '%2', Django's '%3'").arg(key, d.subject, *subjects.begin())));
            matchedKeys.insert(key);
            ++compared;
            compared404 += key.startsWith(QLatin1String("404|"));
        }
        // Every one of Django's e-mails was matched by a record.
        QCOMPARE(matchedKeys.size(), int(djangoSubjects.size()));
        QVERIFY(compared >= 60);
        QVERIFY(compared404 >= 15);
    }

    // The plain-text report equals Django's, line for line, except what the
    // v1 record does not keep (sys.path) or keeps in another zone (server time).
    void textBodyMatchesDjango()
    {
        // Several requests may share method, URL and client; the record's text
        // must equal one of their e-mails.
        QMultiHash<QString, QString> djangoText;
        for (const QJsonValue &m : m_django)
            if (m.toObject().value(QStringLiteral("kind")).toString() != QLatin1String("404"))
                djangoText.insert(emailKey(m.toObject()), m.toObject().value(QStringLiteral("text")).toString());
        // Empty when equal, else the first difference.
        const auto difference = [](const QStringList &ours, const QStringList &theirs) -> QString {
            if (ours.size() != theirs.size())
                return QStringLiteral("%1 lines, Django's %2").arg(ours.size()).arg(theirs.size());
            for (qsizetype i = 0; i < ours.size(); ++i) {
                if (theirs[i].startsWith(QLatin1String("Python Path:")) || theirs[i].startsWith(QLatin1String("Server time:")))
                    continue;
                if (ours[i] != theirs[i])
                    return QStringLiteral("line %1:\n ours:   %2\n Django: %3").arg(i + 1).arg(ours[i], theirs[i]);
            }
            return {};
        };
        int compared = 0, skipped = 0;
        for (const QJsonObject &r : m_records) {
            if (!djangoWouldMail(r) || r.value(QStringLiteral("status_code")).toInt() == 404 ||
                !djangoText.contains(recordKey(r)))
                continue;
            // In 6 corpus records (OperationalError from sqlite3) the producer put
            // every frame on the raised exception and none on its cause, so the
            // split Django prints cannot be rebuilt from them.
            bool frameless = false;
            for (QJsonObject e = r.value(QStringLiteral("exception")).toObject().value(QStringLiteral("cause")).toObject();
                 !e.isEmpty(); e = e.value(QStringLiteral("cause")).toObject())
                frameless = frameless || e.value(QStringLiteral("frames")).toArray().isEmpty();
            if (frameless) {
                ++skipped;
                continue;
            }
            const MailDraft d = compose(reportIdOf(r), MailAudience::Admins);
            const QStringList ours = normalizeRequestSections(d.text);
            QString firstDifference;
            bool matched = false;
            for (const QString &theirs : djangoText.values(recordKey(r))) {
                const QString diff = difference(ours, normalizeRequestSections(theirs));
                matched = matched || diff.isEmpty();
                if (firstDifference.isEmpty())
                    firstDifference = diff;
            }
            QVERIFY2(matched, qPrintable(recordKey(r) + QLatin1Char(' ') + firstDifference));
            ++compared;
        }
        QVERIFY(skipped <= 6);
        QVERIFY2(compared >= 40, qPrintable(QString::number(compared)));
    }

    void brokenLinkBodyMatchesDjango()
    {
        int compared = 0;
        for (const QJsonValue &v : m_django) {
            const QJsonObject m = v.toObject();
            if (m.value(QStringLiteral("kind")).toString() != QLatin1String("404"))
                continue;
            for (const QJsonObject &r : m_records)
                if (recordKey(r) == emailKey(m)) {
                    const MailDraft d = compose(reportIdOf(r), MailAudience::Managers);
                    QCOMPARE(d.text, m.value(QStringLiteral("text")).toString());
                    QCOMPARE(d.to, QStringList{QStringLiteral("manager@example.com")});
                    QVERIFY(d.html.isEmpty()); // Django's broken-link mail is plain text
                    ++compared;
                    break;
                }
        }
        QCOMPARE(compared, 16);
    }

    void renderedMessageParsesAsDjangosDoes()
    {
        const int64_t id = reportIdOf(m_records.first()); // ZeroDivisionError at /orders/597/total/
        const MailDraft d = compose(id, MailAudience::Admins);
        auto rendered = renderMessage(d);
        QVERIFY2(rendered, qPrintable(rendered.ok() ? QString() : rendered.error()));
        QVERIFY(!rendered->messageId.isEmpty());
        const QJsonObject parsed = edtest::parseMessageBytes(rendered->bytes, m_dir.path());
        QCOMPARE(parsed.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] ERROR (EXTERNAL IP): Internal Server Error: /orders/597/total/"));
        QCOMPARE(edtest::strings(parsed.value(QStringLiteral("from"))), QStringList{QStringLiteral("errors@shop.example.com")});
        QCOMPARE(edtest::strings(parsed.value(QStringLiteral("to"))),
                 (QStringList{QStringLiteral("ops@example.com"), QStringLiteral("ana@example.com")}));
        QCOMPARE(parsed.value(QStringLiteral("content_type")).toString(), QStringLiteral("multipart/alternative"));
        QVERIFY(parsed.value(QStringLiteral("date")).toString().size() > 10);
        QCOMPARE(parsed.value(QStringLiteral("message_id")).toString(), u'<' + rendered->messageId + u'>');
        QCOMPARE(parsed.value(QStringLiteral("defects")).toArray().size(), 0);
        const QString text = edtest::partText(parsed, QStringLiteral("text/plain"));
        QCOMPARE(text, d.text); // quoted-printable round trip, nothing lost
        QVERIFY(text.startsWith(QStringLiteral(
            "Internal Server Error: /orders/597/total/\n\nZeroDivisionError at /orders/597/total/\ndivision by zero\n")));
        const QString html = edtest::partText(parsed, QStringLiteral("text/html"));
        QVERIFY(html.contains(QStringLiteral("<h1>ZeroDivisionError at /orders/597/total/</h1>")));
        QVERIFY(html.contains(QStringLiteral("return HttpResponse(str(amount / count))")));
        QVERIFY(html.contains(QStringLiteral("<td>amount</td><td class=\"code\"><pre>5970</pre></td>"))); // frame locals
        QVERIFY(html.contains(QStringLiteral("Exception Location:")));

        // A second rendering has its own Message-ID; a restamp keeps the content.
        auto again = renderMessage(d);
        QVERIFY(again && again->messageId != rendered->messageId);
        auto restamped = restampMessage(rendered->bytes);
        QVERIFY(restamped && restamped->messageId != rendered->messageId);
        const QJsonObject parsed2 = edtest::parseMessageBytes(restamped->bytes, m_dir.path());
        QCOMPARE(edtest::partText(parsed2, QStringLiteral("text/plain")), text);
        QCOMPARE(parsed2.value(QStringLiteral("subject")), parsed.value(QStringLiteral("subject")));
    }

    void htmlCanBeTurnedOff()
    {
        QVERIFY(Config(*m_db).set(ConfigKey::EmailIncludeHtml, false).ok());
        const MailDraft d = compose(reportIdOf(m_records.first()), MailAudience::Admins);
        QVERIFY(Config(*m_db).unset(ConfigKey::EmailIncludeHtml).ok());
        QVERIFY(d.html.isEmpty());
        auto rendered = renderMessage(d);
        QVERIFY(rendered);
        QCOMPARE(edtest::parseMessageBytes(rendered->bytes, m_dir.path()).value(QStringLiteral("content_type")).toString(),
                 QStringLiteral("text/plain"));
    }

    // The crlf_path report: a 404 whose path holds CR LF and "Bcc: victim@...".
    void crlfPathCannotInjectHeaders()
    {
        QJsonObject crlf;
        for (const QJsonObject &r : m_records)
            if (r.value(QStringLiteral("request"))
                    .toObject()
                    .value(QStringLiteral("path"))
                    .toString()
                    .contains(QStringLiteral("\r\nBcc:")))
                crlf = r;
        QVERIFY(!crlf.isEmpty());
        const int64_t id = reportIdOf(crlf);
        for (MailAudience a : {MailAudience::Managers, MailAudience::Admins}) {
            const MailDraft d = compose(id, a);
            auto rendered = renderMessage(d);
            QVERIFY(rendered);
            const QJsonObject parsed = edtest::parseMessageBytes(rendered->bytes, m_dir.path());
            QVERIFY(!edtest::headerNames(parsed).contains(QStringLiteral("bcc")));
            QVERIFY(edtest::strings(parsed.value(QStringLiteral("bcc"))).isEmpty());
            QCOMPARE(edtest::strings(parsed.value(QStringLiteral("to"))), d.to);
            QCOMPARE(parsed.value(QStringLiteral("defects")).toArray().size(), 0);
            if (a == MailAudience::Managers) {
                QCOMPARE(d.subject, QStringLiteral("[Shop] Broken link on shop.example.com"));
                QVERIFY(d.text.contains(QStringLiteral("Requested URL: /orders/1/total/%0D%0ABcc:%20victim@example.net/\n")));
            } else {
                // The logged message already had \r\n escaped; it stays one line.
                QCOMPARE(
                    parsed.value(QStringLiteral("subject")).toString(),
                    QStringLiteral("[Shop] WARNING (EXTERNAL IP): Not Found: /orders/1/total/\\r\\nBcc: victim@example.net/"));
                // The META path is printed as Python's repr, CR LF escaped.
                QVERIFY(d.text.contains(QStringLiteral("PATH_INFO = '/orders/1/total/\\r\\nBcc: victim@example.net/'")));
            }
        }
        // A message with real CR LF (not escaped by the producer) is escaped as Django's format_subject does.
        QJsonObject record = crlf;
        record.insert(QStringLiteral("message"), QStringLiteral("Not Found: /a\r\nBcc: victim@example.net"));
        MailComposer composer(ComposerSettings::fromConfig(Config(*m_db)));
        const QString subject = composer.adminSubject(reportFromRecord(record), 30);
        QCOMPARE(subject, QStringLiteral("[Shop] WARNING (EXTERNAL IP): Not Found: /a\\r\\nBcc: victim@example.net"));
        MailDraft d;
        d.from = QStringLiteral("errors@shop.example.com");
        d.to = {QStringLiteral("ops@example.com")};
        d.subject = QStringLiteral("raw\r\nBcc: victim@example.net"); // even unescaped input stays one header
        d.text = QStringLiteral("body\r\nBcc: victim@example.net\r\n");
        auto rendered = renderMessage(d);
        QVERIFY(rendered);
        const QJsonObject parsed = edtest::parseMessageBytes(rendered->bytes, m_dir.path());
        QVERIFY(!edtest::headerNames(parsed).contains(QStringLiteral("bcc")));
        QCOMPARE(parsed.value(QStringLiteral("subject")).toString(), QStringLiteral("raw\\r\\nBcc: victim@example.net"));
    }

    void recipientsAreValidated()
    {
        QVERIFY(!parseMailboxes({QStringLiteral("ops@example.com\r\nRCPT TO:<victim@example.net>")}));
        QVERIFY(!parseMailboxes({QStringLiteral("not an address")}));
        QVERIFY(!parseMailboxes({QStringLiteral("team: a@example.com, b@example.com;")})); // a group
        auto ok = parseMailboxes(
            {QStringLiteral("Ops Team <ops@example.com>"), QStringLiteral("ana@example.com, bob@example.com")});
        QVERIFY(ok);
        QCOMPARE(ok->size(), 3);
        QCOMPARE(ok->at(0).address, QStringLiteral("ops@example.com"));
        QCOMPARE(ok->at(0).name, QStringLiteral("Ops Team"));
        QCOMPARE(ok->at(2).address, QStringLiteral("bob@example.com"));
        // An empty list is refused before anything is sent.
        ReportMailer mailer(*m_db);
        auto d = mailer.draftForReport(reportIdOf(m_records.first()), MailAudience::Admins);
        QVERIFY(d);
        d->to.clear();
        auto p = mailer.prepare(*d);
        QVERIFY(!p);
        QVERIFY(p.error().contains(QStringLiteral("No recipients")));
    }

    void scrubbedValuesStayScrubbed()
    {
        CookieScrubber scrubber;
        auto db = edtest::importCorpus(edtest::testDatabaseLocation(m_dir, QStringLiteral("scrubbed.sqlite3")), scrubber);
        QVERIFY(db);
        QVERIFY(edtest::applyCorpusSettings(*db));
        ReportMailer mailer(*db);
        auto id = ReportStore(*db).findByEventId(m_records.first().value(QStringLiteral("event_id")).toString());
        QVERIFY(id);
        auto d = mailer.draftForReport(*id, MailAudience::Admins);
        QVERIFY(d);
        auto p = mailer.prepare(*d);
        QVERIFY(p);
        QVERIFY(!p->message.bytes.contains("sess-5d9d1818e811"));
        QVERIFY(!d->text.contains(QStringLiteral("sess-5d9d1818e811")));
        QVERIFY(!d->html.contains(QStringLiteral("sess-5d9d1818e811")));
        QVERIFY(d->text.contains(QStringLiteral("sessionid = '********************'")));
        // The unscrubbed database does hold it: the test is able to fail.
        auto plain = compose(reportIdOf(m_records.first()), MailAudience::Admins);
        QVERIFY(plain.text.contains(QStringLiteral("sess-5d9d1818e811")));
    }

    void issueMailsItsLatestReport()
    {
        const int64_t id = reportIdOf(m_records.first());
        auto report = ReportStore(*m_db).loadReport(id);
        QVERIFY(report);
        ReportMailer mailer(*m_db);
        auto d = mailer.draftForIssue(report->row.issueId, MailAudience::Admins);
        QVERIFY(d);
        QCOMPARE(d->issueId, report->row.issueId);
        // The latest report of that issue.
        Statement st = connectionOf(*m_db).prepare(
            "SELECT id FROM reports WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1");
        st.bind(1, report->row.issueId);
        QVERIFY(st.step());
        QCOMPARE(d->reportId, st.int64(0));
    }

    void pythonRepr()
    {
        QCOMPARE(pyrepr::reprString(QStringLiteral("abc")), QStringLiteral("'abc'"));
        QCOMPARE(pyrepr::reprString(QStringLiteral("it's")), QStringLiteral("\"it's\""));
        QCOMPARE(pyrepr::reprString(QStringLiteral("it's \"x\"")), QStringLiteral("'it\\'s \"x\"'"));
        QCOMPARE(pyrepr::reprString(QStringLiteral("a\r\nb\\\t\x01")), QStringLiteral("'a\\r\\nb\\\\\\t\\x01'"));
        QCOMPARE(pyrepr::reprString(QStringLiteral("Bokm\u00e5l \u2028")), QStringLiteral("'Bokm\u00e5l \\u2028'"));
        QCOMPARE(pyrepr::reprSetting(QStringLiteral("None")), QStringLiteral("None"));
        QCOMPARE(pyrepr::reprSetting(QStringLiteral("600")), QStringLiteral("600"));
        QCOMPARE(pyrepr::reprSetting(QStringLiteral("Lax")), QStringLiteral("'Lax'"));
        QCOMPARE(pyrepr::reprSetting(QStringLiteral("[re.compile('x')]")), QStringLiteral("[re.compile('x')]"));
        QCOMPARE(pyrepr::reprMeta(QStringLiteral("268")), QStringLiteral("'268'"));
        QCOMPARE(pyrepr::reprMeta(QStringLiteral("True")), QStringLiteral("True"));
        QCOMPARE(pyrepr::pprintSequence(QStringLiteral("['a', 'b']")), QStringLiteral("['a', 'b']"));
        const QString longList = QStringLiteral(
            "['django.middleware.common.BrokenLinkEmailsMiddleware', 'django.middleware.common.CommonMiddleware']");
        QCOMPARE(pyrepr::pprintSequence(longList),
                 QStringLiteral(
                     "['django.middleware.common.BrokenLinkEmailsMiddleware',\n 'django.middleware.common.CommonMiddleware']"));
        QCOMPARE(rfc5322Date(QStringLiteral("2026-11-22T09:55:30.491568-06:00")),
                 QStringLiteral("Sun, 22 Nov 2026 09:55:30 -0600"));
    }

    void causeChainIsPrintedLikeDjango()
    {
        // raise B from A: Django lists A's frames, then the explicit-cause line, then B's.
        const QJsonObject frameA{{QStringLiteral("filename"), QStringLiteral("/srv/a.py")},
                                 {QStringLiteral("function"), QStringLiteral("fa")},
                                 {QStringLiteral("lineno"), 3},
                                 {QStringLiteral("context_line"), QStringLiteral("    int('x')")}};
        const QJsonObject frameB{{QStringLiteral("filename"), QStringLiteral("/srv/b.py")},
                                 {QStringLiteral("function"), QStringLiteral("fb")},
                                 {QStringLiteral("lineno"), 9},
                                 {QStringLiteral("context_line"), QStringLiteral("    raise KeyError('k') from e")}};
        const QJsonObject cause{{QStringLiteral("type"), QStringLiteral("ValueError")},
                                {QStringLiteral("value"), QStringLiteral("bad int")},
                                {QStringLiteral("frames"), QJsonArray{frameA}}};
        const QJsonObject exc{{QStringLiteral("type"), QStringLiteral("KeyError")},
                              {QStringLiteral("value"), QStringLiteral("'k'")},
                              {QStringLiteral("frames"), QJsonArray{frameB}},
                              {QStringLiteral("cause"), cause},
                              {QStringLiteral("cause_explicit"), true}};
        const QJsonObject record{{QStringLiteral("message"), QStringLiteral("boom")}, {QStringLiteral("exception"), exc}};
        const QString text = djangoTextReport(djangoReportData(reportFromRecord(record)));
        QVERIFY2(text.contains(QStringLiteral("Traceback (most recent call last):\n"
                                              "  File \"/srv/a.py\", line 3, in fa\n"
                                              "    int('x')\n"
                                              "\n"
                                              "The above exception (bad int) was the direct cause of the following exception:\n"
                                              "  File \"/srv/b.py\", line 9, in fb\n"
                                              "    raise KeyError('k') from e\n"
                                              "\n"
                                              "Exception Type: KeyError\n"
                                              "Exception Value: 'k'\n"
                                              "Request data not supplied\n")),
                 qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestCompose)
#include "tst_compose.moc"
