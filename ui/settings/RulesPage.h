#pragma once
// Settings: the drop and hide rules (filter_rules), each with how many stored
// reports it hides now, and every hidden_by reason with its count. Adding,
// removing and switching rules take effect at once for the next import, and
// rulesChanged() asks the main window to apply them to what is stored
// (window/RulesController); refreshCounts() follows when that is done.
// The rules are read by a Read job and written by Write jobs (RuleStore on
// the job's connection); the table is disabled until it has its rows.
#include "jobs/JobRunner.h"
#include "settings/SettingsPage.h"
#include "store/RuleStore.h"

#include <memory>

class QLabel;
class QTableWidget;

namespace ed {

class RulesPage : public SettingsPage {
    Q_OBJECT
public:
    explicit RulesPage(const QString &dbPath, QWidget *parent = nullptr);
    ~RulesPage() override;
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override { return true; }
    QTableWidget *rules() const { return m_rules; }
    QTableWidget *hidden() const { return m_hidden; }
    // Reads the "Hidden now" counts again (after the rules were applied).
    void refreshCounts() { reloadCounts(); }

Q_SIGNALS:
    void countsLoaded();
    // The rules table holds what the store answered (after a load or a change).
    void rulesLoaded();
    // A rule was added, removed, switched on or off (written).
    void rulesChanged();

private:
    void reloadRules();
    void reloadCounts();
    void addRule();
    void removeRule();
    void showRules(const std::vector<FilterRule> &rules);
    void showCounts();
    void failed(const Error &e);

    std::shared_ptr<JobRunner> m_jobs;
    QHash<QString, qint64> m_counts; // hidden_by -> reports
    QTableWidget *m_rules;
    QTableWidget *m_hidden;
    QLabel *m_status;
};

} // namespace ed
