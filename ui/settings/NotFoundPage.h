#pragma once
// Settings: which 404s are hidden (Django's IGNORABLE_404_URLS and APPEND_SLASH,
// plus ErrorDeck's crawler and prefix rules), with a live tester: type a URL,
// referer and host and see the verdict of the rules as edited, and which rule
// decided, before saving.
#include "settings/SettingsPage.h"

class QCheckBox;
class QLabel;
class QLineEdit;

namespace ed {

class NotFoundPage : public SettingsPage {
    Q_OBJECT
public:
    explicit NotFoundPage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;
    // The tester's verdict for the current fields.
    QString verdict() const;
    void setTestRequest(const QString &url, const QString &referer, const QString &host, const QString &agent = {});

private:
    void test();

    QPlainTextEdit *m_urls, *m_agents, *m_prefixes;
    QCheckBox *m_appendSlash, *m_hideCrawlers;
    QLineEdit *m_testUrl, *m_testReferer, *m_testHost, *m_testAgent;
    QLabel *m_verdict;
};

} // namespace ed
