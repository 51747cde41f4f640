#include "settings/AlertDialog.h"

#include "alert/AlertEngine.h"
#include "base/Level.h"
#include "jobs/JobFailure.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimer>

#include <algorithm>

namespace ed {
namespace {

constexpr int kDailyMinutes = 1440, kWeeklyMinutes = 10080;
constexpr int kMaxMinutes = 525600; // a year, as errordeck-cli alerts takes them

// "admins, ops@example.com" -> ADMINS and the address, as `alerts add --to` reads it.
QStringList recipientsFrom(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString r = part.trimmed();
        if (r.isEmpty())
            continue;
        if (r.compare(QLatin1String("admins"), Qt::CaseInsensitive) == 0)
            out << QStringLiteral("ADMINS");
        else if (r.compare(QLatin1String("managers"), Qt::CaseInsensitive) == 0)
            out << QStringLiteral("MANAGERS");
        else
            out << r;
    }
    return out;
}

QSpinBox *makeMinutesBox(QWidget *parent, int min, int value)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, kMaxMinutes);
    box->setValue(value);
    box->setSuffix(QCoreApplication::translate("AlertDialog", " min"));
    return box;
}

} // namespace

AlertDialog::AlertDialog(std::shared_ptr<JobRunner> jobs, std::optional<AlertRule> editing, QWidget *parent)
    : QDialog(parent), m_jobs(std::move(jobs)), m_editing(std::move(editing))
{
    setObjectName(QStringLiteral("alertDialog"));
    setWindowTitle(m_editing ? tr("Edit alert") : tr("Add alert"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("alertName"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("alertKind"));
    m_kind->addItem(tr("New issue"), int(AlertKind::NewIssue));
    m_kind->addItem(tr("Regression (a resolved issue seen again)"), int(AlertKind::Regression));
    m_kind->addItem(tr("Spike (N reports of an issue in T minutes)"), int(AlertKind::Spike));
    m_kind->addItem(tr("Level (a report at or above a level)"), int(AlertKind::Level));
    m_kind->addItem(tr("New release (its first report)"), int(AlertKind::NewRelease));
    m_kind->addItem(tr("Digest (daily or weekly)"), int(AlertKind::Digest));
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("alertCount"));
    m_count->setRange(1, 1'000'000'000);
    m_count->setValue(10);
    m_count->setSuffix(tr(" reports"));
    m_minutes = makeMinutesBox(this, 1, 10);
    m_minutes->setObjectName(QStringLiteral("alertMinutes"));
    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("alertLevel"));
    for (int l : {level::Debug, level::Info, level::Warning, level::Error, level::Critical})
        m_level->addItem(tr("%1 or above").arg(levelName(l)), l);
    m_level->setCurrentIndex(3); // ERROR, as `alerts add --kind level` defaults
    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("alertPeriod"));
    m_period->addItem(tr("Daily"), kDailyMinutes);
    m_period->addItem(tr("Weekly"), kWeeklyMinutes);
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("alertQuery"));
    m_query->setPlaceholderText(tr("every report, or a search: site:shop.example.com level:error"));
    m_recipients = new QLineEdit(QStringLiteral("ADMINS"), this);
    m_recipients->setObjectName(QStringLiteral("alertRecipients"));
    m_recipients->setPlaceholderText(tr("ADMINS, MANAGERS and addresses, comma-separated"));
    m_rateLimit = makeMinutesBox(this, 0, 60);
    m_rateLimit->setObjectName(QStringLiteral("alertRateLimit"));
    m_rateLimit->setSpecialValueText(tr("no limit"));
    m_rateLimit->setToolTip(tr("At most one mail per issue in this many minutes; the others are counted as held back."));
    m_enabled = new QCheckBox(tr("On"), this);
    m_enabled->setObjectName(QStringLiteral("alertEnabled"));
    m_enabled->setChecked(true);
    m_dryRun = new QLabel(this);
    m_dryRun->setObjectName(QStringLiteral("alertDryRun"));
    m_dryRun->setWordWrap(true);
    m_dryRun->setTextFormat(Qt::PlainText);
    // Room for its two lines from the start: the dialog does not grow (or clip) when the answer comes.
    m_dryRun->setMinimumHeight(2 * m_dryRun->fontMetrics().lineSpacing() + 4);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("alertError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);

    m_form = new QFormLayout(this);
    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("&Fires on:"), m_kind);
    m_form->addRow(tr("&Reports:"), m_count);
    m_form->addRow(tr("&Within:"), m_minutes);
    m_form->addRow(tr("&Level:"), m_level);
    m_form->addRow(tr("&Period:"), m_period);
    m_form->addRow(tr("&Scope:"), m_query);
    m_form->addRow(tr("&To:"), m_recipients);
    m_form->addRow(tr("Rate &limit:"), m_rateLimit);
    m_form->addRow(QString(), m_enabled);
    m_form->addRow(tr("Dry run:"), m_dryRun);
    m_form->addRow(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AlertDialog::save);

    if (m_editing) {
        const AlertRule &r = *m_editing;
        m_name->setText(r.name);
        m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(r.kind))));
        if (r.kind == AlertKind::Spike) {
            m_count->setValue(r.threshold);
            m_minutes->setValue(r.windowMinutes);
        } else if (r.kind == AlertKind::Level) {
            m_level->setCurrentIndex(std::max(0, m_level->findData(r.threshold)));
        } else if (r.kind == AlertKind::Digest) {
            m_period->setCurrentIndex(r.windowMinutes == kWeeklyMinutes ? 1 : 0);
        }
        m_query->setText(r.query);
        m_recipients->setText(r.recipients.join(QStringLiteral(", ")));
        m_rateLimit->setValue(r.rateLimitMinutes);
        m_enabled->setChecked(r.enabled);
    }
    showKindFields();
    // Room for a search and the dry run's sentence.
    setMinimumWidth(520);
    resize(std::max(600, sizeHint().width()), sizeHint().height());

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDryRunDelayMs); // not one dry run per key typed
    connect(m_debounce, &QTimer::timeout, this, &AlertDialog::runDryRun);
    for (QLineEdit *e : {m_name, m_query, m_recipients})
        connect(e, &QLineEdit::textChanged, this, &AlertDialog::scheduleDryRun);
    for (QSpinBox *s : {m_count, m_minutes, m_rateLimit})
        connect(s, &QSpinBox::valueChanged, this, &AlertDialog::scheduleDryRun);
    for (QComboBox *c : {m_kind, m_level, m_period})
        connect(c, &QComboBox::currentIndexChanged, this, &AlertDialog::scheduleDryRun);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AlertDialog::showKindFields);
    scheduleDryRun();
}

void AlertDialog::showKindFields()
{
    const auto kind = AlertKind(m_kind->currentData().toInt());
    m_form->setRowVisible(m_count, kind == AlertKind::Spike);
    m_form->setRowVisible(m_minutes, kind == AlertKind::Spike);
    m_form->setRowVisible(m_level, kind == AlertKind::Level);
    m_form->setRowVisible(m_period, kind == AlertKind::Digest);
    m_form->setRowVisible(m_rateLimit, kind != AlertKind::Digest); // one digest per period: no limit to set
}

std::optional<AlertRule> AlertDialog::rule(QString *error) const { return fromFields(error, true); }

std::optional<AlertRule> AlertDialog::fromFields(QString *error, bool needName) const
{
    AlertRule r = m_editing.value_or(AlertRule{});
    r.name = m_name->text().trimmed();
    if (r.name.isEmpty() && !needName)
        r.name = tr("(new alert)"); // a dry run does not need the name
    r.kind = AlertKind(m_kind->currentData().toInt());
    r.query = m_query->text().trimmed();
    r.recipients = recipientsFrom(m_recipients->text());
    r.rateLimitMinutes = m_rateLimit->value();
    r.enabled = m_enabled->isChecked();
    r.threshold = 0;
    r.windowMinutes = 0;
    if (r.kind == AlertKind::Spike) {
        r.threshold = m_count->value();
        r.windowMinutes = m_minutes->value();
    } else if (r.kind == AlertKind::Level) {
        r.threshold = m_level->currentData().toInt();
    } else if (r.kind == AlertKind::Digest) {
        r.windowMinutes = m_period->currentData().toInt();
    }
    if (!m_editing)
        r.createdAt = alertClock()();
    if (r.name.isEmpty()) {
        if (error)
            *error = tr("Give the alert a name.");
        return std::nullopt;
    }
    if (auto ok = AlertEngine::check(r); !ok) {
        if (error)
            *error = ok.error();
        return std::nullopt;
    }
    return r;
}

void AlertDialog::scheduleDryRun()
{
    ++m_generation; // what runs now is stale from here on
    m_jobs->cancel(this, QStringLiteral("alert dry run"));
    m_debounce->start();
}

void AlertDialog::runDryRun()
{
    QString why;
    const std::optional<AlertRule> draft = fromFields(&why, false);
    if (!draft) {
        m_dryRun->setText(why);
        return;
    }
    m_dryRun->setText(tr("Looking at the last %n day(s)…", nullptr, kDryRunDays));
    const quint64 generation = m_generation;
    // A new-release rule notes releases as it goes (rolled back): it needs the writer.
    const auto access = draft->kind == AlertKind::NewRelease ? JobRunner::Access::Write : JobRunner::Access::Read;
    m_jobs->run(
        this, {QStringLiteral("alert dry run"), access},
        [draft = *draft](JobContext &ctx) {
            // The clock of the alert step and of errordeck-cli (ERRORDECK_NOW in tests).
            const AlertClock clock = alertClock();
            const int64_t now = clock();
            return AlertEngine(ctx.db(), clock).dryRun(draft, now - int64_t(kDryRunDays) * 86'400'000, now);
        },
        [this, generation, kind = draft->kind](Result<AlertDryRun> r) {
            if (generation != m_generation)
                return; // the fields changed since: a newer one comes
            if (!r) {
                m_dryRun->setText(failureText(r));
                return;
            }
            QString text = tr("This alert would have sent %n mail(s) in the last %1 days", nullptr, int(r->mails))
                               .arg(kDryRunDays);
            if (kind != AlertKind::Digest)
                text += tr(" (%L1 reports in scope, %L2 held back by the rate limit).").arg(r->reports).arg(r->heldBack);
            else
                text += u'.';
            m_dryRun->setText(text);
            Q_EMIT dryRunShown(r->mails, r->reports);
        });
}

void AlertDialog::save()
{
    QString why;
    const std::optional<AlertRule> r = rule(&why);
    if (!r) {
        m_error->setText(why);
        return;
    }
    // Stored on the writer (a taken name is the store's answer); the dialog waits for it.
    m_buttons->setEnabled(false);
    m_error->setText(tr("Saving…"));
    const bool editing = m_editing.has_value();
    m_jobs->run(
        this, {QStringLiteral("save alert"), JobRunner::Access::Write},
        [r = *r, editing](JobContext &ctx) -> Result<void> {
            AlertStore store(ctx.db());
            if (editing)
                return store.updateRule(r);
            if (auto id = store.addRule(r); !id)
                return id.failure();
            return {};
        },
        [this](Result<void> saved) {
            m_buttons->setEnabled(true);
            if (!saved) {
                m_error->setText(failureText(saved));
                return;
            }
            accept();
        });
}

} // namespace ed
