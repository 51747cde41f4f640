#pragma once
// Help › Search syntax: docs/search.md (built into the resources), rendered:
// every field with an example, times and zones, OR and parentheses.
#include <QDialog>

class QTextBrowser;

namespace ed {

class SearchSyntaxDialog : public QDialog {
    Q_OBJECT
public:
    explicit SearchSyntaxDialog(QWidget *parent = nullptr);
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser;
};

} // namespace ed
