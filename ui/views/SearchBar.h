#pragma once
// The search bar: Sentry-like query text (SearchQuery's language, with field
// name and value completion) and a time range. A search that does not parse
// has its bad term underlined (wavy, in the error color) and the reason shown
// under the bar; queryInvalid() lets the window empty its lists. Errors wait
// for a pause in typing or Enter, and a term still being typed (the cursor at
// its end) gets a longer pause, so that "level:" on its way to "level:error"
// is not flagged.
#include "store/SearchQuery.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QStringListModel;
class QTimer;

namespace ed {

class SearchBar : public QWidget {
    Q_OBJECT
public:
    enum Range { AllTime, LastHour, LastDay, LastWeek, LastMonth, Custom };

    explicit SearchBar(QWidget *parent = nullptr);

    // The query as typed plus the time range (issue selection is not part of it).
    SearchQuery query() const;
    QString text() const;
    void setText(const QString &text); // applies at once
    void setCustomRange(int64_t sinceMs, int64_t untilMs);
    void setRange(Range r);
    Range range() const;
    QString errorText() const;
    // The typed text's span underlined as wrong, {start, length}; {0, 0} when none.
    std::pair<qsizetype, qsizetype> underlined() const { return m_underlined; }
    // The zone of after:/before: times (the lists' zone, ERRORDECK_TIME_ZONE).
    void setZone(DisplayZone zone);
    DisplayZone zone() const { return m_zone; }
    // Values offered after a field name ("status" -> "500", "404"...), from
    // the database (store/SearchValues.h, read by a job of the window).
    void setValueCompletions(const QHash<QString, QStringList> &values);
    QCompleter *completer() const { return m_completer; }
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    // A valid query was applied (Enter, a pause in typing, a range change).
    void queryChanged(const ed::SearchQuery &query);
    // The typed text does not parse; the error is shown (what the window shows
    // for the search is no result, not the previous one).
    void queryInvalid(const ed::SearchProblem &problem);

public Q_SLOTS:
    void focusSearch();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Checks what is typed; a valid query goes out, an invalid one is shown
    // unless `patient` and its bad term is the one under the cursor.
    void apply(bool patient = false);
    void showProblem(const SearchProblem &problem);
    void hideProblem();
    void underline(qsizetype start, qsizetype length);
    void onTextEdited();
    void insertCompletion(const QString &completion);
    void chooseCustomRange();

    QLineEdit *m_edit;
    QCompleter *m_completer;
    QStringListModel *m_fieldModel, *m_valueModel;
    QHash<QString, QStringList> m_values; // field -> values
    QString m_valueField; // the field m_valueModel holds the values of
    QComboBox *m_range;
    QLabel *m_error;
    QLabel *m_errorIcon;
    QTimer *m_debounce; // a pause in typing
    QTimer *m_longPause; // a longer one, for a term still being typed
    std::pair<qsizetype, qsizetype> m_underlined{0, 0};
    DisplayZone m_zone = DisplayZone::Local;
    int64_t m_customSince = 0, m_customUntil = 0;
    int m_lastRangeIndex = 0;
};

} // namespace ed
