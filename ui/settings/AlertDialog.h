#pragma once
// Settings › Alerts › Add…/Edit…: a rule's name, kind and the kind's numbers
// (spike: N reports in T minutes; level: the lowest level; digest: daily or
// weekly), its scope in the search language, recipients, rate limit and
// whether it is on. While it is edited a dry run says what it would have sent
// over the stored reports of the last 7 days, as `errordeck-cli alerts add
// --dry-run` computes it (AlertEngine::dryRun, in a job, debounced; a newer
// one replaces an older). OK writes the rule (a Write job; the dialog waits).
#include "jobs/JobRunner.h"
#include "store/AlertStore.h"

#include <QDialog>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace ed {

class AlertDialog : public QDialog {
    Q_OBJECT
public:
    // `editing`: the stored rule to change (its id kept); none: a new rule.
    AlertDialog(std::shared_ptr<JobRunner> jobs, std::optional<AlertRule> editing, QWidget *parent = nullptr);

    // The rule as the fields describe it, checked (AlertEngine::check); nullopt and `error` when not.
    std::optional<AlertRule> rule(QString *error = nullptr) const;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *queryEdit() const { return m_query; }
    QLineEdit *recipientsEdit() const { return m_recipients; }
    QSpinBox *countBox() const { return m_count; }
    QSpinBox *minutesBox() const { return m_minutes; }
    QComboBox *levelBox() const { return m_level; }
    QComboBox *periodBox() const { return m_period; }
    QSpinBox *rateLimitBox() const { return m_rateLimit; }
    QCheckBox *enabledBox() const { return m_enabled; }
    QLabel *dryRunLabel() const { return m_dryRun; }
    QLabel *errorLabel() const { return m_error; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    static constexpr int kDryRunDelayMs = 300;
    static constexpr int kDryRunDays = 7;

Q_SIGNALS:
    // A dry run's answer is shown.
    void dryRunShown(qint64 mails, qint64 reports);

private:
    std::optional<AlertRule> fromFields(QString *error, bool needName) const;
    void showKindFields();
    void scheduleDryRun();
    void runDryRun();
    void save();

    std::shared_ptr<JobRunner> m_jobs;
    std::optional<AlertRule> m_editing;
    QFormLayout *m_form;
    QLineEdit *m_name, *m_query, *m_recipients;
    QComboBox *m_kind, *m_level, *m_period;
    QSpinBox *m_count, *m_minutes, *m_rateLimit;
    QCheckBox *m_enabled;
    QLabel *m_dryRun, *m_error;
    QDialogButtonBox *m_buttons;
    QTimer *m_debounce;
    quint64 m_generation = 0; // of the dry run asked last: older answers are dropped
};

} // namespace ed
