#include "views/ReportDetailView.h"

#include "views/ContextView.h"
#include "look/Format.h"
#include "base/Level.h"
#include "views/RequestView.h"
#include "look/Theme.h"
#include "views/TracebackView.h"

#include <QBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTabWidget>

namespace ed {

ReportDetailView::ReportDetailView(const QString &dbPath, QWidget *parent)
    : QWidget(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    setObjectName(QStringLiteral("reportDetail"));
    m_placeholder = new QLabel(tr("Select a report to see its traceback, request and settings."), this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("reportSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_traceback = new TracebackView(m_tabs);
    m_request = new RequestView(m_tabs);
    m_context = new ContextView(m_tabs);
    m_raw = new QPlainTextEdit(m_tabs);
    m_raw->setObjectName(QStringLiteral("rawText"));
    m_raw->setReadOnly(true);
    m_raw->setFont(theme::codeFont());
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tabs->addTab(m_traceback, tr("&Traceback"));
    m_tabs->addTab(m_request, tr("&Request"));
    m_tabs->addTab(m_context, tr("&Settings && environment"));
    m_tabs->addTab(m_raw, tr("Ra&w"));

    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(m_summary);
    pageLayout->addWidget(m_tabs, 1);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(page);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

ReportDetailView::~ReportDetailView() = default;

void ReportDetailView::showReport(std::optional<int64_t> reportId)
{
    if (reportId == m_requestedId)
        return;
    m_requestedId = reportId;
    const QString job = QStringLiteral("report");
    if (!reportId) {
        m_jobs->cancel(this, job); // the user moved on: what is loading is not shown
        m_shownId.reset();
        m_detail.reset();
        m_stack->setCurrentIndex(0);
        return;
    }
    // Another report asked for makes the one loading stale (same job name).
    m_jobs->run(
        this, {job}, [id = *reportId](JobContext &ctx) { return ReportStore(ctx.db()).loadReport(id); },
        [this](Result<ReportDetail> detail) { present(std::move(detail)); });
}

void ReportDetailView::present(Result<ReportDetail> detail)
{
    if (!detail) {
        m_placeholder->setText(tr("This report cannot be shown: %1").arg(detail.error()));
        m_stack->setCurrentIndex(0);
        return;
    }
    m_detail = std::move(*detail);
    const ReportRow &r = m_detail->row;
    m_shownId = r.id;
    QStringList facts{levelName(r.level), fmt::time(r.timestamp)};
    if (!r.logger.isEmpty())
        facts << r.logger;
    if (r.statusCode)
        facts << QString::number(*r.statusCode);
    if (!r.site.isEmpty())
        facts << r.site;
    if (!r.eventId.isEmpty())
        facts << tr("event %1").arg(r.eventId);
    if (!r.hiddenBy.isEmpty())
        facts << tr("hidden by %1").arg(r.hiddenBy);
    if (!r.undecided.isEmpty())
        facts << tr("undecided: %1 (kept visible)").arg(r.undecided);
    m_summary->setText(facts.join(QStringLiteral("  ·  ")));
    m_traceback->setReport(m_detail->report);
    m_request->setReport(m_detail->report);
    m_context->setReport(m_detail->report);
    m_raw->setPlainText(!m_detail->raw.isEmpty()
                            ? m_detail->raw
                            : QString::fromUtf8(QJsonDocument(m_detail->record).toJson(QJsonDocument::Indented)));
    m_stack->setCurrentIndex(1);
    Q_EMIT reportShown(r.id);
}

} // namespace ed
