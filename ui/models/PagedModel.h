#pragma once
// A table model over a query that may match millions of rows, after DB Browser
// for SQLite's RowLoader/RowCache: rowCount comes from a COUNT query and rows
// arrive in pages, both computed on the database's JobRunner (pool threads,
// pooled read connections).
// data() for a row not loaded yet returns a placeholder and asks for its page.
// Every change of query or sort starts a new generation: results of an older
// one are dropped on arrival, and its running query is interrupted.
#include "base/Result.h"
#include "jobs/JobRunner.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <any>
#include <atomic>
#include <memory>

namespace ed {

class PagedModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 200;
    // Pages kept in memory; the ones farthest from the last request go first.
    static constexpr int kMaxPages = 120;

    explicit PagedModel(const QString &dbPath, QObject *parent = nullptr);
    ~PagedModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    bool isRowLoaded(int row) const { return m_loaded.contains(row / kPageSize); }
    bool isCountKnown() const { return m_countKnown; }
    bool isLoading() const { return !m_countKnown || !m_requested.isEmpty(); }
    int generation() const { return m_generation->load(); }

    // Runs the query again (after an import or a change), keeping nothing.
    void refresh() { restart(); }
    // Runs the query again without a reset, for live updates (watched folders):
    // the count and the loaded pages around the last one asked for are read
    // again, and when all are in the rows change at once, in one layout change
    // in which persistent indexes (the selection, the current row) follow their
    // row's id. Until then the old rows stay on screen. Not loaded rows
    // are read when painted, as always.
    void refreshKeepingRows();
    bool isRefreshingRows() const { return m_refreshing; }

Q_SIGNALS:
    void countKnown(qint64 count);
    void pageLoaded(int page);
    void firstRowsLoaded();
    void queryFailed(const QString &message);
    void loadingChanged(bool loading);
    // A refreshKeepingRows() finished: the new rows are in.
    void rowsRefreshed();

protected:
    using CountJob = std::function<Result<int64_t>(Database &)>;
    // Returns the rows of one page (type-erased, see PagedRowModel) and their number.
    using PageJob = std::function<Result<std::pair<std::any, int>>(Database &)>;

    virtual CountJob makeCountJob() const = 0;
    virtual PageJob makePageJob(int page) const = 0;
    virtual void storePage(int page, std::any &&rows) = 0;
    virtual void dropPage(int page) = 0;
    virtual void dropAllPages() = 0;
    // The id of a loaded row, and of row `i` of a page not stored yet; -1 when
    // unknown. refreshKeepingRows() moves persistent indexes by these.
    virtual int64_t loadedRowId(int row) const { return -1; }
    virtual int64_t pageRowId(const std::any &rows, int i) const { return -1; }
    // Before refreshKeepingRows() asks for pages (keyset boundaries are stale then).
    virtual void onRefreshStarted() { }

    // Starts a new generation: forgets rows, interrupts outdated queries,
    // asks for the count and the first page.
    void restart();
    // Asks for the page holding `row` unless it is loaded or on its way.
    void requestRow(int row) const;
    void requestPage(int page) const;

private:
    void postPage(int page) const;
    void maybeCommitRefresh();
    void commitRefresh();
    void postCount(int gen);
    void onPageSkipped(int gen, int page);
    void onCount(int gen, Result<int64_t> count);
    void onPage(int gen, int page, Result<std::pair<std::any, int>> rows);
    void setRowCount(int n);
    void evictFarPages(int around);

    std::shared_ptr<JobRunner> m_jobs;
    int m_pageSerial = 0; // a later page request starts first: it is the one on screen
    std::shared_ptr<std::atomic<int>> m_generation = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> m_latestPage = std::make_shared<std::atomic<int>>(0);
    int m_rowCount = 0;
    bool m_countKnown = false;
    bool m_firstRowsSignalled = false;
    QSet<int> m_loaded;
    mutable QSet<int> m_requested;
    // refreshKeepingRows(): the new count and pages, until all are in.
    bool m_refreshing = false;
    bool m_stagedCountKnown = false;
    int m_stagedCount = 0;
    QHash<int, std::pair<std::any, int>> m_staged; // page -> rows, their number
};

// Keeps the rows of each loaded page; subclasses read them with rowAt().
template <class Row> class PagedRowModel : public PagedModel {
public:
    using PagedModel::PagedModel;

protected:
    using RowsJob = std::function<Result<std::vector<Row>>(Database &)>;
    virtual RowsJob makeRowsJob(int page) const = 0;
    // A page arrived (rows already stored): subclasses note keyset boundaries here.
    virtual void onRowsStored(int page, const std::vector<Row> &rows) { }
    // The row's identity across refreshes (an issue's or a report's id).
    virtual int64_t rowId(const Row &) const { return -1; }

    const Row *rowAt(int row) const
    {
        const auto it = m_pages.constFind(row / kPageSize);
        if (it == m_pages.constEnd() || size_t(row % kPageSize) >= it->size())
            return nullptr;
        return &(*it)[size_t(row % kPageSize)];
    }
    const std::vector<Row> *pageRows(int page) const
    {
        const auto it = m_pages.constFind(page);
        return it == m_pages.constEnd() ? nullptr : &*it;
    }

private:
    PageJob makePageJob(int page) const override
    {
        return [job = makeRowsJob(page)](Database &db) -> Result<std::pair<std::any, int>> {
            auto rows = job(db);
            if (!rows)
                return rows.failure();
            const int n = int(rows->size());
            return std::pair<std::any, int>(std::any(std::move(*rows)), n);
        };
    }
    void storePage(int page, std::any &&rows) override
    {
        auto &stored = m_pages[page];
        stored = std::any_cast<std::vector<Row>>(std::move(rows));
        onRowsStored(page, stored);
    }
    void dropPage(int page) override { m_pages.remove(page); }
    void dropAllPages() override { m_pages.clear(); }
    int64_t loadedRowId(int row) const override
    {
        const Row *r = rowAt(row);
        return r ? rowId(*r) : -1;
    }
    int64_t pageRowId(const std::any &rows, int i) const override
    {
        const auto *v = std::any_cast<std::vector<Row>>(&rows);
        return v && size_t(i) < v->size() ? rowId((*v)[size_t(i)]) : -1;
    }

    QHash<int, std::vector<Row>> m_pages;
};

} // namespace ed
