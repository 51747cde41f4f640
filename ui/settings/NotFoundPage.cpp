#include "settings/NotFoundPage.h"

#include "filters/FilterSet.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QUrl>

namespace ed {
namespace {
QStringList toStrings(const QJsonArray &a)
{
    QStringList out;
    for (const QJsonValue &v : a)
        out << v.toString();
    return out;
}
} // namespace

NotFoundPage::NotFoundPage(QWidget *parent) : SettingsPage(parent)
{
    auto *form = new QFormLayout;
    m_urls = makeLinesEdit(this, tr("One Python regex per line, e.g. ^/wp-admin or \\.php$"));
    m_urls->setObjectName(QStringLiteral("ignorableUrls"));
    m_appendSlash = new QCheckBox(tr("APPEND_SLASH"), this);
    m_appendSlash->setObjectName(QStringLiteral("appendSlash"));
    m_hideCrawlers = new QCheckBox(tr("Hide 404s from crawlers"), this);
    m_hideCrawlers->setObjectName(QStringLiteral("hideCrawlers"));
    m_agents = makeLinesEdit(this, tr("User-agent substrings"));
    m_prefixes = makeLinesEdit(this, tr("Path prefixes, e.g. /static/"));
    m_prefixes->setObjectName(QStringLiteral("hiddenPrefixes"));
    addField(form, tr("&IGNORABLE_404_URLS:"), m_urls, ConfigKey::IgnorableUrls);
    addField(form, QString(), m_appendSlash, ConfigKey::AppendSlash);
    addField(form, QString(), m_hideCrawlers, ConfigKey::HideCrawler404s);
    addField(form, tr("Crawler &agents:"), m_agents, ConfigKey::CrawlerAgents);
    addField(form, tr("Hidden &prefixes:"), m_prefixes, ConfigKey::Hidden404Prefixes);

    auto *tester = new QGroupBox(tr("Test a 404"), this);
    auto *tform = new QFormLayout(tester);
    m_testUrl = new QLineEdit(tester);
    m_testUrl->setObjectName(QStringLiteral("testUrl"));
    m_testUrl->setPlaceholderText(tr("/wp-login.php?x=1 or a full URL"));
    m_testReferer = new QLineEdit(tester);
    m_testReferer->setObjectName(QStringLiteral("testReferer"));
    m_testHost = new QLineEdit(tester);
    m_testHost->setObjectName(QStringLiteral("testHost"));
    m_testHost->setPlaceholderText(tr("shop.example.com"));
    m_testAgent = new QLineEdit(tester);
    m_testAgent->setObjectName(QStringLiteral("testAgent"));
    m_verdict = new QLabel(tester);
    m_verdict->setObjectName(QStringLiteral("testVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    tform->addRow(tr("&URL:"), m_testUrl);
    tform->addRow(tr("&Referer:"), m_testReferer);
    tform->addRow(tr("&Host:"), m_testHost);
    tform->addRow(tr("User a&gent:"), m_testAgent);
    tform->addRow(tr("Verdict:"), m_verdict);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(tester);
    layout->addStretch();

    for (QLineEdit *e : {m_testUrl, m_testReferer, m_testHost, m_testAgent})
        connect(e, &QLineEdit::textChanged, this, &NotFoundPage::test);
    for (QPlainTextEdit *e : {m_urls, m_agents, m_prefixes})
        connect(e, &QPlainTextEdit::textChanged, this, &NotFoundPage::test);
    for (QCheckBox *c : {m_appendSlash, m_hideCrawlers})
        connect(c, &QCheckBox::toggled, this, &NotFoundPage::test);
    test();
}

void NotFoundPage::load(const ConfigCache &config)
{
    setLines(m_urls, config.stringList(ConfigKey::IgnorableUrls));
    m_appendSlash->setChecked(config.flag(ConfigKey::AppendSlash));
    m_hideCrawlers->setChecked(config.flag(ConfigKey::HideCrawler404s));
    setLines(m_agents, config.stringList(ConfigKey::CrawlerAgents));
    setLines(m_prefixes, config.stringList(ConfigKey::Hidden404Prefixes));
}

bool NotFoundPage::apply(SettingsEdits &config)
{
    bool ok = setValue(config, ConfigKey::IgnorableUrls, linesValue(m_urls));
    ok = setValue(config, ConfigKey::AppendSlash, m_appendSlash->isChecked()) && ok;
    ok = setValue(config, ConfigKey::HideCrawler404s, m_hideCrawlers->isChecked()) && ok;
    ok = setValue(config, ConfigKey::CrawlerAgents, linesValue(m_agents)) && ok;
    ok = setValue(config, ConfigKey::Hidden404Prefixes, linesValue(m_prefixes)) && ok;
    return ok;
}

void NotFoundPage::setTestRequest(const QString &url, const QString &referer, const QString &host, const QString &agent)
{
    m_testUrl->setText(url);
    m_testReferer->setText(referer);
    m_testHost->setText(host);
    m_testAgent->setText(agent);
    test();
}

QString NotFoundPage::verdict() const { return m_verdict->text(); }

void NotFoundPage::test()
{
    QString path = m_testUrl->text().trimmed();
    QString host = m_testHost->text().trimmed();
    if (path.isEmpty()) {
        m_verdict->setText(tr("Type a URL to see what the rules above decide."));
        return;
    }
    if (path.contains(QLatin1String("://"))) { // a full URL: its host too
        const QUrl u(path);
        if (host.isEmpty())
            host = u.host();
        path = u.path(QUrl::FullyEncoded) + (u.hasQuery() ? QLatin1Char('?') + u.query(QUrl::FullyEncoded) : QString());
    }
    NotFoundSettings s;
    s.ignorableUrls = toStrings(linesValue(m_urls));
    s.appendSlash = m_appendSlash->isChecked();
    s.hideCrawlers = m_hideCrawlers->isChecked();
    s.crawlerAgents = toStrings(linesValue(m_agents));
    s.hiddenPrefixes = toStrings(linesValue(m_prefixes));
    auto rules = NotFoundRules::compile(s);
    if (!rules) {
        m_verdict->setText(tr("The rules have an error: %1").arg(rules.error()));
        return;
    }
    const std::string p = path.toStdString(), h = host.toStdString(), r = m_testReferer->text().trimmed().toStdString(),
                      a = m_testAgent->text().trimmed().toStdString();
    const QString by = rules->ignoredBy(p, h, r, a);
    if (by.isEmpty())
        m_verdict->setText(tr("Kept: Django would mail MANAGERS about this 404."));
    else
        m_verdict->setText(tr("Hidden: ignorable, decided by %1").arg(by));
}

} // namespace ed
