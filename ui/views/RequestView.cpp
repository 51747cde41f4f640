#include "views/RequestView.h"

#include "views/KeyValueTable.h"

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
        {QStringLiteral("method"), tr("Method:")},         {QStringLiteral("url"), tr("URL:")},
        {QStringLiteral("user"), tr("User:")},             {QStringLiteral("client"), tr("Client address:")},
        {QStringLiteral("referer"), tr("Referer:")},       {QStringLiteral("agent"), tr("User agent:")},
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
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_none, 1);
}

void RequestView::setRecord(const QJsonObject &record)
{
    const QJsonObject r = record.value(QLatin1String("request")).toObject();
    const QJsonObject meta = r.value(QLatin1String("META")).toObject();
    m_none->setVisible(r.isEmpty());
    m_tabs->setVisible(!r.isEmpty());
    auto set = [this](const QString &key, const QString &text) {
        m_fields[key]->setText(text.isEmpty() ? QStringLiteral("—") : text);
        m_fields[key]->setToolTip(text);
    };
    set(QStringLiteral("method"), r.value(QLatin1String("method")).toString());
    QString url = r.value(QLatin1String("url")).toString();
    if (url.isEmpty())
        url = r.value(QLatin1String("full_path")).toString();
    set(QStringLiteral("url"), url);
    set(QStringLiteral("user"), r.value(QLatin1String("user")).toString());
    QString client = r.value(QLatin1String("remote_addr")).toString();
    if (client.isEmpty())
        client = meta.value(QLatin1String("REMOTE_ADDR")).toString();
    set(QStringLiteral("client"), client);
    set(QStringLiteral("referer"), meta.value(QLatin1String("HTTP_REFERER")).toString());
    set(QStringLiteral("agent"), meta.value(QLatin1String("HTTP_USER_AGENT")).toString());
    int i = 0;
    for (const char *name : {"GET", "POST", "FILES", "COOKIES", "META"}) {
        const QJsonObject obj = r.value(QLatin1String(name)).toObject();
        m_tables[QString::fromLatin1(name)]->setObject(obj);
        m_tabs->setTabText(i++, obj.isEmpty() ? QString::fromLatin1(name) : QStringLiteral("%1 (%2)").arg(QString::fromLatin1(name)).arg(obj.size()));
    }
}

KeyValueTable *RequestView::table(const QString &name) const { return m_tables.value(name); }

QString RequestView::fieldText(const QString &name) const
{
    const QLabel *l = m_fields.value(name);
    return l ? l->text() : QString();
}

} // namespace ed
