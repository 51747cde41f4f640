#pragma once
// Settings: the drop and hide rules (filter_rules), each with how many stored
// reports it hides now, and every hidden_by reason with its count. Adding,
// removing and switching rules take effect at once for the next import.
#include "jobs/JobRunner.h"
#include "settings/SettingsPage.h"

#include <memory>

class QTableWidget;

namespace ed {

class RulesPage : public SettingsPage {
    Q_OBJECT
public:
    explicit RulesPage(Database &db, QWidget *parent = nullptr);
    ~RulesPage() override;
    void load(const Config &config) override;
    bool apply(Config &config) override { return true; }
    QTableWidget *rules() const { return m_rules; }
    QTableWidget *hidden() const { return m_hidden; }

Q_SIGNALS:
    void countsLoaded();

private:
    void reloadRules();
    void reloadCounts();
    void addRule();
    void removeRule();

    Database &m_db;
    std::shared_ptr<JobRunner> m_jobs;
    QHash<QString, qint64> m_counts; // hidden_by -> reports
    QTableWidget *m_rules;
    QTableWidget *m_hidden;
};

} // namespace ed
