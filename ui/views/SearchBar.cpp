#include "views/SearchBar.h"

#include "look/Theme.h"

#include <QAbstractItemView>
#include <QBoxLayout>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStringListModel>
#include <QTimer>

namespace ed {

SearchBar::SearchBar(QWidget *parent) : QWidget(parent)
{
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setPlaceholderText(
        tr("Search: text, level:error status:500 logger:django.request path:/api/* type:KeyError is:unresolved"));
    m_edit->addAction(theme::icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_edit->setAccessibleName(tr("Search"));

    QStringList fields;
    for (const QString &f : SearchQuery::fieldNames())
        fields << f + QLatin1Char(':');
    m_completer = new QCompleter(new QStringListModel(fields, this), this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(m_edit);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &SearchBar::insertCompletion);
    m_edit->installEventFilter(this);

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("timeRange"));
    m_range->addItems(
        {tr("All time"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"), tr("Last 30 days"), tr("Custom…")});
    m_range->setAccessibleName(tr("Time range"));

    m_errorIcon = new QLabel(this);
    m_errorIcon->setPixmap(theme::icon(QStringLiteral("warning")).pixmap(16, 16));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("searchError"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorIcon->hide();
    m_error->hide();

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_edit, 1);
    row->addWidget(m_range);
    auto *errRow = new QHBoxLayout;
    errRow->setContentsMargins(4, 0, 0, 0);
    errRow->addWidget(m_errorIcon);
    errRow->addWidget(m_error, 1);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(2);
    col->addLayout(row);
    col->addLayout(errRow);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, &SearchBar::apply);
    connect(m_edit, &QLineEdit::textEdited, this, &SearchBar::onTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, [this] {
        if (!m_completer->popup()->isVisible())
            apply();
    });
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &t) {
        if (t.isEmpty())
            m_debounce->start(); // the clear button
    });
    connect(m_range, &QComboBox::activated, this, [this](int i) {
        if (i == Custom)
            chooseCustomRange();
        else
            m_lastRangeIndex = i;
        apply();
    });
}

void SearchBar::focusSearch()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

QString SearchBar::text() const { return m_edit->text(); }

void SearchBar::setText(const QString &text)
{
    m_edit->setText(text);
    apply();
}

void SearchBar::setRange(Range r)
{
    m_range->setCurrentIndex(r);
    m_lastRangeIndex = r;
    apply();
}

SearchBar::Range SearchBar::range() const { return Range(m_range->currentIndex()); }

void SearchBar::setCustomRange(int64_t sinceMs, int64_t untilMs)
{
    m_customSince = sinceMs;
    m_customUntil = untilMs;
    m_range->setItemText(
        Custom, QStringLiteral("%1 – %2").arg(QDateTime::fromMSecsSinceEpoch(sinceMs).toString(QStringLiteral("MMM d HH:mm")),
                                              QDateTime::fromMSecsSinceEpoch(untilMs).toString(QStringLiteral("MMM d HH:mm"))));
    m_range->setCurrentIndex(Custom);
    m_lastRangeIndex = Custom;
    apply();
}

QString SearchBar::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

SearchQuery SearchBar::query() const
{
    SearchQuery q;
    q.text = m_edit->text();
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    constexpr int64_t hour = 3600 * 1000;
    switch (range()) {
    case AllTime: break;
    case LastHour: q.since = now - hour; break;
    case LastDay: q.since = now - 24 * hour; break;
    case LastWeek: q.since = now - 7 * 24 * hour; break;
    case LastMonth: q.since = now - 30 * 24 * hour; break;
    case Custom:
        q.since = m_customSince;
        q.until = m_customUntil;
        break;
    }
    return q;
}

void SearchBar::apply()
{
    m_debounce->stop();
    SearchQuery q = query();
    auto parsed = q.check(); // parsed here once: the lists and the chart get the terms with q
    if (!parsed) {
        m_error->setText(parsed.error());
        m_error->show();
        m_errorIcon->show();
        return;
    }
    m_error->clear();
    m_error->hide();
    m_errorIcon->hide();
    Q_EMIT queryChanged(q);
}

void SearchBar::onTextEdited()
{
    m_debounce->start();
    // Complete the field name of the word under the cursor ("lev" -> "level:").
    const QString t = m_edit->text();
    const int pos = m_edit->cursorPosition();
    int start = pos;
    while (start > 0 && !t[start - 1].isSpace())
        --start;
    QString word = t.mid(start, pos - start);
    if (word.startsWith(QLatin1Char('-')) || word.startsWith(QLatin1Char('!')))
        word.remove(0, 1);
    if (word.isEmpty() || word.contains(QLatin1Char(':')) || word.contains(QLatin1Char('"'))) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(word);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    // Under the word being typed (cursorRect() is protected in QLineEdit).
    QRect r(std::min(m_edit->fontMetrics().horizontalAdvance(t.left(start)) + 24, m_edit->width() - 120), 0,
            m_completer->popup()->sizeHintForColumn(0) + 24, m_edit->height());
    m_completer->complete(r);
}

void SearchBar::insertCompletion(const QString &field)
{
    QString t = m_edit->text();
    const int pos = m_edit->cursorPosition();
    int start = pos;
    while (start > 0 && !t[start - 1].isSpace())
        --start;
    if (start < t.size() && (t[start] == QLatin1Char('-') || t[start] == QLatin1Char('!')))
        ++start;
    t.replace(start, pos - start, field);
    m_edit->setText(t);
    m_edit->setCursorPosition(start + int(field.size()));
    m_debounce->stop(); // "level:" alone is not a query yet
}

bool SearchBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && !m_edit->text().isEmpty() && !m_completer->popup()->isVisible()) {
            m_edit->clear();
            apply();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SearchBar::chooseCustomRange()
{
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Custom time range"));
    auto *from = new QDateTimeEdit(&dlg);
    auto *to = new QDateTimeEdit(&dlg);
    for (QDateTimeEdit *e : {from, to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    const QDateTime now = QDateTime::currentDateTime();
    from->setDateTime(m_customSince ? QDateTime::fromMSecsSinceEpoch(m_customSince) : now.addDays(-1));
    to->setDateTime(m_customUntil ? QDateTime::fromMSecsSinceEpoch(m_customUntil) : now);
    auto *form = new QFormLayout(&dlg);
    form->addRow(tr("&From:"), from);
    form->addRow(tr("&To:"), to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    if (dlg.exec() == QDialog::Accepted && from->dateTime() < to->dateTime()) {
        m_customSince = from->dateTime().toMSecsSinceEpoch();
        m_customUntil = to->dateTime().toMSecsSinceEpoch();
        setCustomRange(m_customSince, m_customUntil);
    } else {
        m_range->setCurrentIndex(m_lastRangeIndex);
    }
}

} // namespace ed
