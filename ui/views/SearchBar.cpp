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
#include <QCoreApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QTextCharFormat>
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
    m_fieldModel = new QStringListModel(fields, this);
    m_valueModel = new QStringListModel(this);
    m_completer = new QCompleter(m_fieldModel, this);
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
    m_debounce->setObjectName(QStringLiteral("searchPause"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, [this] { apply(true); });
    m_longPause = new QTimer(this);
    m_longPause->setObjectName(QStringLiteral("searchLongPause"));
    m_longPause->setSingleShot(true);
    m_longPause->setInterval(1500);
    connect(m_longPause, &QTimer::timeout, this, [this] { apply(false); });
    connect(m_edit, &QLineEdit::textEdited, this, &SearchBar::onTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, [this] {
        // Enter with a completion highlighted takes it (QCompleter::activated);
        // with the list only offered, it searches what is typed.
        QAbstractItemView *popup = m_completer->popup();
        if (popup->isVisible() && popup->currentIndex().isValid())
            return;
        popup->hide();
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
    const auto shown = [this](int64_t ms) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
        return (m_zone == DisplayZone::Utc ? t.toUTC() : t).toString(QStringLiteral("MMM d HH:mm"));
    };
    m_range->setItemText(
        Custom, QStringLiteral("%1 – %2 %3").arg(shown(sinceMs), shown(untilMs), displayZoneAbbreviation(untilMs, m_zone)));
    m_range->setCurrentIndex(Custom);
    m_lastRangeIndex = Custom;
    apply();
}

QString SearchBar::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

SearchQuery SearchBar::query() const
{
    SearchQuery q;
    q.text = m_edit->text();
    q.zone = m_zone;
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

void SearchBar::setZone(DisplayZone zone)
{
    if (zone == m_zone)
        return;
    m_zone = zone;
    apply(); // the same text may mean other times now
}

void SearchBar::apply(bool patient)
{
    m_debounce->stop();
    m_longPause->stop();
    SearchQuery q = query();
    auto parsed = q.check(); // parsed here once: the lists and the chart get the terms with q
    if (!parsed) {
        const SearchProblem &p = *q.problem;
        // A term the cursor is in or at the end of is probably being typed:
        // wait for a longer pause (or Enter) before calling it wrong.
        const qsizetype cursor = m_edit->cursorPosition();
        if (patient && cursor >= p.start && cursor <= p.start + p.length) {
            m_longPause->start();
            return;
        }
        showProblem(p);
        Q_EMIT queryInvalid(p);
        return;
    }
    hideProblem();
    Q_EMIT queryChanged(q);
}

void SearchBar::showProblem(const SearchProblem &problem)
{
    m_error->setText(problem.suggestion.isEmpty() ? problem.message
                                                  : tr("%1 — did you mean %2?").arg(problem.message, problem.suggestion));
    m_error->setToolTip(problem.text());
    m_error->show();
    m_errorIcon->show();
    underline(problem.start, problem.length);
}

void SearchBar::hideProblem()
{
    m_error->clear();
    m_error->hide();
    m_errorIcon->hide();
    underline(0, 0);
}

// QLineEdit draws no rich text, but it draws the formats of an input method's
// event (a preedit's underline): an event with no text and one format range
// underlines the term in place, scrolled along with the text.
void SearchBar::underline(qsizetype start, qsizetype length)
{
    const qsizetype size = m_edit->text().size();
    start = std::clamp<qsizetype>(start, 0, size);
    length = std::clamp<qsizetype>(length, 0, size - start);
    if (length == 0 && m_underlined.second == 0)
        return;
    QList<QInputMethodEvent::Attribute> attributes;
    if (length > 0) {
        QTextCharFormat wavy;
        wavy.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        wavy.setUnderlineColor(theme::errorText(m_edit->palette()));
        // Attribute starts are relative to the cursor.
        attributes << QInputMethodEvent::Attribute(QInputMethodEvent::TextFormat, int(start - m_edit->cursorPosition()),
                                                   int(length), wavy);
    }
    QInputMethodEvent event(QString(), attributes);
    QCoreApplication::sendEvent(m_edit, &event);
    m_underlined = {length > 0 ? start : 0, length};
}

void SearchBar::setValueCompletions(const QHash<QString, QStringList> &values)
{
    m_values = values;
    m_valueField.clear(); // the value model is filled again when next needed
}

void SearchBar::onTextEdited()
{
    // The underline no longer sits on the term it named; what is wrong now is
    // said after the next pause.
    m_longPause->stop();
    hideProblem();
    m_debounce->start();
    // Complete the word under the cursor: a field name ("lev" -> "level:"),
    // or after one a stored value ("status:5" -> "status:500").
    const QString t = m_edit->text();
    const int pos = m_edit->cursorPosition();
    int start = pos;
    while (start > 0 && !t[start - 1].isSpace())
        --start;
    QString word = t.mid(start, pos - start);
    while (word.startsWith(QLatin1Char('-')) || word.startsWith(QLatin1Char('!')) || word.startsWith(QLatin1Char('(')))
        word.remove(0, 1);
    const qsizetype colon = word.indexOf(QLatin1Char(':'));
    if (word.isEmpty() || word.contains(QLatin1Char('"'))) {
        m_completer->popup()->hide();
        return;
    }
    if (colon >= 0) {
        const QString field = word.left(colon).toLower();
        const auto values = m_values.constFind(field);
        if (values == m_values.constEnd() || values->isEmpty()) {
            m_completer->popup()->hide();
            return;
        }
        if (m_valueField != field) {
            QStringList items;
            for (const QString &v : *values)
                items << field + QLatin1Char(':') + (v.contains(QLatin1Char(' ')) ? QLatin1Char('"') + v + QLatin1Char('"') : v);
            m_valueModel->setStringList(items);
            m_valueField = field;
        }
        if (m_completer->model() != m_valueModel)
            m_completer->setModel(m_valueModel);
        word = field + word.mid(colon);
    } else if (m_completer->model() != m_fieldModel) {
        m_completer->setModel(m_fieldModel);
    }
    m_completer->setCompletionPrefix(word);
    // Nothing to offer, or only what is typed already.
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == word)) {
        m_completer->popup()->hide();
        return;
    }
    // Under the word being typed (cursorRect() is protected in QLineEdit).
    QRect r(std::min(m_edit->fontMetrics().horizontalAdvance(t.left(start)) + 24, m_edit->width() - 120), 0,
            m_completer->popup()->sizeHintForColumn(0) + 24, m_edit->height());
    m_completer->complete(r);
}

void SearchBar::insertCompletion(const QString &completion)
{
    QString t = m_edit->text();
    const int pos = m_edit->cursorPosition();
    int start = pos;
    while (start > 0 && !t[start - 1].isSpace())
        --start;
    while (start < pos && (t[start] == QLatin1Char('-') || t[start] == QLatin1Char('!') || t[start] == QLatin1Char('(')))
        ++start;
    // A field name waits for its value; a value ends the term.
    const bool isValue = !completion.endsWith(QLatin1Char(':'));
    const QString inserted = isValue && (pos >= t.size() || !t[pos].isSpace()) ? completion + QLatin1Char(' ') : completion;
    t.replace(start, pos - start, inserted);
    m_edit->setText(t);
    m_edit->setCursorPosition(start + int(inserted.size()));
    if (isValue)
        m_debounce->start(); // a whole term: searched after the pause
    else
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
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm t"));
        if (m_zone == DisplayZone::Utc)
            e->setTimeSpec(Qt::UTC);
    }
    const auto inZone = [this](const QDateTime &t) { return m_zone == DisplayZone::Utc ? t.toUTC() : t.toLocalTime(); };
    const QDateTime now = inZone(QDateTime::currentDateTime());
    from->setDateTime(m_customSince ? inZone(QDateTime::fromMSecsSinceEpoch(m_customSince)) : now.addDays(-1));
    to->setDateTime(m_customUntil ? inZone(QDateTime::fromMSecsSinceEpoch(m_customUntil)) : now);
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
