#include "filters/RuleApplier.h"

#include "base/Compression.h"
#include "model/RecordTransformer.h"
#include "store/ReportStore.h"
#include "filters/FilterSet.h"
#include "send/SendLog.h"

#include <QJsonDocument>
#include <sqlite3.h>

#include <cstring>
#include <tuple>
#include <unordered_set>

namespace ed {
namespace {

std::string_view sv(const std::string &s) { return s; }
std::string_view blobOf(const Hash128 &h) { return {reinterpret_cast<const char *>(h.data()), h.size()}; }

void bindOptText(Statement &st, int i, const std::string &s)
{
    if (s.empty())
        st.bindNull(i);
    else
        st.bind(i, sv(s));
}

// hidden_by values the rules wrote; anything else (a person's choice) stays.
bool isRuleLabel(const QString &hiddenBy)
{
    return hiddenBy.startsWith(QLatin1String("404: ")) || hiddenBy.startsWith(QLatin1String("rule: "));
}

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

Error fail(const char *what, const QString &detail)
{
    return Error{QStringLiteral("rules apply: %1: %2").arg(QString::fromLatin1(what), detail)};
}

} // namespace

const std::vector<TextColumn> &RuleApplier::textColumns()
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
        {"saved_searches", "name", true, nullptr},
        {"saved_searches", "query", true, nullptr},
        {"import_files", "path", false, "the path of an imported file"},
        {"import_files", "head_hash", false, "a hash"},
        {"config", "name", false, "a setting's name"},
        {"config", "value", false, "the user's settings, the patterns themselves among them"},
        {"filter_rules", "name", false, "the user's rules"},
        {"filter_rules", "action", false, "hide or drop"},
        {"filter_rules", "logger", false, "the user's rules"},
        {"filter_rules", "exception_type", false, "the user's rules"},
        {"filter_rules", "message_regex", false, "the user's rules"},
        {"filter_state", "name", false, "a marker name"},
        {"filter_state", "value", false, "a fingerprint of the rules"},
    };
    return columns;
}

Result<bool> RuleApplier::needsRescrub(Database &db, const FilterSet &filters)
{
    auto stamp = FilterSet::scrubbedWith(db);
    if (!stamp)
        return stamp.failure();
    if (stamp->isEmpty()) {
        auto n = db.conn().scalar("SELECT EXISTS (SELECT 1 FROM reports)");
        if (!n)
            return n.failure();
        return *n != 0;
    }
    return *stamp != filters.settings().scrub.fingerprint();
}

Result<ApplySummary> RuleApplier::apply(Database &db, const FilterSet &filters, const ApplyOptions &options)
{
    ApplySummary sum;
    Connection &c = db.conn();
    auto stale = needsRescrub(db, filters);
    if (!stale)
        return stale.failure();
    const bool rescrub = options.rescrub || *stale;
    sum.scrubbed = rescrub;
    if (rescrub) {
        // Deleted and overwritten content is zeroed, not left in free pages.
        if (auto r = c.exec("PRAGMA secure_delete=ON"); !r)
            return fail("secure_delete", r.error());
    }

    Transaction tx(c, true);
    if (!tx.active())
        return fail("cannot start writing", c.lastError());

    struct Stored {
        int64_t id;
        QString hidden, undecided;
    };
    std::vector<Stored> reports;
    {
        Statement st = c.prepare("SELECT id, hidden_by, undecided FROM reports ORDER BY id");
        while (st.step())
            reports.push_back({st.int64(0), st.qtext(1), st.qtext(2)});
        if (st.errorCode() != SQLITE_DONE)
            return fail("reading reports", st.error());
    }

    // The stored record read back as it is, and (re-scrubbing) as the rules
    // scrub it now; comparing the two tells whether a report changed.
    NullScrubber noScrub;
    PartCache parts, plainParts; // cleared per report: newParts lists every part a report uses
    RecordTransformer plain(noScrub, plainParts);
    RecordTransformer scrubbing(filters, parts);
    Compressor compressor;
    ReportStore store(db);
    TransformedRecord rec, asStored;
    std::string compressed, rawCompressed;

    Statement setHidden = c.prepare("UPDATE reports SET hidden_by = ?, undecided = ? WHERE id = ?");
    Statement readRaw = c.prepare("SELECT raw FROM reports WHERE id = ?");
    Statement rewrite = c.prepare(
        "UPDATE reports SET hidden_by = ?, body = ?, raw = ?, logger = ?, message = ?, site = ?, method = ?,"
        " path = ?, exception_value = ?, remote_addr = ?, undecided = ? WHERE id = ?");
    Statement rewriteFts = c.prepare(
        "UPDATE reports_fts SET message = ?, exception = ?, path = ?, frames = ? WHERE rowid = ?");
    Statement insertPart = c.prepare("INSERT OR IGNORE INTO parts(hash, data) VALUES(?, ?)");
    for (Statement *st : {&setHidden, &readRaw, &rewrite, &rewriteFts, &insertPart})
        if (!st->valid())
            return fail("database schema mismatch", st->prepareError());

    for (const Stored &stored : reports) {
        const int64_t id = stored.id;
        const QString &oldHidden = stored.hidden;
        ++sum.reports;
        if (options.progress && sum.reports % 256 == 0)
            options.progress(sum.reports, int64_t(reports.size()));
        auto detail = store.loadReport(id);
        if (!detail) {
            ++sum.failed;
            continue;
        }
        const QByteArray json = QJsonDocument(detail->record).toJson(QJsonDocument::Compact);
        const std::string_view text(json.constData(), size_t(json.size()));
        parts.clear();
        plainParts.clear();
        if (!(rescrub ? scrubbing : plain).transform(text, false, rec)) {
            ++sum.failed;
            continue;
        }
        const FilterDecision d = filters.decide(rec.facts());
        QString hidden = d.verdict == Verdict::Keep ? QString() : d.rule;
        if (!oldHidden.isEmpty() && !isRuleLabel(oldHidden))
            hidden = oldHidden;
        if (!hidden.isEmpty())
            ++sum.hidden;
        if (oldHidden.isEmpty() && !hidden.isEmpty())
            ++sum.newlyHidden;
        else if (!oldHidden.isEmpty() && hidden.isEmpty())
            ++sum.newlyShown;
        else if (oldHidden != hidden)
            ++sum.relabelled;

        auto bindOrNull = [](Statement &st, int i, const QString &v) {
            if (v.isEmpty())
                st.bindNull(i);
            else
                st.bind(i, v);
        };
        if (!rescrub) {
            if (hidden != oldHidden || d.undecided != stored.undecided) {
                bindOrNull(setHidden, 1, hidden);
                bindOrNull(setHidden, 2, d.undecided);
                setHidden.bind(3, id);
                if (!setHidden.exec())
                    return fail("updating a report", setHidden.error());
            }
            continue;
        }

        for (const PendingPart &p : rec.newParts) {
            compressor.compress(p.json, compressed);
            insertPart.bindBlob(1, blobOf(p.hash)).bindBlob(2, compressed);
            if (!insertPart.exec())
                return fail("storing a part", insertPart.error());
        }
        bool changed = !plain.transform(text, false, asStored) || asStored.body != rec.body
            || asStored.newParts.size() != rec.newParts.size();
        for (size_t i = 0; !changed && i < rec.newParts.size(); ++i)
            changed = rec.newParts[i].hash != asStored.newParts[i].hash;
        readRaw.bind(1, id);
        std::optional<std::string> raw;
        if (readRaw.step() && !readRaw.isNull(0)) {
            auto text = decompress(readRaw.blob(0));
            if (text) {
                raw = std::move(*text);
                changed = filters.scrubText(*raw) || changed;
                compressor.compress(*raw, rawCompressed);
            }
        }
        readRaw.reset();
        compressor.compress(rec.body, compressed);
        bindOrNull(rewrite, 1, hidden);
        rewrite.bindBlob(2, compressed);
        if (raw)
            rewrite.bindBlob(3, rawCompressed);
        else
            rewrite.bindNull(3);
        bindOptText(rewrite, 4, rec.logger);
        rewrite.bind(5, sv(rec.message));
        bindOptText(rewrite, 6, rec.site);
        bindOptText(rewrite, 7, rec.method);
        bindOptText(rewrite, 8, rec.path);
        bindOptText(rewrite, 9, rec.exceptionValue);
        bindOptText(rewrite, 10, rec.remoteAddr);
        bindOrNull(rewrite, 11, d.undecided);
        rewrite.bind(12, id);
        if (!rewrite.exec())
            return fail("rewriting a report", rewrite.error());
        rewriteFts.bind(1, sv(rec.message)).bind(2, sv(rec.ftsException)).bind(3, sv(rec.path)).bind(4, sv(rec.ftsFrames)).bind(5, id);
        if (!rewriteFts.exec())
            return fail("rewriting the full-text index", rewriteFts.error());
        if (changed)
            ++sum.rescrubbed;
    }

    // Issue counts follow the reports' new visibility.
    if (auto r = c.exec(
            "UPDATE issues SET count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NULL),"
            " hidden_count = (SELECT count(*) FROM reports WHERE issue_id = issues.id AND hidden_by IS NOT NULL)");
        !r)
        return fail("recounting issues", r.error());

    if (rescrub) {
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
                const bool t = filters.scrubText(it.title), u = filters.scrubText(it.culprit),
                           l = filters.scrubText(it.logger);
                if (t || u || l)
                    issues.push_back(std::move(it));
            }
        }
        Statement up = c.prepare("UPDATE issues SET title = ?, culprit = ?, logger = ? WHERE id = ?");
        for (const IssueText &it : issues) {
            up.bind(1, sv(it.title)).bind(2, sv(it.culprit));
            bindOptText(up, 3, it.logger);
            up.bind(4, it.id);
            if (!up.exec())
                return fail("rewriting an issue", up.error());
        }

        // Parts no body refers to any more (the old, unscrubbed ones).
        std::unordered_set<Hash128, Hash128Hasher> refs;
        {
            Statement st = c.prepare("SELECT body FROM reports");
            while (st.step()) {
                auto body = decompress(st.blob(0));
                if (!body)
                    return fail("reading a body back", body.error()); // never delete parts blindly
                collectPartRefs(*body, refs);
            }
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
        }
        Statement del = c.prepare("DELETE FROM parts WHERE id = ?");
        for (int64_t pid : unused) {
            del.bind(1, pid);
            if (!del.exec())
                return fail("deleting a part", del.error());
        }
        sum.partsRemoved = int64_t(unused.size());

        // What was e-mailed keeps the report's text of its day: scrubbed again too.
        auto sent = SendLog(db).rescrub(filters);
        if (!sent)
            return fail("re-scrubbing the send log", sent.error());
        sum.sendLogRescrubbed = *sent;
        std::vector<std::tuple<int64_t, std::string, std::string>> searches;
        {
            Statement st = c.prepare("SELECT id, name, query FROM saved_searches");
            while (st.step()) {
                std::string name(st.text(1)), query(st.text(2));
                const bool n = filters.scrubText(name), q = filters.scrubText(query);
                if (n || q)
                    searches.emplace_back(st.int64(0), std::move(name), std::move(query));
            }
        }
        Statement upSearch = c.prepare("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?");
        for (const auto &[sid, name, query] : searches) {
            upSearch.bind(1, sv(name)).bind(2, sv(query)).bind(3, sid);
            if (!upSearch.exec())
                return fail("rewriting a saved search", upSearch.error());
        }
        sum.searchesRescrubbed = int64_t(searches.size());
        // Merge the full-text index into one segment: the old terms go with the old segments.
        if (auto r = c.exec("INSERT INTO reports_fts(reports_fts) VALUES('optimize')"); !r)
            return fail("merging the full-text index", r.error());
        if (auto r = FilterSet::setScrubbedWith(db, filters.settings().scrub.fingerprint()); !r)
            return fail("recording the scrubbing rules", r.error());
    }
    if (auto r = tx.commit(); !r)
        return fail("commit", r.error());
    if (options.progress)
        options.progress(sum.reports, int64_t(reports.size()));

    if (rescrub) {
        // Old page images stay in the WAL until it is checkpointed; truncate it.
        Statement st = c.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
        if (st.step() && st.int64(0) != 0)
            sum.checkpoint = QStringLiteral("another connection is reading; the WAL was not truncated (run rules apply again later)");
        else if (st.errorCode() != SQLITE_ROW && st.errorCode() != SQLITE_DONE)
            sum.checkpoint = st.error();
    }
    return sum;
}

} // namespace ed
