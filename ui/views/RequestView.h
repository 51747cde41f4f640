#pragma once
// The Request tab: method, URL, user, client address, referer and user agent,
// then GET, POST, FILES, COOKIES and META as filterable key/value tables;
// the request can be copied as a curl command or a Django test to replay it.
#include "model/Report.h"

#include <QWidget>

class QLabel;
class QToolButton;
class QLineEdit;
class QTabWidget;

namespace ed {

class KeyValueTable;

class RequestView : public QWidget {
    Q_OBJECT
public:
    explicit RequestView(QWidget *parent = nullptr);
    void setReport(const Report &report);
    KeyValueTable *table(const QString &name) const; // "GET", "POST", "FILES", "COOKIES", "META"
    QString fieldText(const QString &name) const; // "method", "url", "user", "client", "referer", "agent"
    void copyAsCurl();
    void copyAsDjangoTest();

Q_SIGNALS:
    void copied(const QString &what); // for the status bar

private:
    QHash<QString, QLabel *> m_fields;
    QHash<QString, KeyValueTable *> m_tables;
    QTabWidget *m_tabs;
    QLabel *m_none;
    QToolButton *m_copyCurl, *m_copyTest;
    std::optional<Request> m_request;
};

} // namespace ed
