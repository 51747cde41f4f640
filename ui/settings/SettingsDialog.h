#pragma once
// Settings (Ctrl+,): the database's settings by Django's names, the same values
// `errordeck-cli config` reads and writes. Pages: recipients, e-mail server,
// 404 filters (with a tester), scrubbing, drop and hide rules, watched folders,
// display (the time zone), receiving from Sentry SDKs, IMAP mailboxes, alerts.
// Opening it reads the settings again (a Read job of the app's ConfigCache):
// until they come, it says "Loading…" and OK and Apply are disabled. Apply
// checks every field on the spot, then writes the changes in one Write job;
// OK closes once that write succeeded. A failed read or write is shown by kind.
// A saved change of the rules emits rulesChanged(): the main window applies
// them to the stored reports in the background (window/RulesController).
#include "jobs/ConfigCache.h"

#include <QDialog>
#include <functional>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace ed {

class AlertsPage;
class EmailPage;
class NotFoundPage;
class ReceivePage;
class RecipientsPage;
class RulesPage;
class ScrubbingPage;
class SettingsPage;
class WatchPage;
class MailboxesPage;
class SourcePage;
class DisplayPage;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    enum Page { Recipients, Email, NotFound, Scrubbing, Rules, Watch, Source, Display, Receive, Mailboxes, Alerts };
    SettingsDialog(const QString &dbPath, ConfigCache &config, QWidget *parent = nullptr);

    void showPage(Page p);
    // Checks every page and starts writing what changed and was taken; false
    // when a value was refused (the dialog stays on its page), or before the
    // settings are loaded, or while a write runs (then nothing happens).
    // applied() follows (after the write, if any); `then` too, with whether
    // everything was taken and written.
    bool apply(std::function<void(bool)> then = {});
    // The settings are read and shown in the pages (ready() was emitted).
    bool isReady() const { return m_ready; }
    // Whether a write started by apply() is still under way.
    bool isSaving() const { return m_saving; }
    QString statusText() const;

    RecipientsPage *recipients() const { return m_recipients; }
    EmailPage *email() const { return m_email; }
    NotFoundPage *notFound() const { return m_notFound; }
    ScrubbingPage *scrubbing() const { return m_scrubbing; }
    RulesPage *rules() const { return m_rules; }
    WatchPage *watch() const { return m_watch; }
    DisplayPage *display() const { return m_display; }
    ReceivePage *receive() const { return m_receive; }
    MailboxesPage *mailboxes() const { return m_mailboxes; }
    AlertsPage *alerts() const { return m_alerts; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    void accept() override;

Q_SIGNALS:
    void ready();
    void applied(bool ok);
    // Saved changes that decide what is hidden or scrubbed (the drop and hide
    // rules, the 404 settings, the scrubbing patterns): stored reports need them applied.
    void rulesChanged();

private:
    void loadPages();
    void setBusy(const QString &status);
    void showFailure(const QString &message);

    ConfigCache &m_config;
    bool m_ready = false, m_saving = false;
    QLabel *m_status;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    QList<SettingsPage *> m_pages;
    RecipientsPage *m_recipients;
    EmailPage *m_email;
    NotFoundPage *m_notFound;
    ScrubbingPage *m_scrubbing;
    RulesPage *m_rules;
    WatchPage *m_watch;
    SourcePage *m_source;
    DisplayPage *m_display;
    ReceivePage *m_receive;
    MailboxesPage *m_mailboxes;
    AlertsPage *m_alerts;
    QDialogButtonBox *m_buttons;
};

} // namespace ed
