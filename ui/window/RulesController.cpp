#include "window/RulesController.h"

#include "base/AppLog.h"
#include "filters/FilterSet.h"

#include <QBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace ed {

RulesController::RulesController(QString dbPath, QWidget *statusParent, QObject *parent)
    : QObject(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    qRegisterMetaType<ApplySummary>();
    m_widget = new QWidget(statusParent);
    m_widget->setObjectName(QStringLiteral("rulesProgress"));
    m_label = new QLabel(m_widget);
    m_bar = new QProgressBar(m_widget);
    m_bar->setMaximumWidth(220);
    m_cancel = new QPushButton(tr("Cancel"), m_widget);
    m_cancel->setObjectName(QStringLiteral("cancelRulesApply"));
    m_cancel->setToolTip(tr("Stop: the reports done so far keep the new rules, the others stay as they were"));
    connect(m_cancel, &QPushButton::clicked, this, &RulesController::cancel);
    auto *layout = new QHBoxLayout(m_widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    m_widget->hide();
}

RulesController::~RulesController()
{
    if (m_job) {
        cancel();
        m_jobs->cancelAll(this);
        m_jobs->wait(m_job);
    }
}

QString RulesController::statusText() const { return m_label->text(); }

void RulesController::start()
{
    if (m_job) {
        m_again = true; // the rules changed while applying: once more with the new ones
        return;
    }
    run();
}

void RulesController::cancel()
{
    m_again = false;
    if (!m_stop)
        return;
    m_stop->store(true);
    m_cancel->setEnabled(false);
    m_label->setText(tr("Cancelling…"));
}

void RulesController::run()
{
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_stop = stop;
    m_again = false;
    m_cancel->setEnabled(true);
    m_bar->setRange(0, 0); // busy until the first numbers come
    m_label->setText(tr("Applying the rules to stored reports…"));
    m_widget->show();
    const int batch = m_batchSize;
    JobRunner::Job job{QStringLiteral("re-apply rules"), JobRunner::Access::Write};
    job.onProgress = [this](qint64 done, qint64 total) {
        if (total > 0) {
            m_bar->setRange(0, 1000);
            m_bar->setValue(int(1000.0 * double(done) / double(total)));
        }
        if (m_cancel->isEnabled())
            m_label->setText(tr("Applying the rules: %L1 of %L2 reports").arg(done).arg(total));
    };
    m_job = m_jobs->run(
        this, std::move(job),
        [stop, batch](JobContext &ctx) -> Result<ApplySummary> {
            // The rules as stored now: what Settings just wrote.
            auto filters = FilterSet::load(ctx.db());
            if (!filters)
                return filters.failure();
            ApplyOptions opts;
            if (batch > 0)
                opts.batchSize = batch;
            opts.cancelled = [stop, &ctx] { return stop->load() || ctx.isCancelled(); };
            opts.progress = [&ctx](int64_t done, int64_t total) { ctx.progress(done, total); };
            return RuleApplier::apply(ctx.db(), **filters, opts);
        },
        [this](Result<ApplySummary> done) {
            m_job.reset();
            m_stop.reset();
            m_widget->hide();
            if (done)
                applog::info(QStringLiteral("rules applied to %1 stored reports%2")
                                 .arg(done->reports)
                                 .arg(done->cancelled ? QStringLiteral(" (cancelled)") : QString()));
            Q_EMIT finished(done ? *done : ApplySummary{}, done ? QString() : done.error());
            if (m_again)
                run();
        });
    Q_EMIT started();
}

} // namespace ed
