#pragma once
// Settings › Alerts: the alert rules (alert_rules) with what each fires on,
// its scope, recipients, rate limit, whether it is on and how many mails its
// rate limit held back; Add…/Edit… (AlertDialog, with its dry run), Remove
// and Send Test (the rule's mail now, as `errordeck-cli alerts test`: composed
// on a Read job, sent by MailJob, the server's answer in the status line);
// and the outbox's state (queued, retrying, gave up, sent). The app's alert
// step (window/AlertController) reads the rules at each round: a change acts
// at once. Read by Read jobs, written by Write jobs (AlertStore on the job's
// connection); the table is disabled until it has its rows.
#include "jobs/JobRunner.h"
#include "settings/SettingsPage.h"
#include "store/AlertStore.h"

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace ed {

class KeychainPasswords;
class MailJob;

class AlertsPage : public SettingsPage {
    Q_OBJECT
public:
    enum Column { On, Name, FiresOn, Scope, To, RateLimit, HeldBack, ColumnCount };

    explicit AlertsPage(const QString &dbPath, QWidget *parent = nullptr);
    ~AlertsPage() override;
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &) override { return true; }

    QTableWidget *rules() const { return m_rules; }
    QLabel *outboxLabel() const { return m_outbox; }
    QLabel *statusLabel() const { return m_status; }
    // Reads the outbox's state again (the alert step ran a round).
    void reloadOutbox();
    // Opens the dialog for the selected rule (Edit…), or for a new one.
    void addRule();
    void editRule();
    void removeRule();
    // Sends the selected rule's mail now (its newest report in scope).
    void sendTest();
    bool isTestRunning() const { return m_testing; }

Q_SIGNALS:
    // The table holds what the store answered (after a load or a change).
    void rulesLoaded();
    void outboxLoaded();
    // A test of Send Test ended: sent, or not and why (also in statusLabel()).
    void testFinished(bool ok, const QString &message);

private:
    void reloadRules();
    void showRules();
    void setEnabled(int row, bool on);
    void failed(const Error &e);
    void showStatus(const QString &text, bool failure);

    std::shared_ptr<JobRunner> m_jobs;
    std::vector<AlertRule> m_shown; // by row
    QTableWidget *m_rules;
    QPushButton *m_edit, *m_remove, *m_test;
    std::unique_ptr<KeychainPasswords> m_passwords;
    std::unique_ptr<MailJob> m_mailJob;
    bool m_testing = false; // composing or sending
    QLabel *m_outbox;
    QLabel *m_status;
};

} // namespace ed
