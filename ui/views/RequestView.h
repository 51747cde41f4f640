#pragma once
// The Request tab: method, URL, user, client address, referer and user agent,
// then GET, POST, FILES, COOKIES and META as filterable key/value tables;
// the request can be copied as a curl command or a Django test to replay it.
// For a Sentry SDK's event, a note names what the SDK itself cut or left out
// of the request before sending (its `_meta`), as scrubbed values are marked.
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
    QLabel *sdkNote() const { return m_sdkNote; } // hidden when the SDK cut nothing
    void copyAsCurl();
    void copyAsDjangoTest();

Q_SIGNALS:
    void copied(const QString &what); // for the status bar

private:
    void showSdkTrims(const Report &report);

    QHash<QString, QLabel *> m_fields;
    QHash<QString, KeyValueTable *> m_tables;
    QTabWidget *m_tabs;
    QLabel *m_none;
    QLabel *m_sdkNote;
    QToolButton *m_copyCurl, *m_copyTest;
    std::optional<Request> m_request;
};

} // namespace ed
