#pragma once
// One report in full: a summary line and tabs for the traceback (or, for a
// report without an exception, its message), the request, the breadcrumbs
// (a Sentry SDK's event only), settings and environment, and the raw record. The report is read on the
// database's JobRunner; a newer selection wins over a slower older one.
#include "jobs/JobRunner.h"
#include "store/ReportStore.h"

#include <QWidget>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace ed {

class BreadcrumbsView;
class ContextView;
class IssuePage;
class RequestView;
class TracebackView;

class ReportDetailView : public QWidget {
    Q_OBJECT
public:
    enum Tab { IssueTab, TracebackTab, MessageTab, RequestTab, BreadcrumbsTab, ContextTab, RawTab };

    explicit ReportDetailView(const QString &dbPath, QWidget *parent = nullptr);
    ~ReportDetailView() override;

    void showReport(std::optional<int64_t> reportId);
    // The issue selected in the list: while no report is shown, the pane shows
    // that issue's page (its summary across all its reports) instead of a hint.
    void setIssue(std::optional<int64_t> issueId);
    // Reads the issue's pages again (its status may have changed elsewhere).
    void reloadIssue();
    std::optional<int64_t> reportId() const { return m_shownId; }
    const ReportDetail *detail() const { return m_detail ? &*m_detail : nullptr; }

    QTabWidget *tabs() const { return m_tabs; }
    TracebackView *traceback() const { return m_traceback; }
    RequestView *request() const { return m_request; }
    BreadcrumbsView *breadcrumbs() const { return m_breadcrumbs; }
    ContextView *context() const { return m_context; }
    QPlainTextEdit *raw() const { return m_raw; }
    QPlainTextEdit *message() const { return m_message; }
    IssuePage *issuePage() const { return m_issuePage; }
    // The issue page shown alone, when an issue but no report is selected.
    IssuePage *issueOnlyPage() const { return m_issueOnly; }
    bool showsIssueOnly() const;
    // Where the shown report stands in the report list: "3 of 120".
    void setListPosition(int row, qint64 rows);

Q_SIGNALS:
    void reportShown(qint64 reportId);
    // The user asked for the report before (-1) or after (+1) this one in the list.
    void stepRequested(int delta);
    // The user asked for this report (the issue page's latest report).
    void reportRequested(qint64 reportId);

private:
    struct Loaded; // the report and its traceback's rows, built in the job
    void present(Result<Loaded> loaded);
    void chooseTab(const Report &report);
    void fillRaw();
    void showEmpty(); // the issue's page, or the hint when no issue is selected

    std::shared_ptr<JobRunner> m_jobs;
    std::optional<int64_t> m_requestedId, m_shownId;
    std::optional<ReportDetail> m_detail;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    TracebackView *m_traceback;
    RequestView *m_request;
    BreadcrumbsView *m_breadcrumbs;
    ContextView *m_context;
    QPlainTextEdit *m_raw;
    QPlainTextEdit *m_message;
    IssuePage *m_issuePage;
    IssuePage *m_issueOnly;
    std::optional<int64_t> m_issueId;
    QLabel *m_position;
    QToolButton *m_previous, *m_next;
    int m_chosenTab = TracebackTab; // the tab the user last picked
    bool m_choosing = false;
    bool m_hasBreadcrumbs = false; // the shown report's Breadcrumbs tab is visible
    bool m_rawShown = false; // m_raw holds the shown report's text
};

} // namespace ed
