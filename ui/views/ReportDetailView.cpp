#include "views/ReportDetailView.h"

#include "views/BreadcrumbsView.h"
#include "views/ContextView.h"
#include "views/IssuePage.h"
#include "look/Format.h"
#include "base/Level.h"
#include "views/RequestView.h"
#include "look/Theme.h"
#include "views/TracebackView.h"
#include "models/TracebackModel.h"

#include <QBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>

namespace ed {

struct ReportDetailView::Loaded {
    ReportDetail detail;
    TracebackModel::Tree rows;
};

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
    m_breadcrumbs = new BreadcrumbsView(m_tabs);
    m_context = new ContextView(m_tabs);
    m_raw = new QPlainTextEdit(m_tabs);
    m_raw->setObjectName(QStringLiteral("rawText"));
    m_raw->setReadOnly(true);
    m_raw->setFont(theme::codeFont());
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_message = new QPlainTextEdit(m_tabs);
    m_message->setObjectName(QStringLiteral("messageText"));
    m_message->setReadOnly(true);
    m_message->setFont(theme::codeFont());
    m_issuePage = new IssuePage(dbPath, m_tabs);
    m_tabs->addTab(m_issuePage, tr("&Issue"));
    m_tabs->addTab(m_traceback, tr("&Traceback"));
    m_tabs->addTab(m_message, tr("&Message"));
    m_tabs->addTab(m_request, tr("&Request"));
    m_tabs->addTab(m_breadcrumbs, tr("&Breadcrumbs"));
    m_tabs->addTab(m_context, tr("&Settings && environment"));
    m_tabs->addTab(m_raw, tr("Ra&w"));

    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (!m_choosing)
            m_chosenTab = tab;
        if (tab == IssueTab && m_detail)
            m_issuePage->showIssue(m_detail->row.issueId); // read when looked at
        if (tab == RawTab)
            fillRaw();
    });
    connect(m_issuePage, &IssuePage::latestReportRequested, this, &ReportDetailView::reportRequested);
    m_issueOnly = new IssuePage(dbPath, this);
    m_issueOnly->setObjectName(QStringLiteral("issueOnlyPage"));
    connect(m_issueOnly, &IssuePage::latestReportRequested, this, &ReportDetailView::reportRequested);

    m_previous = new QToolButton(this);
    m_previous->setObjectName(QStringLiteral("previousReport"));
    m_previous->setText(tr("‹ Previous"));
    m_previous->setToolTip(tr("The report before this one in the list (Alt+Up)"));
    m_previous->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_next = new QToolButton(this);
    m_next->setObjectName(QStringLiteral("nextReport"));
    m_next->setText(tr("Next ›"));
    m_next->setToolTip(tr("The report after this one in the list (Alt+Down)"));
    m_next->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    m_position = new QLabel(this);
    m_position->setObjectName(QStringLiteral("reportPosition"));
    connect(m_previous, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(-1); });
    connect(m_next, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(+1); });

    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_position);
    top->addWidget(m_previous);
    top->addWidget(m_next);
    pageLayout->addLayout(top);
    pageLayout->addWidget(m_tabs, 1);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(page);
    m_stack->addWidget(m_issueOnly);
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
        showEmpty();
        return;
    }
    // Another report asked for makes the one loading stale (same job name).
    // The traceback's rows are built there too: 984 frames take tens of ms.
    m_jobs->run(
        this, {job},
        [id = *reportId, roots = m_traceback->sourceRoots()](JobContext &ctx) -> Result<Loaded> {
            auto detail = ReportStore(ctx.db()).loadReport(id);
            if (!detail)
                return detail.failure();
            TracebackModel::Tree rows = TracebackModel::build(detail->report, roots);
            return Loaded{std::move(*detail), std::move(rows)};
        },
        [this](Result<Loaded> loaded) { present(std::move(loaded)); });
}

void ReportDetailView::setIssue(std::optional<int64_t> issueId)
{
    if (issueId == m_issueId)
        return;
    m_issueId = issueId;
    if (!m_detail)
        showEmpty();
}

void ReportDetailView::reloadIssue()
{
    m_issueOnly->reload();
    m_issuePage->reload();
}

bool ReportDetailView::showsIssueOnly() const { return m_stack->currentWidget() == m_issueOnly; }

void ReportDetailView::showEmpty()
{
    if (m_issueId) {
        m_issueOnly->showIssue(*m_issueId);
        m_stack->setCurrentWidget(m_issueOnly);
    } else {
        m_stack->setCurrentIndex(0);
    }
}

void ReportDetailView::present(Result<Loaded> loaded)
{
    if (!loaded) {
        m_placeholder->setText(tr("This report cannot be shown: %1").arg(loaded.error()));
        m_stack->setCurrentIndex(0);
        return;
    }
    m_detail = std::move(loaded->detail);
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
    m_traceback->setReport(m_detail->report, std::move(loaded->rows));
    m_request->setReport(m_detail->report);
    m_context->setReport(m_detail->report);
    m_hasBreadcrumbs = m_breadcrumbs->setReport(m_detail->report);
    const Report &report = m_detail->report;
    m_message->setPlainText(report.logger.isEmpty() ? report.message : report.logger + QStringLiteral(": ") + report.message);
    chooseTab(report);
    if (m_tabs->currentIndex() == IssueTab)
        m_issuePage->showIssue(r.issueId);
    // The raw record of a deep traceback is a megabyte of JSON: laid out
    // when its tab is looked at, not with every report shown.
    m_rawShown = false;
    if (m_tabs->currentIndex() == RawTab)
        fillRaw();
    m_stack->setCurrentIndex(1);
    Q_EMIT reportShown(r.id);
}

void ReportDetailView::fillRaw()
{
    if (m_rawShown || !m_detail)
        return;
    m_rawShown = true;
    m_raw->setPlainText(!m_detail->raw.isEmpty()
                            ? m_detail->raw
                            : QString::fromUtf8(QJsonDocument(m_detail->record).toJson(QJsonDocument::Indented)));
}

void ReportDetailView::setListPosition(int row, qint64 rows)
{
    m_position->setText(row >= 0 ? tr("%L1 of %L2").arg(row + 1).arg(rows) : QString());
    m_previous->setEnabled(row > 0);
    m_next->setEnabled(row >= 0 && row + 1 < rows);
}

// A report without an exception (a 404, a logger.error message) has no
// traceback to show: its Message tab stands in for the Traceback tab, and a
// 404 opens on its Request. The tab the user picked comes back with the next
// report that has it.
void ReportDetailView::chooseTab(const Report &report)
{
    const bool hasException = report.raised() != nullptr;
    m_choosing = true;
    m_tabs->setTabVisible(TracebackTab, hasException);
    m_tabs->setTabVisible(MessageTab, !hasException);
    m_tabs->setTabVisible(BreadcrumbsTab, m_hasBreadcrumbs);
    int tab = m_chosenTab;
    if (tab == TracebackTab || tab == MessageTab || (tab == BreadcrumbsTab && !m_hasBreadcrumbs))
        tab = hasException ? TracebackTab : report.request ? RequestTab : MessageTab;
    m_tabs->setCurrentIndex(tab);
    m_choosing = false;
}

} // namespace ed
