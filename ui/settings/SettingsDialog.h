#pragma once
// Settings (Ctrl+,): the database's settings by Django's names, the same values
// `errordeck-cli config` reads and writes. Pages: recipients, e-mail server,
// 404 filters (with a tester), scrubbing, drop and hide rules, watched folders.
#include "store/Config.h"

#include <QDialog>

class QDialogButtonBox;
class QListWidget;
class QStackedWidget;

namespace ed {

class EmailPage;
class NotFoundPage;
class RecipientsPage;
class RulesPage;
class ScrubbingPage;
class SettingsPage;
class WatchPage;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    enum Page { Recipients, Email, NotFound, Scrubbing, Rules, Watch };
    SettingsDialog(Database &db, Config &config, QWidget *parent = nullptr);

    void showPage(Page p);
    // Writes every page; false (and the dialog stays open) when a value was refused.
    bool apply();

    RecipientsPage *recipients() const { return m_recipients; }
    EmailPage *email() const { return m_email; }
    NotFoundPage *notFound() const { return m_notFound; }
    ScrubbingPage *scrubbing() const { return m_scrubbing; }
    RulesPage *rules() const { return m_rules; }
    WatchPage *watch() const { return m_watch; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    void accept() override;

private:
    Config &m_config;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    QList<SettingsPage *> m_pages;
    RecipientsPage *m_recipients;
    EmailPage *m_email;
    NotFoundPage *m_notFound;
    ScrubbingPage *m_scrubbing;
    RulesPage *m_rules;
    WatchPage *m_watch;
    QDialogButtonBox *m_buttons;
};

} // namespace ed
