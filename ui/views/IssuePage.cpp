#include "views/IssuePage.h"

#include "base/Level.h"
#include "look/Format.h"
#include "look/Theme.h"

#include <QBoxLayout>
#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <climits>

namespace ed {
namespace {

QString facetTitle(const QString &name)
{
    static const QHash<QString, const char *> titles = {
        {QStringLiteral("path"), QT_TRANSLATE_NOOP("IssuePage", "Path")},
        {QStringLiteral("host"), QT_TRANSLATE_NOOP("IssuePage", "Host")},
        {QStringLiteral("user_agent"), QT_TRANSLATE_NOOP("IssuePage", "User agent")},
        {QStringLiteral("user"), QT_TRANSLATE_NOOP("IssuePage", "User")},
        {QStringLiteral("client"), QT_TRANSLATE_NOOP("IssuePage", "Client address")},
        {QStringLiteral("server"), QT_TRANSLATE_NOOP("IssuePage", "Server")},
        {QStringLiteral("release"), QT_TRANSLATE_NOOP("IssuePage", "Release")},
        {QStringLiteral("environment"), QT_TRANSLATE_NOOP("IssuePage", "Environment")},
    };
    const char *t = titles.value(name);
    return t ? IssuePage::tr(t) : name;
}

} // namespace

IssuePage::IssuePage(const QString &dbPath, QWidget *parent) : QWidget(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    setObjectName(QStringLiteral("issuePage"));
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("issueTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setFont(theme::titleFont(m_title->font()));
    m_facts = new QLabel(this);
    m_facts->setObjectName(QStringLiteral("issueFacts"));
    m_facts->setTextFormat(Qt::PlainText);
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_latest = new QPushButton(tr("Show the latest report"), this);
    m_latest->setObjectName(QStringLiteral("issueLatest"));
    connect(m_latest, &QPushButton::clicked, this, [this] {
        if (m_summary && m_summary->latestReportId)
            Q_EMIT latestReportRequested(m_summary->latestReportId);
    });
    m_sampleNote = new QLabel(this);
    m_sampleNote->setObjectName(QStringLiteral("issueSampleNote"));
    m_sampleNote->setWordWrap(true);
    theme::keepMutedText(m_sampleNote); // follows View › Theme

    auto *facets = new QWidget;
    m_grid = new QGridLayout(facets);
    m_grid->setColumnStretch(0, 3);
    m_grid->setColumnStretch(1, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(facets);

    auto *head = new QHBoxLayout;
    head->addWidget(m_facts, 1);
    head->addWidget(m_latest);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(head);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_sampleNote);
}

void IssuePage::showIssue(std::optional<int64_t> issueId)
{
    if (issueId == m_requestedId)
        return;
    m_requestedId = issueId;
    load();
}

void IssuePage::reload()
{
    if (m_requestedId)
        load();
}

void IssuePage::load()
{
    const QString job = QStringLiteral("issue summary");
    if (!m_requestedId) {
        m_jobs->cancel(this, job);
        m_shownId.reset();
        m_summary.reset();
        m_title->clear();
        m_facts->clear();
        clearFacets();
        return;
    }
    m_jobs->run(
        this, {job}, [id = *m_requestedId](JobContext &ctx) { return loadIssueSummary(ctx.db(), id); },
        [this](Result<IssueSummary> s) { present(std::move(s)); });
}

void IssuePage::clearFacets()
{
    qDeleteAll(m_facetWidgets);
    m_facetWidgets.clear();
    m_lines.clear();
}

void IssuePage::present(Result<IssueSummary> s)
{
    clearFacets();
    if (!s) {
        m_title->setText(tr("This issue cannot be shown: %1").arg(s.error()));
        m_facts->clear();
        return;
    }
    m_summary = std::move(*s);
    const IssueRow &i = m_summary->issue;
    m_shownId = i.id;
    const QLocale locale;
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    m_title->setText(i.title);
    QStringList facts{fmt::issueStatusName(i.status, i.regression), levelName(i.level),
                      tr("%n report(s)", nullptr, int(std::min<int64_t>(i.count, INT_MAX)))};
    if (i.hiddenCount > 0)
        facts << tr("%1 hidden").arg(locale.toString(i.hiddenCount));
    facts << tr("first seen %1 (%2)").arg(fmt::age(i.firstSeen, now), fmt::time(i.firstSeen))
          << tr("last seen %1 (%2)").arg(fmt::age(i.lastSeen, now), fmt::time(i.lastSeen));
    if (!i.culprit.isEmpty())
        facts.prepend(i.culprit);
    m_facts->setText(facts.join(QStringLiteral("  ·  ")));
    m_latest->setEnabled(m_summary->latestReportId != 0);

    int row = 0;
    QFont bold = font();
    bold.setBold(true);
    for (const Facet &f : m_summary->facets) {
        // A facet no report has a value for says nothing: left out, as Sentry leaves out absent tags.
        if (f.top.empty() || (f.top.size() == 1 && f.top.front().value.isEmpty()))
            continue;
        auto *title = new QLabel(facetTitle(f.name));
        title->setFont(bold);
        const QString distinct = f.distinct > qsizetype(f.top.size()) ? tr("%1 values").arg(locale.toString(f.distinct))
                                                                      : QString();
        auto *more = new QLabel(distinct);
        m_grid->addWidget(title, row, 0);
        m_grid->addWidget(more, row++, 1, 1, 2);
        m_facetWidgets << title << more;
        QStringList &lines = m_lines[f.name];
        for (const FacetValue &v : f.top) {
            const int percent = f.total > 0 ? int((v.count * 100 + f.total / 2) / f.total) : 0;
            const QString text = v.value.isEmpty() ? tr("(none)") : v.value;
            auto *value = new QLabel;
            value->setTextFormat(Qt::PlainText);
            value->setText(text);
            value->setToolTip(text);
            value->setMinimumWidth(1); // long user agents are cut at the edge, whole in the tooltip
            value->setTextInteractionFlags(Qt::TextSelectableByMouse);
            auto *bar = new QProgressBar;
            bar->setRange(0, 100);
            bar->setValue(percent);
            bar->setTextVisible(false);
            bar->setMaximumHeight(value->sizeHint().height() / 2 + 2);
            const QString share = tr("%1 (%2%)").arg(locale.toString(v.count)).arg(percent);
            auto *count = new QLabel(share);
            count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_grid->addWidget(value, row, 0);
            m_grid->addWidget(bar, row, 1);
            m_grid->addWidget(count, row++, 2);
            m_facetWidgets << value << bar << count;
            lines << text + QStringLiteral(" — ") + share;
        }
    }
    m_grid->setRowStretch(row, 1);
    m_sampleNote->setText(m_summary->sampled < i.count
                              ? tr("Path, host and client address count all %1 reports; the other facets the latest %2.")
                                    .arg(locale.toString(i.count), locale.toString(m_summary->sampled))
                              : QString());
    Q_EMIT shown(i.id);
}

QStringList IssuePage::facetLines(const QString &facet) const { return m_lines.value(facet); }

} // namespace ed
