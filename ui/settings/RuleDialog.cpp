#include "settings/RuleDialog.h"

#include "base/Level.h"
#include "filters/FilterRules.h"
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"
#include "jobs/JobFailure.h"
#include "look/Theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>

#include <algorithm>

namespace ed {
namespace {

// What the preview job answers.
struct RuleCount {
    qint64 wouldHide = 0, reports = 0;
};

} // namespace

RuleDialog::RuleDialog(std::shared_ptr<JobRunner> jobs, QWidget *parent) : QDialog(parent), m_jobs(std::move(jobs))
{
    setObjectName(QStringLiteral("ruleDialog"));
    setWindowTitle(tr("Add rule"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("ruleName"));
    m_action = new QComboBox(this);
    m_action->addItems({tr("Hide"), tr("Drop")});
    m_below = new QComboBox(this);
    m_below->addItem(tr("(any level)"), 0);
    for (int l : {level::Info, level::Warning, level::Error, level::Critical})
        m_below->addItem(tr("below %1").arg(levelName(l)), l);
    m_logger = new QLineEdit(this);
    m_logger->setObjectName(QStringLiteral("ruleLogger"));
    m_logger->setPlaceholderText(QStringLiteral("django.security"));
    m_type = new QLineEdit(this);
    m_type->setPlaceholderText(QStringLiteral("UnreadablePostError"));
    m_message = new QLineEdit(this);
    m_message->setPlaceholderText(tr("a regex searched in the message"));
    m_status = new QLineEdit(this);
    m_status->setPlaceholderText(QStringLiteral("404, 400-499, 4xx"));
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("rulePreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::PlainText);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Action:"), m_action);
    form->addRow(tr("&Level:"), m_below);
    form->addRow(tr("L&ogger:"), m_logger);
    form->addRow(tr("&Exception type:"), m_type);
    form->addRow(tr("&Message:"), m_message);
    form->addRow(tr("&Status:"), m_status);
    form->addRow(tr("Stored reports:"), m_preview);
    form->addRow(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(m_buttons);
    // Room for a regex and the preview's sentence (Qt's size hint made it 249 px wide).
    setMinimumWidth(480);
    resize(std::max(560, sizeHint().width()), sizeHint().height());
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RuleDialog::save);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kPreviewDelayMs); // not one count per key typed
    connect(m_debounce, &QTimer::timeout, this, &RuleDialog::runPreview);
    for (QLineEdit *e : {m_name, m_logger, m_type, m_message, m_status})
        connect(e, &QLineEdit::textChanged, this, &RuleDialog::schedulePreview);
    for (QComboBox *c : {m_action, m_below})
        connect(c, &QComboBox::currentIndexChanged, this, &RuleDialog::schedulePreview);
    schedulePreview();
}

std::optional<FilterRule> RuleDialog::rule(QString *error) const
{
    FilterRule r;
    r.name = m_name->text().trimmed();
    r.action = m_action->currentIndex() == 1 ? RuleAction::Drop : RuleAction::Hide;
    if (m_below->currentData().toInt() > 0)
        r.belowLevel = m_below->currentData().toInt();
    r.logger = m_logger->text().trimmed();
    r.exceptionType = m_type->text().trimmed();
    r.messagePattern = m_message->text().trimmed();
    if (!m_status->text().trimmed().isEmpty()) {
        int lo = 0, hi = 0;
        if (!parseStatusRange(m_status->text().trimmed(), lo, hi)) {
            if (error)
                *error = tr("The status is not a code or a range.");
            return std::nullopt;
        }
        r.statusMin = lo;
        r.statusMax = hi;
    }
    return r;
}

void RuleDialog::schedulePreview()
{
    ++m_generation; // what is counted now is stale from here on
    m_jobs->cancel(this, QStringLiteral("rule preview"));
    m_debounce->start();
}

void RuleDialog::runPreview()
{
    QString why;
    std::optional<FilterRule> draft = rule(&why);
    if (!draft) {
        m_preview->setText(why);
        return;
    }
    if (!draft->hasCondition()) {
        m_preview->setText(tr("Give a level, logger, exception type, message or status."));
        return;
    }
    if (draft->name.isEmpty())
        draft->name = tr("(new rule)");
    m_preview->setText(tr("Counting…"));
    const quint64 generation = m_generation;
    m_jobs->run(
        this, {QStringLiteral("rule preview")},
        [draft = *draft](JobContext &ctx) -> Result<RuleCount> {
            auto stored = FilterSet::load(ctx.db());
            if (!stored)
                return stored.failure();
            FilterSet::Settings settings = (*stored)->settings();
            for (const FilterRule &r : settings.rules)
                if (r.name == draft.name)
                    return Error{QCoreApplication::translate("RuleDialog", "A rule named '%1' exists already.").arg(r.name),
                                 ErrorKind::InvalidInput};
            settings.rules.push_back(draft); // last, as RuleStore::add puts it
            auto withDraft = FilterSet::create(settings);
            if (!withDraft)
                return withDraft.failure();
            ApplyOptions opts;
            opts.cancelled = [&ctx] { return ctx.isCancelled(); };
            auto counted = RuleApplier::preview(ctx.db(), **withDraft, opts);
            if (!counted)
                return counted.failure();
            return RuleCount{counted->hiddenBy(draft.label()), counted->reports};
        },
        [this, generation](Result<RuleCount> counted) {
            if (generation != m_generation)
                return; // the fields changed since: a newer count comes
            if (!counted) {
                m_preview->setText(failureText(counted));
                return;
            }
            m_preview->setText(tr("Would hide %L1 of the %L2 stored reports").arg(counted->wouldHide).arg(counted->reports));
            Q_EMIT previewShown(counted->wouldHide, counted->reports);
        });
}

void RuleDialog::save()
{
    QString why;
    const std::optional<FilterRule> r = rule(&why);
    if (!r) {
        m_error->setText(why);
        return;
    }
    // Checked and stored by the store on the writer; the dialog waits for its answer.
    m_buttons->setEnabled(false);
    m_error->setText(tr("Saving…"));
    m_jobs->run(
        this, {QStringLiteral("add rule"), JobRunner::Access::Write},
        [r = *r](JobContext &ctx) { return RuleStore(ctx.db()).add(r); },
        [this](Result<int64_t> added) {
            m_buttons->setEnabled(true);
            if (!added) {
                m_error->setText(failureText(added));
                return;
            }
            accept();
        });
}

} // namespace ed
