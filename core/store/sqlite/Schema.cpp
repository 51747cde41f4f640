#include "store/sqlite/Schema.h"

namespace ed {

const std::vector<std::string_view> &schemaMigrations()
{
    static const std::vector<std::string_view> migrations = {
        // 0 -> 1: reports, issues, shared parts, full-text index, import progress.
        R"SQL(
CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,          -- XXH3-128 of the JSON
    data BLOB NOT NULL                  -- zstd-compressed JSON
);
CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    fingerprint BLOB NOT NULL UNIQUE,
    title TEXT NOT NULL,
    culprit TEXT,
    level INTEGER NOT NULL,
    logger TEXT,
    exception_type TEXT,
    first_seen INTEGER NOT NULL,        -- ms since the epoch, UTC
    last_seen INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,   -- visible reports
    hidden_count INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,  -- 0 unresolved, 1 resolved, 2 ignored
    regression INTEGER NOT NULL DEFAULT 0,
    resolved_at INTEGER
);
CREATE INDEX issues_last_seen ON issues(last_seen);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    dedup_key BLOB NOT NULL UNIQUE,     -- hash of the event id, else of the content
    event_id TEXT,
    timestamp INTEGER NOT NULL,
    level INTEGER NOT NULL,
    logger TEXT,
    message TEXT NOT NULL,
    status_code INTEGER,
    site TEXT,
    method TEXT,
    path TEXT,
    exception_type TEXT,
    exception_value TEXT,
    remote_addr TEXT,
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    hidden_by TEXT,                     -- the rule that hides it, or NULL
    frame_count INTEGER NOT NULL DEFAULT 0,
    source TEXT,                        -- the file it came from
    body BLOB NOT NULL,                 -- zstd-compressed JSON, parts referenced by hash
    raw BLOB                            -- zstd-compressed original text when not v1 (e-mails)
);
CREATE INDEX reports_time ON reports(timestamp);
CREATE INDEX reports_level ON reports(level, timestamp);
CREATE INDEX reports_logger ON reports(logger, timestamp);
CREATE INDEX reports_status ON reports(status_code, timestamp);
CREATE INDEX reports_site ON reports(site, timestamp);
CREATE INDEX reports_path ON reports(path, timestamp);
CREATE INDEX reports_type ON reports(exception_type, timestamp);
CREATE INDEX reports_issue ON reports(issue_id, timestamp);
CREATE VIRTUAL TABLE reports_fts USING fts5(
    message, exception, path, frames,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE import_files (
    path TEXT PRIMARY KEY,              -- canonical path
    head_hash BLOB NOT NULL,            -- hash of the first bytes, to notice a replaced file
    offset INTEGER NOT NULL,            -- bytes (uncompressed) committed so far
    line INTEGER NOT NULL,              -- lines committed so far
    size INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
)SQL",
        // 1 -> 2: per-database settings (Django's names) and saved searches.
        R"SQL(
CREATE TABLE config (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL                 -- JSON
);
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL
);
)SQL",
        // 2 -> 3: send log (core/send/SendLog.h): every attempt to e-mail a report, with
        // the message kept so it can be resent.
        R"SQL(
CREATE TABLE send_log (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,        -- ms since the epoch, UTC
    report_id INTEGER,                  -- NULL for a test message; kept if the report is deleted
    issue_id INTEGER,
    audience TEXT NOT NULL,             -- admins, managers, test
    backend TEXT NOT NULL,              -- smtp, file, console
    destination TEXT NOT NULL,          -- host:port, the file written, console
    sender TEXT NOT NULL,               -- envelope sender
    recipients TEXT NOT NULL,           -- JSON array of envelope recipients
    subject TEXT NOT NULL,
    message_id TEXT,
    outcome INTEGER NOT NULL,           -- 0 sent, 1 failed, 2 cancelled
    response_code INTEGER,              -- the last SMTP reply code
    reply TEXT,                         -- the server's last reply
    error TEXT,                         -- what went wrong, naming the server
    transcript TEXT,                    -- SMTP dialogue without credentials or content
    resend_of INTEGER,                  -- the entry this one sent again
    message_bytes INTEGER NOT NULL,
    message BLOB NOT NULL               -- zstd-compressed RFC 5322 message
);
CREATE INDEX send_log_report ON send_log(report_id, id);
)SQL",
        // 3 -> 4: drop and hide rules (core/filters/FilterRules.h), and what the
        // stored reports were scrubbed with. Reports stored before this version
        // were not scrubbed: marked so `errordeck-cli rules apply` scrubs them.
        R"SQL(
CREATE TABLE filter_rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL CHECK (action IN ('hide', 'drop')),
    below_level INTEGER,                -- matches records under this level
    logger TEXT,                        -- this logger and its children
    exception_type TEXT,                -- any type in the exception chain
    message_regex TEXT,
    status_min INTEGER,
    status_max INTEGER,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE TABLE filter_state (
    name TEXT PRIMARY KEY,              -- scrubbed_with: fingerprint of the scrubbing rules
    value TEXT NOT NULL
);
INSERT INTO filter_state(name, value) SELECT 'scrubbed_with', 'none' WHERE EXISTS (SELECT 1 FROM reports);
)SQL",
        // 4 -> 5: the visible reports by time, in an index of their own. The
        // app's list and its COUNT skip over index entries only, instead of
        // reading every row to test hidden_by (a far scroll on 1M reports).
        R"SQL(
CREATE INDEX reports_visible_time ON reports(timestamp, id) WHERE hidden_by IS NULL;
)SQL",
        // 5 -> 6: the drop and hide rules that could not decide on a report (their
        // regex passed the match limit), so it stayed visible: a flag to look at.
        R"SQL(
ALTER TABLE reports ADD COLUMN undecided TEXT;
)SQL",
        // 6 -> 7: per-issue report counts by hour and by UTC day and report level
        // (store/sqlite/Rollups.h): the chart, the issue list's counts and the
        // count of a search on issue-level fields, the level and time read these
        // instead of a million reports. ReportWriter, the one path that inserts
        // reports, adds its batch's counts at commit (RollupUpkeep.h: a trigger
        // per inserted report cost 40% of an import); triggers keep them on every
        // path that deletes, hides, shows or moves a report (delete, rules apply,
        // rewrite), and so on a path added later.
        // Hours and days are floor(timestamp / length), for times before 1970 too.
        R"SQL(
CREATE TABLE issue_hours (
    issue_id INTEGER NOT NULL,
    hour INTEGER NOT NULL,              -- floor(timestamp / 3600000)
    level INTEGER NOT NULL,             -- the reports' level
    visible INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    PRIMARY KEY (hour, issue_id, level)    -- time first: a range of hours is one seek
) WITHOUT ROWID;
CREATE TABLE issue_days (
    issue_id INTEGER NOT NULL,
    day INTEGER NOT NULL,               -- floor(timestamp / 86400000), UTC
    level INTEGER NOT NULL,
    visible INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    PRIMARY KEY (day, issue_id, level)
) WITHOUT ROWID;
INSERT INTO issue_hours(issue_id, hour, level, visible, hidden)
    SELECT issue_id, (timestamp - (timestamp < 0) * 3599999) / 3600000, level, sum(hidden_by IS NULL), sum(hidden_by IS NOT NULL)
    FROM reports GROUP BY 1, 2, 3;
INSERT INTO issue_days(issue_id, day, level, visible, hidden)
    SELECT issue_id, (hour - (hour < 0) * 23) / 24, level, sum(visible), sum(hidden) FROM issue_hours GROUP BY 1, 2, 3;
CREATE TRIGGER reports_rollup_delete AFTER DELETE ON reports BEGIN
    UPDATE issue_hours SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE issue_id = old.issue_id AND hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND level = old.level;
    UPDATE issue_days SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE issue_id = old.issue_id AND day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND level = old.level;
END;
CREATE TRIGGER reports_rollup_update AFTER UPDATE OF issue_id, timestamp, level, hidden_by ON reports
    WHEN old.issue_id IS NOT new.issue_id OR old.timestamp IS NOT new.timestamp OR old.level IS NOT new.level
        OR (old.hidden_by IS NULL) <> (new.hidden_by IS NULL)
BEGIN
    UPDATE issue_hours SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE issue_id = old.issue_id AND hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND level = old.level;
    UPDATE issue_days SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE issue_id = old.issue_id AND day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND level = old.level;
    INSERT INTO issue_hours(issue_id, hour, level, visible, hidden)
        VALUES (new.issue_id, (new.timestamp - (new.timestamp < 0) * 3599999) / 3600000, new.level,
                new.hidden_by IS NULL, new.hidden_by IS NOT NULL)
        ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden;
    INSERT INTO issue_days(issue_id, day, level, visible, hidden)
        VALUES (new.issue_id, (new.timestamp - (new.timestamp < 0) * 86399999) / 86400000, new.level,
                new.hidden_by IS NULL, new.hidden_by IS NOT NULL)
        ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden;
END;
)SQL",
        // 7 -> 8: the per-issue counts also by status code, logger and exception
        // type (a missing one is X'', never equal to a value), so a search on
        // those fields (`status:`, `logger:` and its children, `type:`), alone or
        // with the level, the issue and time, is answered from the counts too
        // (Rollups.h). The generated reports give each issue one logger and type
        // and few status codes: the tables grow by a few percent. The same
        // upkeep: ReportWriter adds at commit, the triggers follow deletes and
        // updates; a key whose counts reach zero is deleted, so a logger that
        // `rules apply` scrubbed in the reports leaves no copy here. Also an
        // index for the sort by message, and one for `path:`
        // (a case-insensitive prefix, SearchSql.cpp) that holds what the issue
        // list, the count and the chart need of the visible reports, so a path
        // search reads the index only.
        R"SQL(
DROP TRIGGER reports_rollup_delete;
DROP TRIGGER reports_rollup_update;
DROP TABLE issue_hours;
DROP TABLE issue_days;
CREATE TABLE issue_hours (
    hour INTEGER NOT NULL,              -- floor(timestamp / 3600000)
    issue_id INTEGER NOT NULL,
    level INTEGER NOT NULL,             -- the reports' level
    status_code BLOB NOT NULL,          -- the reports' status code, X'' for none (BLOB: no affinity)
    logger BLOB NOT NULL,               -- their logger, X'' for none
    exception_type BLOB NOT NULL,       -- their exception type, X'' for none
    visible INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    PRIMARY KEY (hour, issue_id, level, status_code, logger, exception_type)
) WITHOUT ROWID;
CREATE TABLE issue_days (
    day INTEGER NOT NULL,               -- floor(timestamp / 86400000), UTC
    issue_id INTEGER NOT NULL,
    level INTEGER NOT NULL,
    status_code BLOB NOT NULL,
    logger BLOB NOT NULL,
    exception_type BLOB NOT NULL,
    visible INTEGER NOT NULL,
    hidden INTEGER NOT NULL,
    PRIMARY KEY (day, issue_id, level, status_code, logger, exception_type)
) WITHOUT ROWID;
INSERT INTO issue_hours(hour, issue_id, level, status_code, logger, exception_type, visible, hidden)
    SELECT (timestamp - (timestamp < 0) * 3599999) / 3600000, issue_id, level, coalesce(status_code, X''),
           coalesce(logger, X''), coalesce(exception_type, X''), sum(hidden_by IS NULL), sum(hidden_by IS NOT NULL)
    FROM reports GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO issue_days(day, issue_id, level, status_code, logger, exception_type, visible, hidden)
    SELECT (hour - (hour < 0) * 23) / 24, issue_id, level, status_code, logger, exception_type, sum(visible), sum(hidden)
    FROM issue_hours GROUP BY 1, 2, 3, 4, 5, 6;
CREATE TRIGGER reports_rollup_delete AFTER DELETE ON reports BEGIN
    UPDATE issue_hours SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    DELETE FROM issue_hours WHERE visible = 0 AND hidden = 0
        AND hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    UPDATE issue_days SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    DELETE FROM issue_days WHERE visible = 0 AND hidden = 0
        AND day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
END;
CREATE TRIGGER reports_rollup_update
    AFTER UPDATE OF issue_id, timestamp, level, hidden_by, status_code, logger, exception_type ON reports
    WHEN old.issue_id IS NOT new.issue_id OR old.timestamp IS NOT new.timestamp OR old.level IS NOT new.level
        OR (old.hidden_by IS NULL) <> (new.hidden_by IS NULL) OR old.status_code IS NOT new.status_code
        OR old.logger IS NOT new.logger OR old.exception_type IS NOT new.exception_type
BEGIN
    UPDATE issue_hours SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    DELETE FROM issue_hours WHERE visible = 0 AND hidden = 0
        AND hour = (old.timestamp - (old.timestamp < 0) * 3599999) / 3600000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    UPDATE issue_days SET visible = visible - (old.hidden_by IS NULL), hidden = hidden - (old.hidden_by IS NOT NULL)
        WHERE day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    DELETE FROM issue_days WHERE visible = 0 AND hidden = 0
        AND day = (old.timestamp - (old.timestamp < 0) * 86399999) / 86400000 AND issue_id = old.issue_id
          AND level = old.level AND status_code = coalesce(old.status_code, X'') AND logger = coalesce(old.logger, X'')
          AND exception_type = coalesce(old.exception_type, X'');
    INSERT INTO issue_hours(hour, issue_id, level, status_code, logger, exception_type, visible, hidden)
        VALUES ((new.timestamp - (new.timestamp < 0) * 3599999) / 3600000, new.issue_id, new.level,
                coalesce(new.status_code, X''), coalesce(new.logger, X''), coalesce(new.exception_type, X''),
                new.hidden_by IS NULL, new.hidden_by IS NOT NULL)
        ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden;
    INSERT INTO issue_days(day, issue_id, level, status_code, logger, exception_type, visible, hidden)
        VALUES ((new.timestamp - (new.timestamp < 0) * 86399999) / 86400000, new.issue_id, new.level,
                coalesce(new.status_code, X''), coalesce(new.logger, X''), coalesce(new.exception_type, X''),
                new.hidden_by IS NULL, new.hidden_by IS NOT NULL)
        ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden;
END;
CREATE INDEX reports_message ON reports(message, timestamp);
-- hidden_by, always NULL here (one byte), because the search names it: the index
-- then holds every column a path search's count, issue list and chart read.
CREATE INDEX reports_path_prefix ON reports(path COLLATE NOCASE, timestamp, issue_id, level, hidden_by)
    WHERE hidden_by IS NULL;

)SQL",
        // 8 -> 9: IMAP mailboxes read so far (core/imap/MailboxImporter.h): per
        // mailbox URL (never with a password), the folder's UIDVALIDITY and the
        // highest UID imported, so that a poll fetches only newer messages.
        R"SQL(
CREATE TABLE mailboxes (
    url TEXT PRIMARY KEY,               -- imaps://user@host:993/Folder
    uid_validity INTEGER NOT NULL,
    last_uid INTEGER NOT NULL,          -- every message up to this UID is imported (or was rejected)
    updated_at INTEGER NOT NULL         -- ms since the epoch
);
)SQL",
        // 9 -> 10: the sites that send with a Sentry SDK (core/receive): the
        // project number of the DSN (the report's site), a name and the public
        // key the SDK sends; and what their SDKs reported beside events
        // (sessions, client reports: "dropped N events: reason"), as counts.
        R"SQL(
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,             -- the DSN's project number
    name TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL UNIQUE,    -- 32 lowercase hex digits
    created_at INTEGER NOT NULL         -- ms since the epoch, UTC
);
CREATE TABLE site_counts (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- session, dropped
    reason TEXT NOT NULL,               -- a session's status, a client report's reason:category
    count INTEGER NOT NULL,
    PRIMARY KEY (site_id, kind, reason)
) WITHOUT ROWID;
)SQL",
        // 10 -> 11: the reports' issue, hidden flag, time and level by id, for
        // what a count, an issue list and a chart read of a word's matches
        // (SqlFilter::aggregateFromClause): a small entry each instead of the
        // report's row and its compressed body (at 1,000,000 reports, a common
        // word's issue list 220 -> under 100 ms). Appended to at import (ids grow).
        R"SQL(
CREATE INDEX reports_fts_cover ON reports(id, issue_id, hidden_by, timestamp, level);
)SQL",
        // 11 -> 12: alerts (core/alert, store/AlertStore.h). The rules; what the
        // writer committed since the alert step last looked (a range of report
        // ids per batch, and its new issues and regressions: rows only while an
        // enabled rule exists, so an import without alerts writes nothing here);
        // the per-rule, per-issue rate limit and what it held back; the releases
        // new-release rules have seen; the outbox
        // the mails wait in until a send succeeds (queued, sending, sent, gave up);
        // and the send log names the rule that sent a message.
        R"SQL(
CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: the outbox keeps the ids of removed rules
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('new-issue', 'regression', 'spike', 'level', 'new-release', 'digest')),
    query TEXT NOT NULL DEFAULT '',     -- the scope, in the search language
    recipients TEXT NOT NULL,           -- JSON array of "ADMINS", "MANAGERS" or addresses
    threshold INTEGER NOT NULL DEFAULT 0,       -- spike: reports; level: the lowest level
    window_minutes INTEGER NOT NULL DEFAULT 0,  -- spike: the window; digest: its period
    rate_limit_minutes INTEGER NOT NULL DEFAULT 60,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,        -- ms since the epoch, UTC
    held_back INTEGER NOT NULL DEFAULT 0,       -- mails the rate limit held back, all time
    last_digest_end INTEGER             -- digest: the end of the last period queued
);
CREATE TABLE alert_pending (
    id INTEGER PRIMARY KEY,
    first_report INTEGER NOT NULL,      -- the batch's report ids, inclusive
    last_report INTEGER NOT NULL,
    committed_at INTEGER NOT NULL
);
CREATE TABLE alert_events (
    report_id INTEGER PRIMARY KEY,
    new_issue INTEGER NOT NULL,
    regression INTEGER NOT NULL
);
CREATE TABLE alert_throttle (
    rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL,
    last_mail_at INTEGER NOT NULL,      -- when the last mail for it was queued
    held_back INTEGER NOT NULL DEFAULT 0,       -- since then: told in the next mail
    PRIMARY KEY (rule_id, issue_id)
) WITHOUT ROWID;
CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER,                    -- NULL once the rule is removed; its name stays
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,           -- the rule's, when it fired
    issue_id INTEGER,
    report_id INTEGER,
    reason TEXT NOT NULL,               -- "new issue", "12 reports in 10 minutes", ...
    held_back INTEGER NOT NULL DEFAULT 0,
    period_start INTEGER,               -- digest
    period_end INTEGER,
    state INTEGER NOT NULL DEFAULT 0,   -- 0 queued, 1 sending, 2 sent, 3 gave up
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_at INTEGER,
    created_at INTEGER NOT NULL,
    last_error TEXT,
    send_log_id INTEGER
);
CREATE INDEX alert_outbox_due ON alert_outbox(state, next_attempt_at);
CREATE TABLE alert_releases (           -- the releases new-release rules have seen (from the reports' extra)
    release_hash BLOB PRIMARY KEY,      -- XXH3-128 of the name: no report text here for rules apply to re-scrub
    first_report INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE send_log ADD COLUMN alert_rule TEXT;
)SQL",
        // 12 -> 13: triage that sticks (store/IssueTriage.h). Ignoring for a time
        // (ignore_until, ms) or until the issue's visible count reaches
        // ignore_until_count; resolving "in the next release" (resolved_in, the
        // hash of the release of the issue's newest report, last_release, when it
        // was resolved; a report of a release first seen later reopens it);
        // `reviewed`, what the For review view leaves out until a regression.
        // Releases by hash (never the name: it comes from the report) with the
        // time of the first report that carried each. Merges: issue_aliases sends
        // a merged issue's fingerprint to the issue it went into, and each moved
        // report keeps the issue it came from in origin_issue, so a split puts
        // it back. issues_status serves the views (Unresolved, Ignored, ...).
        // Reports stored before 13 carry no known release: learnt from new ones.
        R"SQL(
ALTER TABLE issues ADD COLUMN ignore_until INTEGER;        -- ms since the epoch; NULL: no time limit
ALTER TABLE issues ADD COLUMN ignore_until_count INTEGER;  -- unignored when count reaches this
ALTER TABLE issues ADD COLUMN resolved_in BLOB;            -- XXH3-128 of the release it was resolved in
ALTER TABLE issues ADD COLUMN last_release BLOB;           -- XXH3-128 of the release of its newest report
ALTER TABLE issues ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN origin_issue INTEGER;       -- the issue it was merged from, NULL when not moved
CREATE TABLE releases (
    hash BLOB PRIMARY KEY,              -- XXH3-128 of the release name
    first_seen INTEGER NOT NULL         -- the time of the first report that carried it
) WITHOUT ROWID;
CREATE TABLE issue_aliases (
    fingerprint BLOB PRIMARY KEY,       -- a merged issue's fingerprint
    issue_id INTEGER NOT NULL           -- the issue its reports land in
) WITHOUT ROWID;
CREATE INDEX issue_aliases_issue ON issue_aliases(issue_id);
CREATE INDEX issues_status ON issues(status, last_seen);
CREATE INDEX reports_origin ON reports(issue_id, origin_issue) WHERE origin_issue IS NOT NULL;
)SQL",
        // 13 -> 14: names PostgreSQL also accepts (docs/postgresql.md): `offset` is a
        // reserved word there, so an import file's committed byte count is byte_offset.
        R"SQL(
ALTER TABLE import_files RENAME COLUMN offset TO byte_offset;
)SQL",
        // 14 -> 15: a cap on the alert mails of a rule (ERRORDECK_ALERT_MAILS_PER_HOUR,
        // core/alert/AlertEngine.h): past it, the step queues one summary mail (an
        // outbox entry without an issue) listing the issues it folded in, here.
        R"SQL(
CREATE TABLE alert_folded (
    outbox_id INTEGER NOT NULL REFERENCES alert_outbox(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- the order the step found them in
    issue_id INTEGER NOT NULL,
    report_id INTEGER NOT NULL,         -- the report that fired
    PRIMARY KEY (outbox_id, position)
) WITHOUT ROWID;
CREATE INDEX alert_outbox_rule ON alert_outbox(rule_id, created_at);
)SQL",
    };

    return migrations;
}

} // namespace ed
