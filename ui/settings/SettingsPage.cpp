#include "settings/SettingsPage.h"

#include "look/Theme.h"

#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>

namespace ed {

void SettingsPage::addField(QFormLayout *form, const QString &label, QWidget *field, ConfigKey key)
{
    auto *box = new QWidget(this);
    auto *col = new QVBoxLayout(box);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(2);
    col->addWidget(field);
    auto *error = new QLabel(box);
    error->setObjectName(QStringLiteral("error_%1").arg(QString::fromLatin1(Config::entry(key).name)));
    error->setWordWrap(true);
    error->setTextFormat(Qt::PlainText);
    QFont bold = error->font();
    bold.setBold(true);
    error->setFont(bold);
    error->hide();
    col->addWidget(error);
    // Any extra height goes below: the field stays level with its label.
    col->addStretch(1);
    // As tall as its field: extra height would otherwise float the field off its label.
    box->setSizePolicy(field->sizePolicy().horizontalPolicy(), field->sizePolicy().verticalPolicy() == QSizePolicy::Expanding
                                                                   ? QSizePolicy::Expanding
                                                                   : QSizePolicy::Maximum);
    field->setToolTip(QStringLiteral("%1 — %2").arg(QString::fromLatin1(Config::entry(key).name),
                                                    QString::fromLatin1(Config::entry(key).help)));
    // Labels at the top of their row, beside the field's first line, whatever the style's default.
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->addRow(label, box);
    m_errors.insert(int(key), error);
}

void SettingsPage::showError(ConfigKey key, const QString &message)
{
    QLabel *l = m_errors.value(int(key));
    if (!l)
        return;
    l->setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
    l->setVisible(!message.isEmpty());
}

QString SettingsPage::errorText(ConfigKey key) const
{
    const QLabel *l = m_errors.value(int(key));
    return l && !l->isHidden() ? l->text() : QString();
}

bool SettingsPage::setValue(SettingsEdits &edits, ConfigKey key, const QJsonValue &value)
{
    if (edits.current.value(key) == value) {
        showError(key, {});
        return true;
    }
    const QString problem = Config::check(key, value);
    showError(key, problem);
    if (!problem.isEmpty())
        return false;
    edits.changes.append({key, value});
    return true;
}

QPlainTextEdit *makeLinesEdit(QWidget *parent, const QString &placeholder)
{
    auto *e = new QPlainTextEdit(parent);
    e->setPlaceholderText(placeholder);
    e->setTabChangesFocus(true);
    e->setLineWrapMode(QPlainTextEdit::NoWrap);
    e->setFont(theme::codeFont());
    e->setFixedHeight(e->fontMetrics().lineSpacing() * 4 + 12);
    return e;
}

QJsonArray linesValue(const QPlainTextEdit *edit)
{
    QJsonArray a;
    for (const QString &line : edit->toPlainText().split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            a.append(t);
    }
    return a;
}

void setLines(QPlainTextEdit *edit, const QStringList &lines) { edit->setPlainText(lines.join(QLatin1Char('\n'))); }

} // namespace ed
