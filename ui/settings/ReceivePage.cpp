#include "settings/ReceivePage.h"

#include "base/ListenAddress.h"
#include "jobs/JobFailure.h"
#include "look/Theme.h"
#include "receive/SentryAuth.h"

#include <QApplication>
#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QTableWidget>

namespace ed {

namespace {
// What an SDK reported beside events, as `errordeck-cli sites list` says it.
QString countText(const SiteCount &c)
{
    if (c.kind == QLatin1String("dropped"))
        return c.count == 1 ? ReceivePage::tr("the SDK dropped 1 event: %1").arg(c.reason)
                            : ReceivePage::tr("the SDK dropped %L1 events: %2").arg(c.count).arg(c.reason);
    return c.count == 1 ? ReceivePage::tr("1 session %1").arg(c.reason)
                        : ReceivePage::tr("%L1 sessions %2").arg(c.count).arg(c.reason);
}
} // namespace

ReceivePage::ReceivePage(const QString &dbPath, QWidget *parent) : SettingsPage(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    auto *page = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("While ErrorDeck runs it can be a Sentry server for your sites: give a site's SDK the DSN "
                                "below (sentry_sdk.init(dsn=...) in settings.py, or @sentry/node's and @sentry/browser's "
                                "init) and its errors are scrubbed, filtered, grouped and listed as they arrive. "
                                "errordeck-cli serve does the same without the app."),
                             this);
    intro->setWordWrap(true);
    page->addWidget(intro);
    auto *form = new QFormLayout;
    page->addLayout(form);

    m_enabled = new QCheckBox(tr("Receive events from Sentry SDKs while ErrorDeck runs"), this);
    m_enabled->setObjectName(QStringLiteral("receiveEnabled"));
    addField(form, QString(), m_enabled, ConfigKey::ReceiveEnabled);
    m_listen = new QLineEdit(this);
    m_listen->setObjectName(QStringLiteral("receiveListen"));
    m_listen->setPlaceholderText(QStringLiteral("127.0.0.1:8765"));
    addField(form, tr("&Listen on:"), m_listen, ConfigKey::ReceiveListen);
    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("receiveWarning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(theme::failureStyleSheet(m_warning->palette()));
    m_warning->hide();
    form->addRow(QString(), m_warning);
    m_status = new QLabel(tr("Not receiving."), this);
    m_status->setObjectName(QStringLiteral("receiveStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    form->addRow(tr("Now:"), m_status);

    auto *sitesTitle = new QLabel(tr("<b>Sites</b> — the DSN's last number becomes the reports' site"), this);
    page->addSpacing(8);
    page->addWidget(sitesTitle);
    m_sites = new QTableWidget(0, ColumnCount, this);
    m_sites->setObjectName(QStringLiteral("receiveSites"));
    m_sites->setHorizontalHeaderLabels({tr("Site"), tr("DSN"), QString()});
    m_sites->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sites->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_sites->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sites->setWordWrap(false);
    m_sites->verticalHeader()->hide();
    m_sites->horizontalHeader()->setSectionResizeMode(SiteColumn, QHeaderView::ResizeToContents);
    m_sites->horizontalHeader()->setSectionResizeMode(DsnColumn, QHeaderView::Stretch);
    m_sites->horizontalHeader()->setSectionResizeMode(CopyColumn, QHeaderView::ResizeToContents);
    m_sites->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_sites->setMinimumHeight(120);
    page->addWidget(m_sites, 1);
    // Beside the events: sessions and the events the SDK itself dropped.
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("receiveCounts"));
    m_counts->setWordWrap(true);
    m_counts->setTextFormat(Qt::PlainText);
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    page->addWidget(m_counts);
    m_sitesStatus = new QLabel(this);
    m_sitesStatus->setObjectName(QStringLiteral("receiveSitesStatus"));
    m_sitesStatus->setWordWrap(true);
    m_sitesStatus->setTextFormat(Qt::PlainText);
    page->addWidget(m_sitesStatus);

    auto *row = new QHBoxLayout;
    m_newName = new QLineEdit(this);
    m_newName->setObjectName(QStringLiteral("newSiteName"));
    m_newName->setPlaceholderText(tr("a name for the new site, e.g. shop"));
    m_add = new QPushButton(theme::icon(QStringLiteral("add")), tr("&Add site"), this);
    m_add->setObjectName(QStringLiteral("addSite"));
    m_add->setEnabled(false);
    m_rotate = new QPushButton(theme::icon(QStringLiteral("refresh")), tr("Rotate &key"), this);
    m_rotate->setObjectName(QStringLiteral("rotateKey"));
    m_rotate->setToolTip(tr("A fresh key for the selected site: its SDK must get the new DSN, the old one is refused (403)"));
    m_rotate->setEnabled(false);
    row->addWidget(m_newName, 1);
    row->addWidget(m_add);
    row->addSpacing(12);
    row->addWidget(m_rotate);
    page->addLayout(row);

    connect(m_listen, &QLineEdit::textChanged, this, &ReceivePage::updateAddress);
    connect(m_newName, &QLineEdit::textChanged, this, [this](const QString &t) { m_add->setEnabled(!t.trimmed().isEmpty()); });
    connect(m_newName, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_add, &QPushButton::clicked, this, [this] { addSite(m_newName->text().trimmed()); });
    connect(m_rotate, &QPushButton::clicked, this, [this] {
        const int r = m_sites->currentRow();
        if (r >= 0 && r < int(m_rows.size()))
            rotateKey(m_rows[size_t(r)].site.name);
    });
    connect(m_sites, &QTableWidget::itemSelectionChanged, this,
            [this] { m_rotate->setEnabled(!m_sites->selectedItems().isEmpty()); });
}

void ReceivePage::load(const ConfigCache &config)
{
    m_enabled->setChecked(config.flag(ConfigKey::ReceiveEnabled));
    m_listen->setText(config.string(ConfigKey::ReceiveListen));
    updateAddress();
    reloadSites();
}

bool ReceivePage::apply(SettingsEdits &config)
{
    bool ok = setValue(config, ConfigKey::ReceiveEnabled, m_enabled->isChecked());
    ok = setValue(config, ConfigKey::ReceiveListen, m_listen->text().trimmed()) && ok;
    return ok;
}

void ReceivePage::setReceiverStatus(const QString &text, bool ok, const QString &host, int port)
{
    m_status->setText(text);
    m_status->setStyleSheet(ok ? QString() : theme::failureStyleSheet(m_status->palette()));
    m_liveHost = port > 0 ? host : QString();
    m_livePort = port > 0 ? port : 0;
    updateAddress();
}

// The warning follows the field as typed; the DSNs, the address that works now.
void ReceivePage::updateAddress()
{
    ListenAddress typed;
    QString why;
    const bool parsed = parseListenAddress(m_listen->text().trimmed(), typed, why);
    const bool exposed = parsed && !isLoopbackHost(typed.host);
    m_warning->setText(exposed ? QStringLiteral("⚠ ") +
                                     tr("%1 is not loopback: anyone who can reach this computer there and knows a DSN can "
                                        "store reports. The DSN's key is the only secret; listen elsewhere only on a "
                                        "network you trust.")
                                         .arg(typed.host)
                               : QString());
    m_warning->setVisible(exposed);
    for (int r = 0; r < m_sites->rowCount() && r < int(m_rows.size()); ++r)
        if (QTableWidgetItem *item = m_sites->item(r, DsnColumn)) {
            item->setText(dsnOf(r));
            item->setToolTip(item->text());
        }
}

QString ReceivePage::dsnOf(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return {};
    ListenAddress address;
    if (m_livePort > 0) {
        address.host = m_liveHost;
        address.port = m_livePort;
    } else {
        QString why;
        if (!parseListenAddress(m_listen->text().trimmed(), address, why))
            address = ListenAddress{};
    }
    // Listening on every address: an SDK elsewhere reaches this machine by its name.
    if (address.host == QLatin1String("0.0.0.0") || address.host == QLatin1String("::"))
        address.host = QSysInfo::machineHostName();
    const Site &s = m_rows[size_t(row)].site;
    return QString::fromStdString(
        receive::makeDsn(s.publicKey.toStdString(), address.host.toStdString(), address.port, s.number));
}

void ReceivePage::copyDsn(int row)
{
    const QString dsn = dsnOf(row);
    if (dsn.isEmpty())
        return;
    QApplication::clipboard()->setText(dsn);
    m_sitesStatus->setText(tr("Copied the DSN of %1.").arg(m_rows[size_t(row)].site.name));
}

void ReceivePage::reloadSites()
{
    m_jobs->run(
        this, {QStringLiteral("sites")},
        [](JobContext &ctx) -> Result<std::vector<SiteRow>> {
            SiteStore store(ctx.db());
            auto sites = store.list();
            if (!sites)
                return sites.failure();
            std::vector<SiteRow> rows;
            for (Site &s : *sites) {
                auto counts = store.counts(s.number);
                if (!counts)
                    return counts.failure();
                rows.push_back({std::move(s), std::move(*counts)});
            }
            return rows;
        },
        [this](Result<std::vector<SiteRow>> rows) {
            if (!rows) {
                m_sitesStatus->setText(tr("The sites could not be read: %1").arg(failureText(rows)));
                Q_EMIT sitesLoaded();
                return;
            }
            showSites(std::move(*rows));
        });
}

void ReceivePage::addSite(const QString &name) { changeSite(true, name); }
void ReceivePage::rotateKey(const QString &name) { changeSite(false, name); }

void ReceivePage::changeSite(bool add, const QString &name)
{
    m_jobs->run(
        this, {QStringLiteral("change site"), JobRunner::Access::Write},
        [add, name](JobContext &ctx) -> Result<Site> {
            SiteStore store(ctx.db());
            return add ? store.add(name) : store.rotateKey(name);
        },
        [this, add](Result<Site> site) {
            if (!site) {
                m_sitesStatus->setStyleSheet(theme::failureStyleSheet(m_sitesStatus->palette()));
                m_sitesStatus->setText(failureText(site));
                Q_EMIT sitesLoaded();
                return;
            }
            m_sitesStatus->setStyleSheet(QString());
            m_sitesStatus->setText(
                add ? tr("Added the site %1 (number %2).").arg(site->name).arg(site->number)
                    : tr("A new key for %1: give its SDK the new DSN; the old one is refused from now on.").arg(site->name));
            if (add)
                m_newName->clear();
            Q_EMIT sitesChanged();
            reloadSites();
        });
}

void ReceivePage::showSites(std::vector<SiteRow> rows)
{
    const int selected = m_sites->currentRow();
    m_rows = std::move(rows);
    m_sites->clearContents();
    m_sites->setRowCount(int(m_rows.size()));
    for (int r = 0; r < int(m_rows.size()); ++r) {
        const SiteRow &row = m_rows[size_t(r)];
        m_sites->setItem(r, SiteColumn, new QTableWidgetItem(QStringLiteral("%1  %2").arg(row.site.number).arg(row.site.name)));
        auto *dsn = new QTableWidgetItem(dsnOf(r));
        dsn->setFont(theme::codeFont());
        dsn->setToolTip(dsn->text());
        m_sites->setItem(r, DsnColumn, dsn);
        auto *copy = new QPushButton(theme::icon(QStringLiteral("copy")), tr("Copy"), m_sites);
        copy->setObjectName(QStringLiteral("copyDsn%1").arg(row.site.number));
        copy->setToolTip(tr("Copy the DSN of %1 to the clipboard").arg(row.site.name));
        connect(copy, &QPushButton::clicked, this, [this, r] { copyDsn(r); });
        m_sites->setCellWidget(r, CopyColumn, copy);
    }
    // A line per site: the table stays narrow enough for the DSNs.
    QStringList lines;
    for (const SiteRow &row : m_rows) {
        QStringList counted;
        for (const SiteCount &c : row.counts)
            counted << countText(c);
        lines << tr("%1: %2").arg(row.site.name, counted.isEmpty() ? tr("nothing yet") : counted.join(QStringLiteral("; ")));
    }
    m_counts->setText(lines.isEmpty() ? QString() : tr("What the SDKs reported beside events:") + u'\n' + lines.join(u'\n'));
    if (selected >= 0 && selected < m_sites->rowCount())
        m_sites->selectRow(selected);
    if (m_rows.empty())
        m_sitesStatus->setText(tr("No sites yet: add one, or turn receiving on and the site \"default\" is made."));
    Q_EMIT sitesLoaded();
}

} // namespace ed
