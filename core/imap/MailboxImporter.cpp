#include "imap/MailboxImporter.h"

#include "store/MailboxStore.h"
#include "store/ReportWriter.h"
#include "mail/MailRecord.h"
#include "mail/MimeReader.h"
#include "model/RecordPreparer.h"

#include <QElapsedTimer>
#include <set>

namespace ed {
namespace {

// The address of a From header: "Django <root@example.com>" -> root@example.com.
QString addressOf(const std::string &from)
{
    QString f = QString::fromStdString(from).trimmed();
    const qsizetype open = f.lastIndexOf(u'<');
    if (open >= 0) {
        const qsizetype close = f.indexOf(u'>', open);
        f = f.mid(open + 1, close < 0 ? -1 : close - open - 1);
    }
    return f.trimmed().toLower();
}

} // namespace

std::optional<AfterImport> parseAfterImport(const QString &name)
{
    if (name == QLatin1String("leave"))
        return AfterImport::Leave;
    if (name == QLatin1String("mark-read"))
        return AfterImport::MarkRead;
    if (name == QLatin1String("move"))
        return AfterImport::Move;
    return std::nullopt;
}

MailboxImporter::MailboxImporter(Database &db, const Scrubber &scrubber, const RecordFilter &filter)
    : m_db(db), m_scrubber(scrubber), m_filter(filter)
{
}

void MailboxImporter::cancel()
{
    m_cancel.store(true);
    if (ImapSession *s = m_session.load())
        s->cancel();
}

MailboxSummary MailboxImporter::run(const MailboxSettings &settings)
{
    MailboxSummary out;
    ImportSummary &sum = out.import;
    QElapsedTimer clock;
    clock.start();
    m_cancel.store(false);
    const ImapUrl &url = settings.imap.url;
    const QString name = url.toString();
    auto problem = [&](const QString &reason) {
        if (sum.problems.size() < ImportSummary::kMaxProblems)
            sum.problems.push_back({name, 0, reason});
        else
            ++sum.moreProblems;
    };
    auto finish = [&] {
        sum.seconds = double(clock.elapsed()) / 1000.0;
        sum.cancelled = m_cancel.load();
        return out;
    };
    if (settings.after == AfterImport::Move && settings.moveToFolder.isEmpty()) {
        out.serverError = QStringLiteral("%1: moving after import needs the folder to move to").arg(name);
        return finish();
    }

    ImapSession session(settings.imap);
    m_session.store(&session);
    struct Forget {
        std::atomic<ImapSession *> &s;
        ~Forget() { s.store(nullptr); }
    } forget{m_session};
    if (m_cancel.load())
        session.cancel();

    auto status = session.status();
    if (!status) {
        out.serverError = status.error();
        return finish();
    }
    if (status->uidValidity == 0)
        return finish(); // an empty folder not set up yet (ImapSession::status): no position to keep
    MailboxStore positions(m_db);
    auto stored = positions.find(name);
    if (!stored) {
        sum.fatal = stored.error();
        return finish();
    }
    quint32 lastUid = 0;
    if (*stored) {
        if ((*stored)->uidValidity == status->uidValidity)
            lastUid = (*stored)->lastUid;
        else
            out.uidValidityChanged = true; // read again; the Message-IDs dedup
    }
    out.uidValidity = status->uidValidity;
    out.lastUid = lastUid;
    const quint32 validity = status->uidValidity;

    auto uids = session.uidsAbove(validity, lastUid);
    if (!uids) {
        out.serverError = uids.error();
        return finish();
    }
    // BODY[] sets \Seen: to leave the folder as it was, the unread are marked unread again.
    std::set<quint32> unread;
    if (settings.after == AfterImport::Leave && !uids->empty()) {
        auto u = session.uidsAbove(validity, lastUid, true);
        if (!u) {
            out.serverError = u.error();
            return finish();
        }
        unread.insert(u->begin(), u->end());
    }

    ReportWriter writer(m_db);
    RecordPreparer preparer(m_scrubber, m_filter, writer.knownParts());
    PreparedRecord prepared;
    std::string json, raw;
    const QString fromWanted = addressOf(settings.onlyFromServerEmail.toStdString());
    const std::string prefixWanted = settings.onlySubjectPrefix.toStdString();

    size_t next = 0;
    while (next < uids->size() && !m_cancel.load() && out.serverError.isEmpty()) {
        if (auto b = writer.begin(); !b) {
            sum.fatal = b.error();
            return finish();
        }
        std::vector<quint32> imported; // stored, duplicates, dropped: the after-import action applies
        quint32 batchLast = out.lastUid;
        for (int n = 0; n < kBatch && next < uids->size() && !m_cancel.load(); ++n, ++next) {
            const quint32 uid = (*uids)[next];
            auto message = session.fetch(validity, uid);
            if (!message) {
                if (message.errorKind() == ErrorKind::InvalidInput) { // too large: it will not get smaller
                    ++sum.rejected;
                    problem(message.error());
                    batchLast = uid;
                    continue;
                }
                if (message.errorKind() != ErrorKind::Interrupted)
                    out.serverError = message.error();
                break; // this message and the rest: next run
            }
            ++out.fetched;
            sum.bytes += message->size();
            if (unread.count(uid))
                if (auto r = session.setSeen(validity, uid, false); !r)
                    problem(r.error());
            batchLast = uid;
            const std::string_view bytes(message->constData(), size_t(message->size()));
            auto mail = mail::readMimeMessage(bytes);
            if (!mail) {
                ++sum.rejected;
                problem(QStringLiteral("message UID %1: %2").arg(uid).arg(mail.error()));
                continue;
            }
            if ((!fromWanted.isEmpty() && addressOf(mail->from) != fromWanted) ||
                (!prefixWanted.empty() && mail->subject.rfind(prefixWanted, 0) != 0)) {
                ++out.filteredOut;
                continue;
            }
            // The raw view keeps the message decoded, never transfer-encoded (see MailSource).
            raw = std::move(mail->decodedRaw);
            if (auto r = mail::mailToV1Record(*mail, json); !r) {
                ++sum.rejected;
                problem(QStringLiteral("message UID %1: %2").arg(uid).arg(r.error()));
                continue;
            }
            preparer.prepare(json, false, raw, prepared);
            const IngestResult r = writer.store(prepared, name);
            switch (r.outcome) {
            case IngestOutcome::Stored:
                ++sum.stored;
                sum.hidden += r.hiddenBy.isEmpty() ? 0 : 1;
                if (r.newIssue) {
                    ++sum.newIssues;
                    sum.newIssueIds.push_back(r.issueId);
                }
                if (r.regression) {
                    ++sum.regressions;
                    sum.regressionIds.push_back(r.issueId);
                }
                imported.push_back(uid);
                break;
            case IngestOutcome::Duplicate:
                ++sum.duplicates;
                imported.push_back(uid);
                break;
            case IngestOutcome::Dropped:
                ++sum.dropped;
                imported.push_back(uid);
                break;
            case IngestOutcome::Rejected:
                if (r.fatal) {
                    writer.rollback();
                    sum.fatal = QStringLiteral("%1: %2 (the batch in progress was rolled back; earlier batches are stored)")
                                    .arg(m_db.path(), r.reason);
                    return finish();
                }
                ++sum.rejected;
                problem(QStringLiteral("message UID %1: %2").arg(uid).arg(r.reason));
                break;
            }
        }
        if (batchLast != out.lastUid)
            if (auto p = positions.put({name, validity, batchLast}); !p) {
                writer.rollback();
                sum.fatal = p.error();
                return finish();
            }
        if (auto c = writer.commit(); !c) {
            sum.fatal = c.error();
            return finish();
        }
        out.lastUid = batchLast;
        ++sum.files;
        // Only once the reports are committed: a message moved away is never lost.
        for (const quint32 uid : imported) {
            Result<void> r;
            if (settings.after == AfterImport::MarkRead)
                r = session.setSeen(validity, uid, true);
            else if (settings.after == AfterImport::Move)
                r = session.moveTo(validity, uid, settings.moveToFolder);
            if (!r)
                problem(r.error());
        }
    }
    if (out.uidValidityChanged && out.lastUid == 0 && out.serverError.isEmpty() && sum.fatal.isEmpty())
        // An empty recreated folder: remember its UIDVALIDITY all the same.
        if (auto p = positions.put({name, validity, 0}); !p)
            sum.fatal = p.error();
    if (!*stored && out.lastUid == 0 && sum.fatal.isEmpty())
        (void)positions.put({name, validity, 0});
    if (sum.stored > 0)
        (void)m_db.refreshQueryStatistics(sum.stored);
    return finish();
}

} // namespace ed
