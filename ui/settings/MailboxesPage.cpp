#include "settings/MailboxesPage.h"

#include "KeychainPasswords.h"
#include "imap/ImapSession.h"
#include "jobs/JobFailure.h"
#include "look/Theme.h"
#include "send/PasswordSource.h"
#include "settings/MailboxDialog.h"

#include <QBoxLayout>
#include <algorithm>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>

namespace ed {
namespace {

QString afterText(const MailboxEntry &e)
{
    switch (e.after) {
    case AfterImport::Leave: return MailboxesPage::tr("leave");
    case AfterImport::MarkRead: return MailboxesPage::tr("mark read");
    case AfterImport::Move: return MailboxesPage::tr("move to %1").arg(e.moveTo);
    }
    return {};
}

QString keyOf(const MailboxEntry &e) { return imapKeychainKey(e.url.user, e.url.host); }

// Why a test has no password: the keychain's reason, and what to do.
QString noPasswordText(const MailboxEntry &e, const QString &reason)
{
    return MailboxesPage::tr("%1: no password: type it in Edit…, or set %2 (%3)")
        .arg(e.url.toString(), QString::fromLatin1(kImapPasswordEnvVar), reason);
}

} // namespace

MailboxesPage::MailboxesPage(const QString &dbPath, QWidget *parent)
    : SettingsPage(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    auto *page = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("ErrorDeck reads Django's error e-mails from these IMAP mailboxes while the app runs: the first "
                                "poll imports what the folder holds, later ones only new messages. A failing server is tried "
                                "again later, waiting longer each time."),
                             this);
    intro->setWordWrap(true);
    page->addWidget(intro);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("mailboxList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setHeaderLabels({tr("Mailbox"), tr("After import"), tr("Status")});
    // The URL in full; the status takes the rest (the whole of it is in the detail below).
    m_list->header()->setSectionResizeMode(MailboxColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(AfterColumn, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_list->setMinimumHeight(140);
    m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * 14);
    auto *add = new QPushButton(theme::icon(QStringLiteral("add")), tr("&Add…"), this);
    add->setObjectName(QStringLiteral("addMailbox"));
    m_edit = new QPushButton(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editMailbox"));
    m_remove = new QPushButton(theme::icon(QStringLiteral("remove")), tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeMailbox"));
    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("testMailbox"));
    m_test->setToolTip(tr("Logs in and asks for the folder's status, showing the server's answer"));
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {add, m_edit, m_remove, m_test})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    page->addLayout(row);

    const auto makeLabel = [this](const char *name) {
        auto *l = new QLabel(this);
        l->setObjectName(QString::fromLatin1(name));
        l->setWordWrap(true);
        l->setTextFormat(Qt::PlainText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    m_problems = makeLabel("mailboxProblems");
    m_problems->hide();
    m_testStatus = makeLabel("mailboxTestStatus");
    m_keychain = makeLabel("mailboxKeychain");
    m_detail = makeLabel("mailboxStatusDetail");
    page->addWidget(m_detail);
    page->addWidget(m_problems);
    page->addWidget(m_testStatus);
    page->addWidget(m_keychain);
    page->addStretch(1);

    connect(add, &QPushButton::clicked, this, &MailboxesPage::openAddDialog);
    connect(m_edit, &QPushButton::clicked, this, &MailboxesPage::openEditDialog);
    connect(m_remove, &QPushButton::clicked, this, &MailboxesPage::removeSelected);
    connect(m_test, &QPushButton::clicked, this, &MailboxesPage::testSelected);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &MailboxesPage::selectionChanged);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &MailboxesPage::openEditDialog);
    selectionChanged();
}

void MailboxesPage::load(const ConfigCache &config)
{
    QStringList problems;
    m_entries = mailboxEntries(config.value(ConfigKey::Mailboxes), &problems);
    m_problems->setText(problems.join(u'\n'));
    m_problems->setVisible(!problems.isEmpty());
    if (!problems.isEmpty())
        m_problems->setStyleSheet(theme::failureStyleSheet(m_problems->palette()));
    m_unsaved.clear();
    rebuild();
}

bool MailboxesPage::apply(SettingsEdits &config)
{
    const bool ok = setValue(config, ConfigKey::Mailboxes, mailboxesJson(m_entries));
    // The passwords typed since the last Apply, for the mailboxes still listed.
    for (auto it = m_unsaved.cbegin(); it != m_unsaved.cend(); ++it) {
        const auto listed = std::find_if(m_entries.begin(), m_entries.end(),
                                         [&](const MailboxEntry &e) { return keyOf(e) == it.key(); });
        if (listed == m_entries.end())
            continue;
        m_keychain->setText(tr("Saving the password of %1 in the keychain…").arg(it.key()));
        const QString key = it.key();
        KeychainPasswords::storeLater(
            listed->url.user, listed->url.host, it.value(), this,
            [this, key](Result<void> stored) {
                m_keychain->setText(
                    stored ? tr("The password of %1 is kept in the system keychain.").arg(key)
                           : tr("The password of %1 could not be saved in the keychain: %2").arg(key, stored.error()));
                Q_EMIT keychainDone();
            },
            KeychainPasswords::Account::Imap);
    }
    m_unsaved.clear();
    return ok;
}

void MailboxesPage::keepPassword(const MailboxEntry &entry, const QString &password, bool typed)
{
    if (!typed)
        return;
    m_typed.insert(keyOf(entry), password);
    m_unsaved.insert(keyOf(entry), password);
}

bool MailboxesPage::addMailbox(const MailboxEntry &entry, const QString &password, bool passwordTyped)
{
    const QString url = entry.url.toString();
    for (const MailboxEntry &e : m_entries)
        if (e.url.toString() == url) {
            m_testStatus->setText(tr("%1 is listed already.").arg(url));
            return false;
        }
    m_entries.push_back(entry);
    keepPassword(entry, password, passwordTyped);
    rebuild();
    m_list->setCurrentItem(m_list->topLevelItem(int(m_entries.size()) - 1));
    return true;
}

bool MailboxesPage::replaceMailbox(int row, const MailboxEntry &entry, const QString &password, bool passwordTyped)
{
    if (row < 0 || size_t(row) >= m_entries.size())
        return false;
    const QString url = entry.url.toString();
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (int(i) != row && m_entries[i].url.toString() == url) {
            m_testStatus->setText(tr("%1 is listed already.").arg(url));
            return false;
        }
    m_entries[size_t(row)] = entry;
    keepPassword(entry, password, passwordTyped);
    rebuild();
    m_list->setCurrentItem(m_list->topLevelItem(row));
    return true;
}

void MailboxesPage::removeSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_entries.erase(m_entries.begin() + row);
    rebuild();
}

MailboxDialog *MailboxesPage::openAddDialog()
{
    auto *d = new MailboxDialog(this);
    d->setWindowTitle(tr("Add Mailbox"));
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QDialog::accepted, this, [this, d] {
        if (auto e = d->entry())
            addMailbox(*e, d->password(), d->passwordEdited());
    });
    d->open();
    return d;
}

MailboxDialog *MailboxesPage::openEditDialog()
{
    const int row = selectedRow();
    if (row < 0)
        return nullptr;
    auto *d = new MailboxDialog(this);
    d->setWindowTitle(tr("Edit Mailbox"));
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setEntry(m_entries[size_t(row)]);
    d->setPasswordPlaceholder(tr("unchanged (kept in the system keychain)"));
    connect(d, &QDialog::accepted, this, [this, d, row] {
        if (auto e = d->entry())
            replaceMailbox(row, *e, d->password(), d->passwordEdited());
    });
    d->open();
    return d;
}

void MailboxesPage::testSelected()
{
    const int row = selectedRow();
    if (row < 0 || m_testing)
        return;
    const MailboxEntry entry = m_entries[size_t(row)];
    m_testing = true;
    m_test->setEnabled(false);
    m_testStatus->setStyleSheet(QString());
    // The password as typed, else ERRORDECK_IMAP_PASSWORD, else the keychain's,
    // read without blocking (a hung Secret Service must not freeze the window).
    if (m_typed.contains(keyOf(entry)))
        return testWith(entry, m_typed.value(keyOf(entry)));
    if (qEnvironmentVariableIsSet(kImapPasswordEnvVar))
        return testWith(entry, qEnvironmentVariable(kImapPasswordEnvVar));
    m_testStatus->setText(tr("Reading the password of %1 from the keychain…").arg(keyOf(entry)));
    KeychainPasswords::readLater(
        entry.url.user, entry.url.host, this,
        [this, entry](Result<QString> read) {
            if (read)
                return testWith(entry, *read);
            testEnded(Error{noPasswordText(entry, read.error())});
        },
        KeychainPasswords::Account::Imap);
}

void MailboxesPage::testWith(const MailboxEntry &entry, const QString &password)
{
    m_testStatus->setText(tr("Connecting to %1…").arg(entry.url.toString()));
    m_jobs->run(
        this, {QStringLiteral("test mailbox"), JobRunner::Access::None},
        [entry, password](JobContext &) -> Result<QString> {
            ImapOptions options;
            options.url = entry.url;
            options.caFile = entry.caFile;
            options.password = password;
            options.timeoutSeconds = 20;
            ImapSession session(std::move(options));
            auto status = session.status();
            if (!status)
                return status.failure();
            return tr("Connected to %1 as %2: folder '%3' holds %n message(s) (UIDVALIDITY %4).", nullptr, int(status->messages))
                .arg(entry.url.server(), entry.url.user, entry.url.folder)
                .arg(status->uidValidity);
        },
        [this](Result<QString> answer) { testEnded(std::move(answer)); });
}

void MailboxesPage::testEnded(Result<QString> answer)
{
    m_testing = false;
    selectionChanged();
    m_testStatus->setStyleSheet(answer ? QString() : theme::failureStyleSheet(m_testStatus->palette()));
    const QString message = answer ? *answer : answer.error();
    m_testStatus->setText(message);
    Q_EMIT testFinished(answer.ok(), message);
}

QString MailboxesPage::testStatus() const { return m_testStatus->text(); }
QString MailboxesPage::statusDetail() const { return m_detail->text(); }
QString MailboxesPage::keychainStatus() const { return m_keychain->text(); }
QString MailboxesPage::problemsText() const { return m_problems->isHidden() ? QString() : m_problems->text(); }

void MailboxesPage::setStatus(const QString &url, const QString &text, const QString &detail, bool failing)
{
    m_status.insert(url, {text, detail, failing});
    rebuild();
}

void MailboxesPage::rebuild()
{
    const int row = selectedRow();
    m_list->clear();
    for (const MailboxEntry &e : m_entries) {
        const QString url = e.url.toString();
        // Shown as typed: the folder in its own script, not percent-encoded.
        const QString shown = QStringLiteral("%1://%2@%3/%4")
                                  .arg(e.url.security == ImapUrl::Security::Tls ? QStringLiteral("imaps")
                                                                                : QStringLiteral("imap"),
                                       e.url.user, e.url.server(), e.url.folder);
        auto *item = new QTreeWidgetItem(m_list, {shown, afterText(e)});
        item->setIcon(MailboxColumn, theme::icon(QStringLiteral("mail")));
        item->setToolTip(MailboxColumn, url);
        const Status s = m_status.value(url, {tr("not polled yet"), tr("The app polls it once the settings are saved."), false});
        item->setText(StatusColumn, s.text);
        item->setToolTip(StatusColumn, s.detail);
        if (s.failing)
            item->setForeground(StatusColumn, theme::errorText(m_list->palette()));
    }
    if (row >= 0 && row < m_list->topLevelItemCount())
        m_list->setCurrentItem(m_list->topLevelItem(row));
    selectionChanged();
}

int MailboxesPage::selectedRow() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() ? m_list->indexOfTopLevelItem(item) : -1;
}

void MailboxesPage::selectionChanged()
{
    const int row = selectedRow();
    const bool one = row >= 0;
    // The selected mailbox's last poll in full: the error as the importer words it, the next try.
    const Status s = one ? m_status.value(m_entries[size_t(row)].url.toString()) : Status{};
    m_detail->setText(s.detail);
    m_detail->setStyleSheet(s.failing ? theme::failureStyleSheet(m_detail->palette()) : QString());
    m_edit->setEnabled(one);
    m_remove->setEnabled(one);
    m_test->setEnabled(one && !m_testing);
}

} // namespace ed
