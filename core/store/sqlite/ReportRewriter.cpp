#include "store/ReportRewriter.h"

#include "base/Compression.h"
#include "base/Hash.h"
#include "model/Filter.h"
#include "model/RecordTransformer.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <cstring>
#include <tuple>
#include <unordered_set>

namespace ed {
namespace {

std::string_view sv(const std::string &s) { return s; }
std::string_view blobOf(const Hash128 &h) { return {reinterpret_cast<const char *>(h.data()), h.size()}; }

// The part hashes a stored body refers to: {"$merge":"<32 hex>"}.
void collectPartRefs(std::string_view body, std::unordered_set<Hash128, Hash128Hasher> &refs)
{
    constexpr std::string_view tag = "\"$merge\":\"";
    for (size_t at = body.find(tag); at != std::string_view::npos; at = body.find(tag, at + tag.size())) {
        Hash128 h;
        if (fromHex(body.substr(at + tag.size(), 32), h))
            refs.insert(h);
    }
}

Result<void> ran(Statement &st)
{
    if (!st.exec())
        return st.failure();
    return {};
}

} // namespace

struct ReportRewriter::Statements {
    std::optional<Transaction> tx; // first: rolled back after the statements are gone
    Statement setHidden, readRaw, rewrite, rewriteFts, insertPart;
    Compressor compressor;
    std::string compressed, rawCompressed;
};

const std::vector<TextColumn> &ReportRewriter::textColumns()
{
    static const std::vector<TextColumn> columns = {
        {"reports", "body", true, nullptr},
        {"reports", "raw", true, nullptr},
        {"reports", "logger", true, nullptr},
        {"reports", "message", true, nullptr},
        {"reports", "site", true, nullptr},
        {"reports", "method", true, nullptr},
        {"reports", "path", true, nullptr},
        {"reports", "exception_value", true, nullptr},
        {"reports", "remote_addr", true, nullptr},
        {"reports", "hidden_by", true, nullptr},
        {"reports", "undecided", false, "the labels of the user's own rules that could not decide"},
        {"reports", "dedup_key", false, "a hash"},
        {"reports", "event_id", false, "a UUID the handler made"},
        {"reports", "exception_type", false, "a Python class name"},
        {"reports", "source", false, "the path of the imported file"},
        {"reports_fts", "message", true, nullptr},
        {"reports_fts", "exception", true, nullptr},
        {"reports_fts", "path", true, nullptr},
        {"reports_fts", "frames", true, nullptr},
        {"parts", "data", true, nullptr},
        {"parts", "hash", false, "a hash"},
        {"issues", "title", true, nullptr},
        {"issues", "culprit", true, nullptr},
        {"issues", "fingerprint", false, "a hash"},
        {"issues", "logger", true, nullptr},
        {"issues", "exception_type", false, "a Python class name"},
        {"issues", "resolved_in", false, "a hash of a release name"},
        {"issues", "last_release", false, "a hash of a release name"},
        {"releases", "hash", false, "a hash of a release name"},
        {"issue_aliases", "fingerprint", false, "a hash"},
        {"send_log", "subject", true, nullptr},
        {"send_log", "reply", true, nullptr},
        {"send_log", "error", true, nullptr},
        {"send_log", "transcript", true, nullptr},
        {"send_log", "message", true, nullptr},
        {"send_log", "audience", false, "admins, managers or test"},
        {"send_log", "backend", false, "smtp, file or console"},
        {"send_log", "destination", false, "the server or file, from the settings"},
        {"send_log", "sender", false, "SERVER_EMAIL, from the settings"},
        {"send_log", "recipients", false, "addresses from the settings or typed in"},
        {"send_log", "message_id", false, "made by GMime"},
        {"issue_hours", "logger", true, nullptr}, // the reports' trigger moves the counts to the new logger
        {"issue_days", "logger", true, nullptr},
        {"issue_hours", "status_code", false, "a status code (X'' for none)"},
        {"issue_days", "status_code", false, "a status code (X'' for none)"},
        {"issue_hours", "exception_type", false, "a Python class name"},
        {"issue_days", "exception_type", false, "a Python class name"},
        {"saved_searches", "name", true, nullptr},
        {"saved_searches", "query", true, nullptr},
        {"sites", "name", false, "a site's name, typed in by the user"},
        {"sites", "public_key", false, "a random key made by SiteStore"},
        {"site_counts", "kind", false, "one of two words of the receiver's"},
        {"site_counts", "reason", false, "a session status or an SDK's discard reason and category, never report text"},
        {"import_files", "path", false, "the path of an imported file"},
        {"import_files", "head_hash", false, "a hash"},
        {"mailboxes", "url", false, "an IMAP mailbox URL, never with a password (core/imap/ImapUrl.h)"},
        {"config", "name", false, "a setting's name"},
        {"config", "value", false, "the user's settings, the patterns themselves among them"},
        {"filter_rules", "name", false, "the user's rules"},
        {"filter_rules", "action", false, "hide or drop"},
        {"filter_rules", "logger", false, "the user's rules"},
        {"filter_rules", "exception_type", false, "the user's rules"},
        {"filter_rules", "message_regex", false, "the user's rules"},
        {"filter_state", "name", false, "a marker name"},
        {"filter_state", "value", false, "a fingerprint of the rules"},
        {"send_log", "alert_rule", false, "the name of the user's alert rule"},
        {"alert_rules", "name", false, "the user's alert rules"},
        {"alert_rules", "kind", false, "one of the alert kinds"},
        {"alert_rules", "query", false, "the user's alert rules"},
        {"alert_rules", "recipients", false, "ADMINS, MANAGERS or addresses typed in"},
        {"alert_outbox", "rule_name", false, "the name of the user's alert rule"},
        {"alert_outbox", "kind", false, "one of the alert kinds"},
        {"alert_outbox", "recipients", false, "the alert rule's recipients"},
        {"alert_outbox", "reason", false, "the rule's own words and numbers, never report text (AlertEngine::describe)"},
        {"alert_outbox", "last_error", false,
         "our message for a failure before any attempt, or the send log entry that holds the attempt's error"},
        {"alert_releases", "release_hash", false, "a hash"},
    };
    return columns;
}

ReportRewriter::ReportRewriter(Database &db) : m_db(db), m_sql(std::make_unique<Statements>()) { }

ReportRewriter::~ReportRewriter() = default;

Result<void> ReportRewriter::zeroDeletedContent()
{
    // PostgreSQL has no secure_delete: old row versions stay until VACUUM
    // reuses their space (docs/postgresql.md names it as a limit).
    if (connectionOf(m_db).engine() == Engine::Postgres)
        return {};
    return connectionOf(m_db).exec("PRAGMA secure_delete=ON");
}

Result<void> ReportRewriter::begin()
{
    Connection &c = connectionOf(m_db);
    m_sql->tx.emplace(c, true);
    if (!m_sql->tx->active())
        return c.failure();
    if (m_sql->setHidden.valid()) // prepared by an earlier batch
        return {};
    m_sql->setHidden = c.prepare("UPDATE reports SET hidden_by = ?, undecided = ? WHERE id = ?");
    m_sql->readRaw = c.prepare("SELECT raw FROM reports WHERE id = ?");
    m_sql->rewrite = c.prepare(
        "UPDATE reports SET hidden_by = ?, body = ?, raw = ?, logger = ?, message = ?, site = ?, method = ?,"
        " path = ?, exception_value = ?, remote_addr = ?, undecided = ? WHERE id = ?");
    m_sql->rewriteFts = c.prepare(sqldialect::ftsRewrite(dialectOf(c)).toStdString());
    m_sql->insertPart = c.prepare("INSERT INTO parts(hash, data) VALUES(?, ?) ON CONFLICT(hash) DO NOTHING");
    for (Statement *st : {&m_sql->setHidden, &m_sql->readRaw, &m_sql->rewrite, &m_sql->rewriteFts, &m_sql->insertPart})
        if (!st->valid())
            return Error{QStringLiteral("database schema mismatch: %1").arg(st->prepareError()), ErrorKind::Corrupt};
    return {};
}

Result<void> ReportRewriter::commit()
{
    if (!m_sql->tx)
        return Error{QStringLiteral("no transaction to commit")};
    return m_sql->tx->commit();
}

Result<std::vector<StoredVisibility>> ReportRewriter::visibility()
{
    Statement st = connectionOf(m_db).prepare("SELECT id, issue_id, hidden_by, undecided FROM reports ORDER BY id");
    std::vector<StoredVisibility> out;
    while (st.step())
        out.push_back({st.int64(0), st.int64(1), st.qtext(2), st.qtext(3)});
    if (!st.done())
        return st.failure();
    return out;
}

Result<void> ReportRewriter::setVisibility(int64_t id, const QString &hiddenBy, const QString &undecided)
{
    Statement &st = m_sql->setHidden;
    st.bindTextOrNull(1, hiddenBy).bindTextOrNull(2, undecided).bind(3, id);
    return ran(st);
}

std::optional<std::string> ReportRewriter::raw(int64_t id)
{
    Statement &st = m_sql->readRaw;
    st.bind(1, id);
    std::optional<std::string> out;
    if (st.step() && !st.isNull(0)) {
        if (auto text = decompress(st.blob(0)))
            out = std::move(*text);
    }
    st.reset();
    return out;
}

Result<void> ReportRewriter::rewrite(int64_t id, const TransformedRecord &rec, const std::optional<std::string> &raw,
                                     const QString &hiddenBy, const QString &undecided)
{
    Statements &s = *m_sql;
    for (const PendingPart &p : rec.newParts) {
        s.compressor.compress(p.json, s.compressed);
        s.insertPart.bindBlob(1, blobOf(p.hash)).bindBlob(2, s.compressed);
        if (auto r = ran(s.insertPart); !r)
            return r;
    }
    s.compressor.compress(rec.body, s.compressed);
    s.rewrite.bindTextOrNull(1, hiddenBy).bindBlob(2, s.compressed);
    if (raw) {
        s.compressor.compress(*raw, s.rawCompressed);
        s.rewrite.bindBlob(3, s.rawCompressed);
    } else {
        s.rewrite.bindNull(3);
    }
    s.rewrite.bindTextOrNull(4, sv(rec.logger)).bind(5, sv(rec.message)).bindTextOrNull(6, sv(rec.site));
    s.rewrite.bindTextOrNull(7, sv(rec.method)).bindTextOrNull(8, sv(rec.path)).bindTextOrNull(9, sv(rec.exceptionValue));
    s.rewrite.bindTextOrNull(10, sv(rec.remoteAddr)).bindTextOrNull(11, undecided).bind(12, id);
    if (auto r = ran(s.rewrite); !r)
        return r;
    s.rewriteFts.bind(1, sv(rec.message))
        .bind(2, sv(rec.ftsException))
        .bind(3, sv(rec.path))
        .bind(4, sv(rec.ftsFrames))
        .bind(5, id);
    return ran(s.rewriteFts);
}

Result<void> ReportRewriter::recountIssues()
{
    return connectionOf(m_db).exec(
        "UPDATE issues SET count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NULL),"
        " hidden_count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NOT NULL)");
}

Result<void> ReportRewriter::recountIssues(const std::vector<int64_t> &issueIds)
{
    Statement st = connectionOf(m_db).prepare(
        "UPDATE issues SET count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NULL),"
        " hidden_count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NOT NULL) WHERE id = ?");
    for (int64_t id : issueIds) {
        st.bind(1, id);
        if (auto r = ran(st); !r)
            return r;
    }
    return {};
}

Result<int64_t> ReportRewriter::rescrubIssues(const Scrubber &scrubber)
{
    Connection &c = connectionOf(m_db);
    // Issue titles and culprits come from messages and exception values.
    struct IssueText {
        int64_t id;
        std::string title, culprit, logger;
    };
    std::vector<IssueText> issues;
    {
        Statement st = c.prepare("SELECT id, title, culprit, logger FROM issues");
        while (st.step()) {
            IssueText it{st.int64(0), std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(3))};
            const bool t = scrubber.scrubText(it.title), u = scrubber.scrubText(it.culprit), l = scrubber.scrubText(it.logger);
            if (t || u || l)
                issues.push_back(std::move(it));
        }
        if (!st.done())
            return st.failure();
    }
    Statement up = c.prepare("UPDATE issues SET title = ?, culprit = ?, logger = ? WHERE id = ?");
    for (const IssueText &it : issues) {
        up.bind(1, sv(it.title)).bind(2, sv(it.culprit)).bindTextOrNull(3, sv(it.logger)).bind(4, it.id);
        if (auto r = ran(up); !r)
            return r.failure();
    }
    return int64_t(issues.size());
}

Result<int64_t> ReportRewriter::rescrubSavedSearches(const Scrubber &scrubber)
{
    Connection &c = connectionOf(m_db);
    std::vector<std::tuple<int64_t, std::string, std::string>> searches;
    {
        Statement st = c.prepare("SELECT id, name, query FROM saved_searches");
        while (st.step()) {
            std::string name(st.text(1)), query(st.text(2));
            const bool n = scrubber.scrubText(name), q = scrubber.scrubText(query);
            if (n || q)
                searches.emplace_back(st.int64(0), std::move(name), std::move(query));
        }
        if (!st.done())
            return st.failure();
    }
    Statement up = c.prepare("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?");
    for (const auto &[id, name, query] : searches) {
        up.bind(1, sv(name)).bind(2, sv(query)).bind(3, id);
        if (auto r = ran(up); !r)
            return r.failure();
    }
    return int64_t(searches.size());
}

Result<int64_t> ReportRewriter::removeUnreferencedParts()
{
    Connection &c = connectionOf(m_db);
    std::unordered_set<Hash128, Hash128Hasher> refs;
    {
        Statement st = c.prepare("SELECT body FROM reports");
        while (st.step()) {
            auto body = decompress(st.blob(0));
            if (!body) // never delete parts blindly
                return Error{QStringLiteral("reading a body back: %1").arg(body.error()), ErrorKind::Corrupt};
            collectPartRefs(*body, refs);
        }
        if (!st.done())
            return st.failure();
    }
    std::vector<int64_t> unused;
    {
        Statement st = c.prepare("SELECT id, hash FROM parts");
        while (st.step()) {
            const std::string_view b = st.blob(1);
            Hash128 h{};
            if (b.size() == h.size())
                std::memcpy(h.data(), b.data(), h.size());
            if (!refs.count(h))
                unused.push_back(st.int64(0));
        }
        if (!st.done())
            return st.failure();
    }
    Statement del = c.prepare("DELETE FROM parts WHERE id = ?");
    for (int64_t id : unused) {
        del.bind(1, id);
        if (auto r = ran(del); !r)
            return r.failure();
    }
    return int64_t(unused.size());
}

Result<void> ReportRewriter::optimizeFullText()
{
    // A tsvector row holds only its report's words, rewritten with the row; GIN
    // keeps no segments of old terms to merge.
    if (connectionOf(m_db).engine() == Engine::Postgres)
        return {};
    return connectionOf(m_db).exec("INSERT INTO reports_fts(reports_fts) VALUES('optimize')");
}

QString ReportRewriter::truncateLog()
{
    if (connectionOf(m_db).engine() == Engine::Postgres)
        return {}; // the server's WAL is the server's: recycled at its checkpoints
    // Columns: busy, frames in the WAL, frames checkpointed.
    Statement st = connectionOf(m_db).prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    const bool row = st.step();
    if (row && st.int64(0) != 0)
        return QStringLiteral("another connection is reading; the WAL was not truncated (run rules apply again later)");
    if (!row && !st.done())
        return st.error();
    return {};
}

} // namespace ed
