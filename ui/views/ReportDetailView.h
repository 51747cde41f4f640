#pragma once
// One report in full: a summary line and tabs for the traceback, the request,
// settings and environment, and the raw record. The report is read on the
// database's JobRunner; a newer selection wins over a slower older one.
#include "jobs/JobRunner.h"
#include "store/ReportStore.h"

#include <QWidget>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;

namespace ed {

class ContextView;
class RequestView;
class TracebackView;

class ReportDetailView : public QWidget {
    Q_OBJECT
public:
    enum Tab { TracebackTab, RequestTab, ContextTab, RawTab };

    explicit ReportDetailView(const QString &dbPath, QWidget *parent = nullptr);
    ~ReportDetailView() override;

    void showReport(std::optional<int64_t> reportId);
    std::optional<int64_t> reportId() const { return m_shownId; }
    const ReportDetail *detail() const { return m_detail ? &*m_detail : nullptr; }

    QTabWidget *tabs() const { return m_tabs; }
    TracebackView *traceback() const { return m_traceback; }
    RequestView *request() const { return m_request; }
    ContextView *context() const { return m_context; }
    QPlainTextEdit *raw() const { return m_raw; }

Q_SIGNALS:
    void reportShown(qint64 reportId);

private:
    void present(Result<ReportDetail> detail);

    std::shared_ptr<JobRunner> m_jobs;
    std::optional<int64_t> m_requestedId, m_shownId;
    std::optional<ReportDetail> m_detail;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    TracebackView *m_traceback;
    RequestView *m_request;
    ContextView *m_context;
    QPlainTextEdit *m_raw;
};

} // namespace ed
