// The check that matters: a secret found by the scrubbing rules is never on
// disk. One scanner (SecretScanner.h) reads the database files' bytes, every
// zstd frame in them and every row value, through quoted-printable and base64.
// After importing the corpus in every form, the same e-mails re-encoded as a
// mail client exports them, a send to a file backend and `rules apply` with a
// new pattern, it finds no secret of truth.json; after an import without
// scrubbing it finds them (asserted in the same test, so the check can fail).
// In the .pg run the same imports go into PostgreSQL databases and the scanner
// reads every column of every table through SQL (libpq, not the store), the
// zstd blobs decompressed, and the server's log.
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"
#include "import/Importer.h"
#include "send/ReportMailer.h"

#include "SecretScanner.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace ed;
using edtest::corpusSecrets;
using edtest::onPostgres;
using edtest::SecretScanner;
using edtest::testDatabaseLocation;

namespace {

QStringList mailSources()
{
    return {QStringLiteral(ERRORDECK_CORPUS "/emails"), QStringLiteral(ERRORDECK_CORPUS "/eml"),
            QStringLiteral(ERRORDECK_CORPUS "/reports.mbox")};
}

// The secrets that stand in clear in these corpus files, read as bytes: what an
// import without scrubbing must leave for the scanner to find.
QSet<QString> secretsInFiles(const QStringList &secrets, const QStringList &paths)
{
    QByteArray all;
    for (const QString &p : paths) {
        const QFileInfo fi(p);
        const QStringList files = fi.isDir() ? QStringList(QDir(p).entryList(QDir::Files)) : QStringList{fi.fileName()};
        for (const QString &f : files)
            all += edtest::readFile(QDir(fi.isDir() ? p : fi.path()).filePath(f));
    }
    QSet<QString> out;
    for (const QString &s : secrets)
        if (all.contains(s.toUtf8()))
            out.insert(s);
    return out;
}

int64_t scalar(Database &db, const char *sql)
{
    auto n = connectionOf(db).scalar(sql);
    return n ? *n : -1;
}

// "kiwi" is in URLs, paths, messages, GET data and META of the corpus: a word
// the default rules keep, until a pattern names it.
const QString kNewSecret = QStringLiteral("kiwi");

} // namespace

class TestNoSecretsOnDisk : public QObject {
    Q_OBJECT

    QTemporaryDir m_work;
    QString m_base64, m_quotedPrintable; // the 69 corpus e-mails, re-encoded
    QStringList m_secrets;

    // Imports `paths` into a new database; scrubbed with the default rules, or not at all.
    std::unique_ptr<Database> importInto(const QString &path, const QStringList &paths, bool scrub, int64_t expectMails)
    {
        auto db = Database::open(path);
        if (!db) {
            qWarning() << db.error();
            return nullptr;
        }
        auto owned = std::make_unique<Database>(std::move(*db));
        auto fs = FilterSet::load(*owned);
        if (!fs)
            return nullptr;
        NullScrubber none;
        NullRecordFilter all;
        if (!FilterSet::noteImport(*owned, scrub ? fs->get() : nullptr))
            return nullptr;
        Importer importer(*owned, scrub ? static_cast<const Scrubber &>(**fs) : none,
                          scrub ? static_cast<const RecordFilter &>(**fs) : all);
        const ImportSummary sum = importer.run(paths);
        if (!sum.fatal.isEmpty() || !sum.problems.empty()) {
            qWarning() << "import:" << sum.fatal << edtest::problemsText(sum);
            return nullptr;
        }
        const int64_t mails = scalar(*owned, "SELECT count(*) FROM reports WHERE raw IS NOT NULL");
        if (mails != expectMails) {
            qWarning() << "e-mails stored:" << mails << "expected" << expectMails;
            return nullptr;
        }
        return owned;
    }

    QString reencode(const QString &encoding)
    {
        const QString out = m_work.filePath(encoding);
        QProcess p;
        p.start(edtest::kPython,
                {edtest::supportScript(QStringLiteral("reencode_mail.py")), QStringLiteral(ERRORDECK_CORPUS), out, encoding});
        if (!p.waitForFinished(120000) || p.exitCode() != 0)
            qFatal("reencode_mail.py %s failed: %s", qPrintable(encoding), p.readAllStandardError().constData());
        if (QDir(out).entryList({QStringLiteral("*.eml")}, QDir::Files).size() != 69)
            qFatal("reencode_mail.py %s did not write the 69 e-mails", qPrintable(encoding));
        return out;
    }

    // E-mails a report holding `kNewSecret` to a file backend, saves a search
    // for it, then adds a pattern for it and applies the rules.
    void sendThenNewPattern(Database &db, const QString &outbox)
    {
        Config c(db);
        QVERIFY(c.set(ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok());
        QVERIFY(c.set(ConfigKey::Admins, QJsonArray{QJsonArray{QStringLiteral("Ops"), QStringLiteral("ops@example.com")}}).ok());
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("file")).ok());
        QVERIFY(c.set(ConfigKey::EmailFilePath, outbox).ok());
        const int64_t report = scalar(db, "SELECT id FROM reports WHERE exception_value LIKE '%kiwi%' ORDER BY id LIMIT 1");
        QVERIFY(report > 0);
        ReportMailer mailer(db);
        auto draft = mailer.draftForReport(report, MailAudience::Admins);
        QVERIFY2(draft, qPrintable(draft ? QString() : draft.error()));
        auto sent = mailer.send(*draft);
        QVERIFY2(sent && sent->ok(), qPrintable(sent ? sent->error() : sent.error()));
        QVERIFY(connectionOf(db).exec("INSERT INTO saved_searches(name, query) VALUES('fruit', 'path:/kiwi*')"));
        // The check can fail: the word is in the send log and the saved search now.
        const QStringList before = SecretScanner({kNewSecret}).scan(db.path()).found.filter(QStringLiteral("send_log."));
        QVERIFY2(!before.isEmpty(), "the sent message should hold the word before the new pattern");

        // (written so that the setting itself does not hold the word)
        QVERIFY(c.set(ConfigKey::SensitiveValues, QJsonArray{QStringLiteral("ki[w]i")}).ok());
        auto fs = FilterSet::load(db);
        QVERIFY(fs);
        auto applied = RuleApplier::apply(db, **fs);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(applied->scrubbed);
        QCOMPARE(applied->sendLogRescrubbed, int64_t(1));
        QCOMPARE(applied->searchesRescrubbed, int64_t(1));
        QCOMPARE(applied->failed, int64_t(0));
        QVERIFY2(applied->checkpoint.isEmpty(), qPrintable(applied->checkpoint));
        // The rewritten message is still one a resend can send.
        auto resent = mailer.resend(sent->logId);
        QVERIFY2(resent && resent->ok(), qPrintable(resent ? resent->error() : resent.error()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_secrets = corpusSecrets();
        QVERIFY(m_secrets.size() > 30);
        QVERIFY(m_work.isValid());
        m_base64 = reencode(QStringLiteral("base64"));
        m_quotedPrintable = reencode(QStringLiteral("quoted-printable"));
    }

    // The scanner itself sees a secret however it is stored.
    void scannerSeesThroughEncodings()
    {
        QTemporaryDir dir;
        const QString path = testDatabaseLocation(dir, QStringLiteral("probe.sqlite3"));
        const std::string secret = "sess-0123456789ab";
        const std::string b64 = QByteArray::fromStdString("Cookie: sessionid=" + secret).toBase64().toStdString();
        std::string framed(ZSTD_compressBound(b64.size()), '\0');
        framed.resize(ZSTD_compress(framed.data(), framed.size(), b64.data(), b64.size(), 3));
        const std::string_view qp("Request URL: /x?sid=3Dsess-0123=\n456789ab");
        if (onPostgres()) {
            // Written by the test's own libpq connection: a bytea and a text.
            edtest::PgCluster *pg = edtest::testCluster();
            const QString db = edtest::PgCluster::databaseOf(path);
            QVERIFY(pg->sql(db, QStringLiteral("CREATE TABLE t(id int, v bytea)")));
            QVERIFY(pg->sql(
                db, QStringLiteral("INSERT INTO t VALUES (1, '\\x%1'), (2, convert_to('%2', 'UTF8'))")
                        .arg(QString::fromLatin1(QByteArray::fromStdString(framed).toHex()),
                             QString::fromLatin1(qp.data(), qp.size()).replace(u'\n', QStringLiteral("' || chr(10) || '")))));
            // A statement that fails is logged with its text (log_min_error_statement):
            // the log is scanned too.
            QVERIFY(!pg->sql(db, QStringLiteral("SELECT 'logged sess-0123456789ab'::int")));
        } else {
            Connection c;
            QVERIFY(c.open(path, true));
            QVERIFY(c.exec("CREATE TABLE t(v)"));
            Statement st = c.prepare("INSERT INTO t(v) VALUES(?)");
            QVERIFY(st.bindBlob(1, framed).exec());
            st.reset();
            QVERIFY(st.bind(1, qp).exec());
        }
        const SecretScanner::Report rep = SecretScanner({QString::fromStdString(secret)}).scan(path);
        QVERIFY(rep.files >= 1);
        QVERIFY2(!rep.found.filter(QStringLiteral("t.v row 1, decompressed (base64)")).isEmpty(),
                 qPrintable(rep.found.join(u'\n')));
        QVERIFY2(!rep.found.filter(QStringLiteral("t.v row 2 (quoted-printable)")).isEmpty(), qPrintable(rep.found.join(u'\n')));
        if (onPostgres()) // the server's own files are not read; its log is
            QVERIFY2(!rep.found.filter(QStringLiteral("the server's log")).isEmpty(), qPrintable(rep.found.join(u'\n')));
        else
            QVERIFY2(!rep.found.filter(QStringLiteral("zstd frame at byte")).isEmpty(), qPrintable(rep.found.join(u'\n')));
    }

    // The check that matters, in every form; with no scrubbing the same scan finds the secrets.
    void noSecretInAnyFormAnyTable_data()
    {
        QTest::addColumn<bool>("scrub");
        QTest::newRow("default rules") << true;
        QTest::newRow("--no-filters") << false;
    }
    void noSecretInAnyFormAnyTable()
    {
        QFETCH(bool, scrub);
        QTemporaryDir dir;
        QTemporaryDir outbox; // the file backend's folder, not the database's
        const QStringList needles = m_secrets + QStringList{kNewSecret};
        QStringList leaks;
        struct Deck {
            QString name;
            QStringList paths;
            int64_t mails;
            QStringList original; // the same content, not re-encoded
        };
        const QList<Deck> decks = {
            {QStringLiteral("every-form"),
             QStringList{QStringLiteral(ERRORDECK_CORPUS "/records.jsonl")} + mailSources(),
             69,
             {}},
            {QStringLiteral("base64"), {m_base64}, 69, mailSources().mid(1)},
            {QStringLiteral("quoted-printable"), {m_quotedPrintable}, 69, mailSources().mid(1)},
        };
        for (const Deck &deck : decks) {
            const bool sends = scrub && deck.name == QLatin1String("every-form");
            const QStringList lookFor = sends ? needles : m_secrets;
            const QString path = testDatabaseLocation(dir, deck.name + QStringLiteral(".sqlite3"));
            QStringList found;
            {
                auto db = importInto(path, deck.paths, scrub, deck.mails);
                QVERIFY2(db, qPrintable(deck.name));
                if (sends) {
                    sendThenNewPattern(*db, outbox.path());
                    if (QTest::currentTestFailed())
                        return;
                }
                // With the database open: the WAL is there and read too.
                if (!onPostgres())
                    found = SecretScanner(lookFor).scan(path).found;
            }
            const SecretScanner::Report closed = SecretScanner(lookFor).scan(path);
            found += closed.found;
            found.removeDuplicates();
            QVERIFY(closed.values > 1000);
            QVERIFY(onPostgres() || closed.frames > 0); // frames in the file's raw bytes
            if (scrub) {
                // Every deck is scanned before failing: which forms leak matters.
                if (!found.isEmpty())
                    leaks << deck.name + QStringLiteral(" (%1 findings, first 20):\n").arg(found.size()) +
                                 found.mid(0, 20).join(u'\n');
            } else {
                // Every secret that stands in clear in the input is found.
                QSet<QString> seen;
                for (const QString &f : found)
                    seen.insert(f.section(QStringLiteral(": "), -1));
                const QSet<QString> expected = secretsInFiles(m_secrets, deck.original.isEmpty() ? deck.paths : deck.original);
                QVERIFY(expected.size() >= 25);
                const QSet<QString> missed = expected - seen;
                QVERIFY2(missed.isEmpty(),
                         qPrintable(deck.name + QStringLiteral(": not found: ") + QStringList(missed.values()).join(u' ')));
            }
        }
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    }

    // Quoted-printable writes key=value as key=3Dvalue: the raw view must be
    // scrubbed decoded, or the card number below stays (issue 10).
    void quotedPrintableKeyValue()
    {
        QTemporaryDir dir;
        const QString mail = dir.filePath(QStringLiteral("pay.eml"));
        edtest::writeFile(
            mail, QByteArrayLiteral("Content-Type: text/plain; charset=\"utf-8\"\nMIME-Version: 1.0\n"
                                    "Content-Transfer-Encoding: quoted-printable\n"
                                    "Subject: [Shop] ERROR (EXTERNAL IP): Internal Server Error: /pay/\n"
                                    "From: errors@shop.example.com\nTo: ops@example.com\nDate: Sun, 22 Nov 2026 09:55:30 -0000\n"
                                    "Message-ID: <pay-1@localhost>\n\n"
                                    "Internal Server Error: /pay/\n\nKeyError at /pay/\n'x'\n\nRequest Method: GET\n"
                                    "Request URL: http://shop.example.com/pay/?n=3D4000056655665556\nDjango Version: 3.2.25\n"));
        const QString path = testDatabaseLocation(dir, QStringLiteral("deck.sqlite3"));
        const QStringList card{QStringLiteral("4000056655665556")};
        {
            auto db = importInto(path, {mail}, true, 1);
            QVERIFY(db);
        }
        const QStringList found = SecretScanner(card).scan(path).found;
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        // The same scan finds it when nothing is scrubbed.
        const QString plain = testDatabaseLocation(dir, QStringLiteral("plain.sqlite3"));
        {
            auto db = importInto(plain, {mail}, false, 1);
            QVERIFY(db);
        }
        QVERIFY(!SecretScanner(card).scan(plain).found.isEmpty());
    }

    // Stored unscrubbed (an import without filters, or a database from before
    // the filters), then `rules apply`: every trace must go, free pages and WAL too.
    void rescrubRemovesEverything()
    {
        QTemporaryDir dir;
        const QString path = testDatabaseLocation(dir, QStringLiteral("deck.sqlite3"));
        auto db = importInto(
            path, QStringList{QStringLiteral(ERRORDECK_CORPUS "/records.jsonl")} + mailSources() + QStringList{m_base64}, false,
            69);
        QVERIFY(db);
        if (!onPostgres())
            QVERIFY(connectionOf(*db).exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        QVERIFY(SecretScanner(m_secrets).scan(path).found.size() >= 30); // the test can fail

        auto fs = FilterSet::load(*db);
        QVERIFY(fs);
        QVERIFY(*RuleApplier::needsRescrub(*db, **fs));
        auto applied = RuleApplier::apply(*db, **fs);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(applied->scrubbed);
        QVERIFY(applied->rescrubbed > 50);
        QVERIFY(applied->partsRemoved > 0);
        QCOMPARE(applied->failed, int64_t(0));
        QVERIFY2(applied->checkpoint.isEmpty(), qPrintable(applied->checkpoint));
        QVERIFY(!*RuleApplier::needsRescrub(*db, **fs));
        const QStringList found = SecretScanner(m_secrets).scan(path).found;
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        // Still whole: every report readable, full-text search still finds text.
        if (onPostgres()) {
            QVERIFY(scalar(*db, "SELECT count(*) FROM reports_fts WHERE document @@ to_tsquery('simple', 'zerodivisionerror')") >
                    0);
            return; // the server's pages are its own to check
        }
        QVERIFY(scalar(*db, "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'ZeroDivisionError'") > 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), int64_t(0));
        QVERIFY(connectionOf(*db).exec("INSERT INTO reports_fts(reports_fts) VALUES('integrity-check')"));
    }

    // Every column of the schema that can hold text is listed in
    // RuleApplier::textColumns(): re-scrubbed, or said why no report text is
    // there. A new table or column fails here until it is.
    void everyTextColumnIsCovered()
    {
        QTemporaryDir dir;
        auto db = Database::open(testDatabaseLocation(dir, QStringLiteral("deck.sqlite3")));
        QVERIFY(db);
        QSet<QString> listed;
        for (const TextColumn &t : RuleApplier::textColumns()) {
            listed.insert(QStringLiteral("%1.%2").arg(QLatin1String(t.table), QLatin1String(t.column)));
            QVERIFY2(t.rescrubbed || (t.why && *t.why), t.column);
        }
        QStringList missing;
        QSet<QString> inSchema;
        QSet<QString> numbers; // columns a number type keeps free of text
        // pragma_table_list types the full-text index's shadow tables 'shadow':
        // they follow reports_fts (rewritten, then merged by 'optimize').
        // PostgreSQL: the schema's tables but the version table (a number and a time).
        Statement tables = connectionOf(*db).prepare(
            onPostgres() ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                           " AND table_type = 'BASE TABLE' AND table_name <> 'errordeck_schema'"
                         : "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')"
                           " AND name NOT LIKE 'sqlite_%'");
        QVERIFY(tables.valid());
        int tableCount = 0;
        while (tables.step()) {
            const QString table = tables.qtext(0);
            ++tableCount;
            // The generated tsvector is made from reports_fts's texts, which are listed.
            Statement cols = connectionOf(*db).prepare(
                onPostgres() ? "SELECT column_name, upper(data_type) FROM information_schema.columns"
                               " WHERE table_schema = 'public' AND table_name = ? AND is_generated = 'NEVER'"
                             : "SELECT name, upper(type) FROM pragma_table_info(?)");
            cols.bind(1, table);
            while (cols.step()) {
                const QString type = cols.qtext(1);
                // INTEGER and REAL columns hold no text; anything else may (untyped ones too).
                const QString name = table + QLatin1Char('.') + cols.qtext(0);
                if (type.contains(QLatin1String("INT")) || type == QLatin1String("REAL") ||
                    type == QLatin1String("DOUBLE PRECISION")) {
                    numbers.insert(name);
                    continue;
                }
                inSchema.insert(name);
                if (!listed.contains(name))
                    missing << name;
            }
        }
        QVERIFY(tableCount >= 10);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in RuleApplier::textColumns(): ") + missing.join(u' ')));
        // A column SQLite leaves untyped may be a number on PostgreSQL (the
        // rollups' status_code, X'' there for "none"): listed, and no text.
        const QSet<QString> stale = listed - inSchema - (onPostgres() ? numbers : QSet<QString>());
        QVERIFY2(stale.isEmpty(),
                 qPrintable(QStringLiteral("listed but not in the schema: ") + QStringList(stale.values()).join(u' ')));
    }
};

QTEST_GUILESS_MAIN(TestNoSecretsOnDisk)
#include "tst_no_secrets_on_disk.moc"
