#pragma once
// The one check that a secret never reached the disk: looks for strings in an
// ErrorDeck database the way someone holding the files would, not the way the
// code under test reads them.
//  - the raw bytes of every file of the database (main file, -wal, -shm,
//    -journal), free pages and stale WAL frames included;
//  - every zstd frame found in those bytes, decompressed as far as it goes
//    (a frame split over overflow pages yields its first part);
//  - every value of every table (full-text shadow tables too), with blobs
//    that are zstd frames decompressed;
//  - and in all of these, quoted-printable decoded (soft line breaks, =3D),
//    every run of base64 decoded at each of its four alignments, and HTML's
//    character references undone (&amp; &lt; &#x27; ...).
// zstd and SQLite are used directly: nothing of core decides what is found.
// A PostgreSQL URL of the test cluster (TestEngine.h, a .pg run) is scanned
// through SQL instead: every value of every table of the database read by
// libpq (PgCluster::eachValue), zstd blobs decompressed, the same decodings,
// and the server's log. The server's own files (heap pages, TOAST, WAL) are not
// read: the issue asks for what SQL shows.
#include "PgSupport.h"
#include "TestEngine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>
#include <sqlite3.h>
#include <zstd.h>

#include <string>
#include <string_view>
#include <vector>

namespace edtest {

class SecretScanner {
public:
    explicit SecretScanner(const QStringList &needles)
    {
        for (const QString &n : needles)
            m_needles.push_back(n.toStdString());
    }

    struct Report {
        QStringList found; // "where (how decoded): secret"
        int files = 0; // database files read
        int frames = 0; // zstd frames decompressed from the raw bytes
        int values = 0; // row values read
        int decodedRuns = 0; // base64 runs decoded
    };

    // `dbPath` is the main file; its -wal, -shm and -journal are read too.
    // Or a PostgreSQL URL of testCluster(): its rows and the server's log.
    Report scan(const QString &dbPath)
    {
        Report rep;
        if (const QString pgDb = PgCluster::databaseOf(dbPath); !pgDb.isEmpty()) {
            scanServer(pgDb, rep);
            return rep;
        }
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")}) {
            QFile f(dbPath + suffix);
            if (!f.exists())
                continue;
            if (!f.open(QIODevice::ReadOnly)) {
                rep.found << QStringLiteral("cannot read %1").arg(f.fileName());
                continue;
            }
            const QByteArray bytes = f.readAll();
            ++rep.files;
            const std::string_view all(bytes.constData(), size_t(bytes.size()));
            const QString where = QFileInfo(f.fileName()).fileName();
            look(all, where, rep);
            constexpr std::string_view magic("\x28\xB5\x2F\xFD", 4);
            for (size_t at = all.find(magic); at != std::string_view::npos; at = all.find(magic, at + 1)) {
                const std::string text = decompressFrame(all.substr(at));
                if (text.empty())
                    continue;
                ++rep.frames;
                look(text, QStringLiteral("%1, zstd frame at byte %2").arg(where).arg(at), rep);
            }
        }
        if (rep.files == 0)
            rep.found << QStringLiteral("no database file at %1").arg(dbPath);
        scanRows(dbPath, rep);
        return rep;
    }

    // A zstd frame decompressed as far as it can be (empty when it is not one).
    static std::string decompressFrame(std::string_view in)
    {
        std::string out;
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        ZSTD_inBuffer input{in.data(), in.size(), 0};
        std::string chunk(1 << 16, '\0');
        while (out.size() < (size_t(256) << 20)) {
            ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
            const size_t ret = ZSTD_decompressStream(dctx, &output, &input);
            out.append(chunk.data(), output.pos);
            if (ZSTD_isError(ret) || ret == 0 || (output.pos == 0 && input.pos == input.size))
                break;
        }
        ZSTD_freeDCtx(dctx);
        return out;
    }

    static std::string quotedPrintableDecoded(std::string_view s)
    {
        std::string out;
        out.reserve(s.size());
        auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9')
                return c - '0';
            if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
            if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
            return -1;
        };
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] != '=') {
                out += s[i];
                continue;
            }
            if (i + 1 < s.size() && s[i + 1] == '\n') { // soft line break
                i += 1;
            } else if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
                i += 2;
            } else if (i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
                out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
                i += 2;
            } else {
                out += '=';
            }
        }
        return out;
    }

    // The character references Django's escape() writes, undone (enough to
    // find a value an HTML part split with them).
    static std::string htmlUnescaped(std::string_view s)
    {
        static const std::pair<std::string_view, char> refs[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
                                                                 {"&quot;", '"'}, {"&#x27;", '\''}, {"&#39;", '\''}};
        std::string out;
        out.reserve(s.size());
        for (size_t i = 0; i < s.size(); ++i) {
            bool done = false;
            if (s[i] == '&')
                for (const auto &[ref, c] : refs)
                    if (s.substr(i, ref.size()) == ref) {
                        out += c;
                        i += ref.size() - 1;
                        done = true;
                        break;
                    }
            if (!done)
                out += s[i];
        }
        return out;
    }

    // Every run of base64 (line breaks inside a run allowed), decoded at the
    // four alignments: a run cut out of a page may start mid-quantum.
    static std::vector<std::string> base64Runs(std::string_view s, size_t minChars = 12)
    {
        auto isB64 = [](unsigned char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                   c == '-' || c == '_';
        };
        std::vector<std::string> out;
        size_t i = 0;
        while (i < s.size()) {
            if (!isB64(static_cast<unsigned char>(s[i]))) {
                ++i;
                continue;
            }
            std::string run;
            while (i < s.size()) {
                const unsigned char c = static_cast<unsigned char>(s[i]);
                if (isB64(c))
                    run += char(c);
                else if (c == '\r' || c == '\n' || c == '=')
                    ; // line breaks and padding inside a run
                else
                    break;
                ++i;
            }
            if (run.size() < minChars)
                continue;
            for (size_t skip = 0; skip < 4; ++skip)
                out.push_back(base64Decoded(std::string_view(run).substr(skip)));
        }
        return out;
    }

    static std::string base64Decoded(std::string_view s)
    {
        auto value = [](unsigned char c) -> int {
            if (c >= 'A' && c <= 'Z')
                return c - 'A';
            if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
            if (c >= '0' && c <= '9')
                return c - '0' + 52;
            if (c == '+' || c == '-')
                return 62;
            if (c == '/' || c == '_')
                return 63;
            return -1;
        };
        std::string out;
        unsigned bits = 0;
        int n = 0;
        for (unsigned char c : s) {
            const int v = value(c);
            if (v < 0)
                continue;
            bits = (bits << 6) | unsigned(v);
            n += 6;
            if (n >= 8) {
                n -= 8;
                out += char((bits >> n) & 0xFF);
            }
        }
        return out;
    }

private:
    void scanServer(const QString &db, Report &rep)
    {
        PgCluster *pg = testCluster();
        if (!pg) {
            rep.found << QStringLiteral("%1 is a PostgreSQL database, but this is not a .pg run").arg(db);
            return;
        }
        auto read = pg->eachValue(db, [&](const QString &where, std::string_view value) {
            ++rep.values;
            look(value, where, rep);
            if (value.size() >= 4 && value.substr(0, 4) == std::string_view("\x28\xB5\x2F\xFD", 4))
                look(decompressFrame(value), where + QStringLiteral(", decompressed"), rep);
        });
        if (!read)
            rep.found << QStringLiteral("cannot read database %1: %2").arg(db, read.error());
        const QByteArray log = pg->log().toUtf8();
        ++rep.files;
        look(std::string_view(log.constData(), size_t(log.size())), QStringLiteral("the server's log"), rep);
    }

    // `text` as it is, quoted-printable decoded, and its base64 runs decoded.
    void look(std::string_view text, const QString &where, Report &rep)
    {
        find(text, where, QString(), rep);
        const std::string qp = quotedPrintableDecoded(text);
        if (qp.size() != text.size())
            find(qp, where, QStringLiteral("quoted-printable"), rep);
        for (const std::string &run : base64Runs(text)) {
            ++rep.decodedRuns;
            find(run, where, QStringLiteral("base64"), rep);
        }
        if (qp.size() != text.size())
            for (const std::string &run : base64Runs(qp))
                find(run, where, QStringLiteral("quoted-printable, base64"), rep);
        if (text.find('&') != std::string_view::npos) {
            const std::string html = htmlUnescaped(qp);
            if (html.size() != qp.size())
                find(html, where, QStringLiteral("HTML references"), rep);
        }
    }

    void find(std::string_view text, const QString &where, const QString &how, Report &rep)
    {
        for (const std::string &n : m_needles) {
            if (text.find(n) == std::string_view::npos)
                continue;
            const QString line = how.isEmpty() ? QStringLiteral("%1: %2").arg(where, QString::fromStdString(n))
                                               : QStringLiteral("%1 (%2): %3").arg(where, how, QString::fromStdString(n));
            if (!rep.found.contains(line))
                rep.found << line;
        }
    }

    void scanRows(const QString &dbPath, Report &rep)
    {
        sqlite3 *db = nullptr;
        const QByteArray path = dbPath.toUtf8();
        if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            rep.found << QStringLiteral("cannot open %1: %2").arg(dbPath, QString::fromUtf8(sqlite3_errmsg(db)));
            sqlite3_close(db);
            return;
        }
        std::vector<std::string> tables;
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table'", -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            tables.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        if (tables.empty())
            rep.found << QStringLiteral("%1 has no tables").arg(dbPath);
        for (const std::string &table : tables) {
            const std::string sql = "SELECT * FROM \"" + table + "\"";
            if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
                rep.found << QStringLiteral("cannot read table %1: %2")
                                 .arg(QString::fromStdString(table), QString::fromUtf8(sqlite3_errmsg(db)));
                continue;
            }
            int64_t row = 0;
            while (sqlite3_step(st) == SQLITE_ROW) {
                ++row;
                for (int col = 0; col < sqlite3_column_count(st); ++col) {
                    const int type = sqlite3_column_type(st, col);
                    if (type != SQLITE_TEXT && type != SQLITE_BLOB)
                        continue;
                    const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(st, col) : sqlite3_column_text(st, col);
                    const std::string_view value(static_cast<const char *>(p), size_t(sqlite3_column_bytes(st, col)));
                    ++rep.values;
                    const QString where = QStringLiteral("%1.%2 row %3")
                                              .arg(QString::fromStdString(table), QString::fromUtf8(sqlite3_column_name(st, col)))
                                              .arg(row);
                    look(value, where, rep);
                    if (value.size() >= 4 && value.substr(0, 4) == std::string_view("\x28\xB5\x2F\xFD", 4))
                        look(decompressFrame(value), where + QStringLiteral(", decompressed"), rep);
                }
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }

    std::vector<std::string> m_needles;
};

} // namespace edtest
