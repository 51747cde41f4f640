#include "views/RequestView.h"

#include "views/KeyValueTable.h"

#include "look/Theme.h"
#include "model/SentryExtra.h"
#include "send/ReproduceRequest.h"

#include <QApplication>
#include <QClipboard>
#include <QToolButton>
#include <QBoxLayout>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>

namespace ed {

RequestView::RequestView(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const QList<QPair<QString, QString>> fields = {
        {QStringLiteral("method"), tr("Method:")},   {QStringLiteral("url"), tr("URL:")},
        {QStringLiteral("user"), tr("User:")},       {QStringLiteral("client"), tr("Client address:")},
        {QStringLiteral("referer"), tr("Referer:")}, {QStringLiteral("agent"), tr("User agent:")},
    };
    for (const auto &[key, label] : fields) {
        // One line each; a long URL is cut at the window's edge (the tooltip and
        // selection have all of it) rather than wrapped out of sight.
        auto *value = new QLabel(this);
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        value->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        value->setMinimumWidth(1); // not the whole text: the form may be narrower
        value->setObjectName(QStringLiteral("request_") + key);
        form->addRow(label, value);
        m_fields.insert(key, value);
    }
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    for (const char *name : {"GET", "POST", "FILES", "COOKIES", "META"}) {
        auto *t = new KeyValueTable(QString::fromLatin1(name), m_tabs);
        t->setObjectName(QStringLiteral("request_%1").arg(QString::fromLatin1(name)));
        m_tabs->addTab(t, QString::fromLatin1(name));
        m_tables.insert(QString::fromLatin1(name), t);
    }
    m_none = new QLabel(tr("This report has no request."), this);
    m_none->setAlignment(Qt::AlignCenter);
    m_none->hide();
    m_sdkNote = new QLabel(this);
    m_sdkNote->setObjectName(QStringLiteral("requestSdkNote"));
    m_sdkNote->setTextFormat(Qt::PlainText);
    m_sdkNote->setWordWrap(true);
    theme::keepMutedText(m_sdkNote); // follows View › Theme
    m_sdkNote->hide();
    const auto copyButton = [this](const char *name, const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setObjectName(QString::fromLatin1(name));
        b->setText(text);
        b->setToolTip(tip);
        b->setIcon(theme::icon(QStringLiteral("copy")));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return b;
    };
    m_copyCurl = copyButton("copyAsCurl", tr("Copy as curl"),
                            tr("Copy a curl command that sends this request again (masked values stay <scrubbed>)"));
    m_copyTest = copyButton("copyAsDjangoTest", tr("Copy as Django test"),
                            tr("Copy a Django TestCase that sends this request through the test client"));
    connect(m_copyCurl, &QToolButton::clicked, this, &RequestView::copyAsCurl);
    connect(m_copyTest, &QToolButton::clicked, this, &RequestView::copyAsDjangoTest);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_copyCurl);
    buttons->addWidget(m_copyTest);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_sdkNote);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_none, 1);
}

void RequestView::setReport(const Report &report)
{
    m_request = report.request;
    const Request r = report.request.value_or(Request{});
    m_none->setVisible(!report.request);
    m_copyCurl->setEnabled(report.request.has_value());
    m_copyTest->setEnabled(report.request.has_value());
    m_tabs->setVisible(report.request.has_value());
    auto set = [this](const QString &key, const QString &text) {
        m_fields[key]->setText(text.isEmpty() ? QStringLiteral("—") : text);
        m_fields[key]->setToolTip(text);
    };
    set(QStringLiteral("method"), r.method);
    set(QStringLiteral("url"), r.url.isEmpty() ? r.fullPath : r.url);
    set(QStringLiteral("user"), r.user);
    set(QStringLiteral("client"), r.remoteAddr.isEmpty() ? entryText(r.meta, u"REMOTE_ADDR") : r.remoteAddr);
    set(QStringLiteral("referer"), entryText(r.meta, u"HTTP_REFERER"));
    set(QStringLiteral("agent"), entryText(r.meta, u"HTTP_USER_AGENT"));
    const std::pair<const char *, const Entries *> sections[] = {
        {"GET", &r.get}, {"POST", &r.post}, {"FILES", &r.files}, {"COOKIES", &r.cookies}, {"META", &r.meta}};
    int i = 0;
    for (const auto &[name, entries] : sections) {
        m_tables[QString::fromLatin1(name)]->setEntries(*entries);
        m_tabs->setTabText(i, entries->empty() ? QString::fromLatin1(name)
                                               : QStringLiteral("%1 (%2)").arg(QString::fromLatin1(name)).arg(entries->size()));
        m_tabs->setTabToolTip(i++, QString());
    }
    showSdkTrims(report);
}

// The parts of the Sentry event's "request" the SDK's _meta annotates, by the
// tab that shows them (sentry/SentryEvent.cpp maps data to POST, cookies to
// COOKIES, headers and env to META, query_string to GET).
void RequestView::showSdkTrims(const Report &report)
{
    static const QHash<QString, QString> tabOf = {
        {QStringLiteral("data"), QStringLiteral("POST")},        {QStringLiteral("cookies"), QStringLiteral("COOKIES")},
        {QStringLiteral("headers"), QStringLiteral("META")},     {QStringLiteral("env"), QStringLiteral("META")},
        {QStringLiteral("query_string"), QStringLiteral("GET")}, {QStringLiteral("url"), QStringLiteral("URL")},
    };
    QStringList notes;
    QHash<QString, QStringList> byTab;
    for (const SdkTrim &trim : sdkTrimsOf(report)) {
        if (trim.path.size() < 2 || trim.path.at(0) != QLatin1String("request"))
            continue;
        const QString tab = tabOf.value(trim.path.at(1), trim.path.at(1));
        const QString where = trim.path.size() > 2 ? QStringLiteral("%1 %2").arg(tab, trim.path.mid(2).join(QLatin1Char('.')))
                                                   : tab;
        const QString what = QStringLiteral("%1: %2").arg(
            where, describeSdkTrim(trim, trim.path.size() > 2 ? tr("characters") : tr("items")));
        notes << what;
        byTab[tab] << what;
    }
    m_sdkNote->setVisible(!notes.isEmpty());
    if (notes.isEmpty())
        return;
    m_sdkNote->setText(tr("The Sentry SDK changed this request before sending it — %1.").arg(notes.join(QStringLiteral("; "))));
    for (int i = 0; i < m_tabs->count(); ++i) {
        const QString name = m_tabs->widget(i)->objectName().mid(int(qstrlen("request_")));
        if (byTab.contains(name))
            m_tabs->setTabToolTip(i, byTab.value(name).join(QLatin1Char('\n')));
    }
}

void RequestView::copyAsCurl()
{
    if (!m_request)
        return;
    QApplication::clipboard()->setText(requestAsCurl(*m_request));
    Q_EMIT copied(tr("curl command"));
}

void RequestView::copyAsDjangoTest()
{
    if (!m_request)
        return;
    QApplication::clipboard()->setText(requestAsDjangoTest(*m_request));
    Q_EMIT copied(tr("Django test"));
}

KeyValueTable *RequestView::table(const QString &name) const { return m_tables.value(name); }

QString RequestView::fieldText(const QString &name) const
{
    const QLabel *l = m_fields.value(name);
    return l ? l->text() : QString();
}

} // namespace ed
