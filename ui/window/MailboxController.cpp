#include "window/MailboxController.h"

#include "KeychainPasswords.h"
#include "imap/MailboxPoller.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "send/PasswordSource.h"
#include "views/IssueListView.h"
#include "views/ReportListView.h"
#include "views/TimelineChart.h"
#include "window/MainWindow.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace ed {
namespace {

constexpr int kProblemsShown = 3;

QString timeText(const QDateTime &t) { return QLocale().toString(t.time(), QLocale::ShortFormat); }

} // namespace

MailboxController::MailboxController(MainWindow *window, std::shared_ptr<JobRunner> jobs)
    : QObject(window), m_window(window), m_jobs(std::move(jobs))
{
    m_label = new QLabel(window);
    m_label->setObjectName(QStringLiteral("mailboxStatus"));
    m_label->hide();
    window->statusBar()->addPermanentWidget(m_label);
    connect(&window->config(), &ConfigCache::changed, this, [this](ConfigKey key) {
        if (key == ConfigKey::Mailboxes || key == ConfigKey::ServerEmail || key == ConfigKey::EmailSubjectPrefix)
            restart();
    });
    restart();
}

MailboxController::~MailboxController()
{
    // Before the database goes: the poller imports through its own connection.
    m_poller.reset();
}

void MailboxController::setIntervalMs(int ms)
{
    m_intervalMs = std::max(1, ms);
    m_running = {};
    restart();
}

void MailboxController::restart()
{
    const ConfigCache &config = m_window->config();
    QStringList problems;
    std::vector<MailboxEntry> entries = mailboxEntries(config.value(ConfigKey::Mailboxes), &problems);
    for (const QString &p : std::as_const(problems))
        m_window->statusBar()->showMessage(tr("Mailboxes: %1").arg(p), 15000);
    // Unchanged settings (another key changed, the same value written again): keep polling.
    QJsonArray wanted = mailboxesJson(entries);
    wanted.append(config.string(ConfigKey::ServerEmail));
    wanted.append(config.string(ConfigKey::EmailSubjectPrefix));
    if (wanted == m_running && (m_poller || m_passwordsPending > 0))
        return;
    m_running = wanted;
    m_poller.reset();
    const int generation = ++m_generation;
    m_entries = std::move(entries);
    m_passwords.clear();
    QHash<QString, Status> kept;
    for (const MailboxEntry &e : m_entries)
        kept.insert(e.url.toString(), m_status.value(e.url.toString(), {tr("waiting for the first poll"), {}, false}));
    m_status = kept;
    if (m_entries.empty()) {
        m_passwordsPending = 0;
        m_label->hide();
        return;
    }
    updateLabel();
    // ERRORDECK_IMAP_PASSWORD as for errordeck-cli, else each mailbox's keychain entry.
    if (qEnvironmentVariableIsSet(kImapPasswordEnvVar)) {
        for (const MailboxEntry &e : m_entries)
            m_passwords.insert(e.url.toString(), qEnvironmentVariable(kImapPasswordEnvVar));
        m_passwordsPending = 0;
        startPolling(generation);
        return;
    }
    m_passwordsPending = int(m_entries.size());
    for (const MailboxEntry &e : m_entries) {
        const QString url = e.url.toString();
        const QString key = imapKeychainKey(e.url.user, e.url.host);
        KeychainPasswords::readLater(
            e.url.user, e.url.host, this,
            [this, generation, url, key](Result<QString> read) {
                if (generation != m_generation)
                    return;
                if (read)
                    m_passwords.insert(url, *read);
                else
                    setStatus(url,
                              {tr("no password"),
                               tr("No password for %1 in the keychain (%2): set it in Settings › Mailboxes › Edit…, or set %3.")
                                   .arg(key, read.error(), QString::fromLatin1(kImapPasswordEnvVar)),
                               true});
                if (--m_passwordsPending == 0)
                    startPolling(generation);
            },
            KeychainPasswords::Account::Imap);
    }
}

void MailboxController::startPolling(int generation)
{
    if (generation != m_generation)
        return;
    const ConfigCache &config = m_window->config();
    std::vector<MailboxSettings> settings;
    for (const MailboxEntry &e : m_entries) {
        const QString url = e.url.toString();
        if (m_passwords.contains(url))
            settings.push_back(e.settings(config.string(ConfigKey::ServerEmail), config.string(ConfigKey::EmailSubjectPrefix),
                                          m_passwords.value(url)));
    }
    m_passwords.clear(); // the poller holds its copy
    if (settings.empty())
        return;
    m_poller = std::make_unique<MailboxPoller>(m_jobs->path(), std::move(settings), m_intervalMs);
    connect(m_poller.get(), &MailboxPoller::polled, this, &MailboxController::onPolled);
    connect(m_poller.get(), &MailboxPoller::error, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(tr("Mailboxes: %1").arg(message), 15000); });
    m_poller->start();
}

void MailboxController::onPolled(const QString &url, const MailboxSummary &s, int retryInMs)
{
    const QDateTime now = QDateTime::currentDateTime(), next = now.addMSecs(retryInMs);
    const QString failure = !s.import.fatal.isEmpty() ? s.import.fatal : s.serverError;
    QStringList lines;
    Status status;
    if (!failure.isEmpty()) {
        status.failing = true;
        status.text = tr("failing, next try at %1").arg(timeText(next));
        lines << tr("Failed at %1: %2").arg(timeText(now), failure);
        if (s.import.stored > 0)
            lines << tr("%n report(s) stored before the failure.", nullptr, int(s.import.stored));
    } else {
        status.text = s.import.stored > 0 ? tr("%n new at %1", nullptr, int(s.import.stored)).arg(timeText(now))
                                          : tr("checked at %1").arg(timeText(now));
        lines << tr("Polled at %1: %n message(s) fetched", nullptr, int(s.fetched)).arg(timeText(now)) +
                     tr(", %n stored", nullptr, int(s.import.stored)) +
                     tr(", %n duplicate(s)", nullptr, int(s.import.duplicates));
    }
    for (size_t i = 0; i < s.import.problems.size() && i < size_t(kProblemsShown); ++i)
        lines << s.import.problems[i].reason;
    if (s.import.problems.size() > size_t(kProblemsShown) || s.import.moreProblems > 0)
        lines << tr("and %n more problem(s)", nullptr,
                    int(s.import.problems.size() - size_t(kProblemsShown) + size_t(s.import.moreProblems)));
    lines << tr("Next poll at %1.").arg(timeText(next));
    status.detail = lines.join(u'\n');
    setStatus(url, status);
    if (s.import.stored > 0 || s.import.hidden > 0) {
        // As a watched folder's batch: the models keep the selection, WatchController the scroll positions.
        m_window->issueList()->issueModel()->refreshKeepingRows();
        m_window->reportList()->reportModel()->refreshKeepingRows();
        m_window->chart()->setQuery(m_window->currentQuery());
    }
    if (s.import.stored > 0)
        Q_EMIT stored(s.import.stored);
}

void MailboxController::setStatus(const QString &url, const Status &s)
{
    if (!m_status.contains(url))
        return; // a mailbox no longer in the settings
    m_status.insert(url, s);
    updateLabel();
    Q_EMIT statusChanged(url, s.text, s.detail, s.failing);
}

void MailboxController::updateLabel()
{
    int failing = 0;
    QStringList tip;
    for (const MailboxEntry &e : m_entries) {
        const Status s = m_status.value(e.url.toString());
        failing += s.failing ? 1 : 0;
        tip << QStringLiteral("%1 — %2").arg(e.url.toString(), s.text) +
                   (s.detail.isEmpty() ? QString() : QStringLiteral("\n") + s.detail);
    }
    const int n = int(m_entries.size());
    m_label->setText(failing == 0 ? tr("Polling %n mailbox(es)", nullptr, n)
                                  : tr("Polling %n mailbox(es), %1 failing", nullptr, n).arg(failing));
    m_label->setToolTip(tip.join(QStringLiteral("\n\n")));
    m_label->show();
}

} // namespace ed
