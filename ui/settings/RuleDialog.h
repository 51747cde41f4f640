#pragma once
// Settings › Drop & hide rules › Add Rule…: the rule's fields, and while they
// are edited a live preview of how many stored reports it would hide (issue
// 14): debounced, counted by RuleApplier::preview in a Read job (the stored
// rules plus this one, as apply would run them), a newer count replacing an
// older one still under way (the older job is cancelled and its answer dropped).
// OK writes the rule (a Write job; the dialog waits for the store's answer).
#include "jobs/JobRunner.h"
#include "store/RuleStore.h"

#include <QDialog>
#include <memory>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTimer;

namespace ed {

class RuleDialog : public QDialog {
    Q_OBJECT
public:
    RuleDialog(std::shared_ptr<JobRunner> jobs, QWidget *parent = nullptr);

    // The rule as the fields describe it; nullopt (and `error` set) when a field is wrong.
    std::optional<FilterRule> rule(QString *error = nullptr) const;
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *actionBox() const { return m_action; }
    QLineEdit *loggerEdit() const { return m_logger; }
    QLineEdit *typeEdit() const { return m_type; }
    QLineEdit *messageEdit() const { return m_message; }
    QLineEdit *statusEdit() const { return m_status; }
    QLabel *previewLabel() const { return m_preview; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    static constexpr int kPreviewDelayMs = 300;

Q_SIGNALS:
    // A preview count arrived and is shown (`reports`: how many it looked at).
    void previewShown(qint64 wouldHide, qint64 reports);

private:
    void schedulePreview();
    void runPreview();
    void save();

    std::shared_ptr<JobRunner> m_jobs;
    QLineEdit *m_name, *m_logger, *m_type, *m_message, *m_status;
    QComboBox *m_action, *m_below;
    QLabel *m_preview, *m_error;
    QDialogButtonBox *m_buttons;
    QTimer *m_debounce;
    quint64 m_generation = 0; // of the preview asked last: older answers are dropped
};

} // namespace ed
