#pragma once
// Settings › Alerts: the alert rules (alert_rules) with what each fires on,
// its scope, recipients, rate limit, whether it is on and how many mails its
// rate limit held back; Add…/Edit… (AlertDialog, with its dry run) and Remove;
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

Q_SIGNALS:
    // The table holds what the store answered (after a load or a change).
    void rulesLoaded();
    void outboxLoaded();

private:
    void reloadRules();
    void showRules();
    void setEnabled(int row, bool on);
    void failed(const Error &e);

    std::shared_ptr<JobRunner> m_jobs;
    std::vector<AlertRule> m_shown; // by row
    QTableWidget *m_rules;
    QPushButton *m_edit, *m_remove;
    QLabel *m_outbox;
    QLabel *m_status;
};

} // namespace ed
