#pragma once
// The search bar: Sentry-like query text (SearchQuery's language, with field
// name completion and its error shown inline) and a time range.
#include "store/SearchQuery.h"

#include <QWidget>

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
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
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    // A valid query was applied (Enter, a pause in typing, a range change).
    void queryChanged(const ed::SearchQuery &query);

public Q_SLOTS:
    void focusSearch();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();
    void onTextEdited();
    void insertCompletion(const QString &field);
    void chooseCustomRange();

    QLineEdit *m_edit;
    QCompleter *m_completer;
    QComboBox *m_range;
    QLabel *m_error;
    QLabel *m_errorIcon;
    QTimer *m_debounce;
    int64_t m_customSince = 0, m_customUntil = 0;
    int m_lastRangeIndex = 0;
};

} // namespace ed
