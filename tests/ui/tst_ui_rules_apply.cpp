// Rules changed in Settings act at once on what is stored (issue 14): a hide
// rule added in the Add rule dialog (whose live preview shows how many stored
// reports it would hide) leaves the report list after the background job, and
// the rule's "Hidden now" shows them; a scrubbing pattern saved in Settings
// removes the value from every table and file (SecretScanner); a Cancel in
// the status bar stops the job and leaves the store as it was.
#include "SecretScanner.h"
#include "UiSupport.h"

#include "models/ReportListModel.h"
#include "settings/RuleDialog.h"
#include "settings/RulesPage.h"
#include "settings/ScrubbingPage.h"
#include "settings/SettingsDialog.h"
#include "views/ReportListView.h"
#include "window/MainWindow.h"
#include "window/RulesController.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTimer>

using namespace ed;

class TestUiRulesApply : public QObject {
    Q_OBJECT
private:
    // A window on a fresh copy of the corpus, listing every visible report.
    struct Deck {
        QTemporaryDir dir;
        QString path;
        std::unique_ptr<MainWindow> win;
        std::unique_ptr<Database> check; // the test's own connection
        ~Deck()
        {
            edtest::onTestSide([this] {
                check.reset();
                return 0;
            });
        }
        ReportListModel *reports() const { return win->reportList()->reportModel(); }
        int64_t count(const char *sql) const { return edtest::scalar(*check, sql); }
    };
    static std::unique_ptr<Deck> openDeck()
    {
        auto d = std::make_unique<Deck>();
        d->path = edtest::corpusDatabase(d->dir);
        auto db = edtest::onTestSide([&] { return Database::open(d->path); });
        if (!db)
            qFatal("%s", qPrintable(db.error()));
        d->win = std::make_unique<MainWindow>(std::move(*db));
        d->win->resize(1400, 900);
        d->win->show();
        d->win->setShowAllReports(true);
        d->check = std::make_unique<Database>(std::move(*edtest::onTestSide([&] { return Database::open(d->path); })));
        return d;
    }
    static SettingsDialog *openSettings(MainWindow &win)
    {
        win.openSettings();
        auto *dlg = win.findChild<SettingsDialog *>();
        if (!dlg || !QTest::qWaitFor([dlg] { return dlg->isReady(); }, 10000))
            return nullptr;
        return dlg;
    }

private Q_SLOTS:
    void initTestCase() { edtest::isolate(); }

    void hideRuleAddedInSettingsLeavesTheList()
    {
        auto d = openDeck();
        QVERIFY(edtest::waitUntilLoaded(d->reports(), 1));
        const int64_t visible = d->count("SELECT count(*) FROM reports WHERE hidden_by IS NULL");
        const int64_t payments = d->count("SELECT count(*) FROM reports WHERE logger = 'shop.payments' AND hidden_by IS NULL");
        QCOMPARE(payments, int64_t(6)); // the corpus's webhook failures, all visible
        QCOMPARE(int64_t(d->reports()->rowCount()), visible);

        SettingsDialog *dlg = openSettings(*d->win);
        QVERIFY(dlg);
        dlg->showPage(SettingsDialog::Rules);
        RulesPage *page = dlg->rules();
        QSignalSpy applied(d->win.get(), &MainWindow::rulesApplied);
        QString previewText, problem;
        // The Add rule dialog is modal: it is filled while its exec() runs.
        QTimer::singleShot(0, this, [&] {
            auto *rule = page->findChild<RuleDialog *>();
            if (!rule) {
                problem = QStringLiteral("no Add rule dialog");
                return;
            }
            QSignalSpy shown(rule, &RuleDialog::previewShown);
            rule->nameEdit()->setText(QStringLiteral("payments"));
            rule->loggerEdit()->setText(QStringLiteral("shop.pay")); // typed on: only the last count stays
            rule->loggerEdit()->setText(QStringLiteral("shop.payments"));
            if (!shown.wait(20000)) {
                problem = QStringLiteral("no preview came");
            } else {
                previewText = rule->previewLabel()->text();
                if (shown.last().at(0).toLongLong() != payments)
                    problem = QStringLiteral("preview counted %1").arg(shown.last().at(0).toLongLong());
            }
            rule->buttons()->button(QDialogButtonBox::Ok)->click();
        });
        page->findChild<QPushButton *>(QStringLiteral("addRule"))->click();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(previewText,
                 QStringLiteral("Would hide 6 of the %1 stored reports").arg(d->count("SELECT count(*) FROM reports")));

        // Saved: applied in the background, the list re-read without them.
        QVERIFY(applied.count() > 0 || applied.wait(30000));
        QVERIFY2(applied.last().at(1).toString().isEmpty(), qPrintable(applied.last().at(1).toString()));
        QCOMPARE(d->count("SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), payments);
        QTRY_COMPARE_WITH_TIMEOUT(int64_t(d->reports()->rowCount()), visible - payments, 10000);
        QVERIFY(edtest::waitUntilLoaded(d->reports(), 1));
        for (int row = 0; row < d->reports()->rowCount(); ++row)
            if (const ReportRow *r = d->reports()->report(row))
                QVERIFY(r->logger != QStringLiteral("shop.payments"));
        // And the rule's "Hidden now" says so.
        QTableWidget *rules = page->rules();
        QTRY_COMPARE_WITH_TIMEOUT(rules->rowCount() > 0 && rules->item(0, 4) ? rules->item(0, 4)->text() : QString(),
                                  QStringLiteral("6"), 10000);
    }

    void scrubbingPatternRemovesTheValue()
    {
        auto d = openDeck();
        const QStringList value{QStringLiteral("division by zero")};
        QVERIFY(!edtest::SecretScanner(value).scan(d->path).found.isEmpty()); // the test can fail
        SettingsDialog *dlg = openSettings(*d->win);
        QVERIFY(dlg);
        dlg->showPage(SettingsDialog::Scrubbing);
        QSignalSpy applied(d->win.get(), &MainWindow::rulesApplied);
        // Written so that the setting itself does not hold the value searched for.
        dlg->scrubbing()
            ->findChild<QPlainTextEdit *>(QStringLiteral("sensitiveValues"))
            ->setPlainText(QStringLiteral("division b[y] zero"));
        dlg->buttons()->button(QDialogButtonBox::Apply)->click();
        QVERIFY(applied.count() > 0 || applied.wait(30000));
        QVERIFY2(applied.last().at(1).toString().isEmpty(), qPrintable(applied.last().at(1).toString()));
        const auto summary = applied.last().at(0).value<ApplySummary>();
        QVERIFY(summary.scrubbed);
        QVERIFY(summary.rescrubbed > 0);
        QVERIFY2(summary.checkpoint.isEmpty(), qPrintable(summary.checkpoint));
        const QStringList found = edtest::SecretScanner(value).scan(d->path).found;
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    }

    // Cancel in the status bar before the job reached a report: nothing changes.
    void cancelLeavesTheStore()
    {
        auto d = openDeck();
        QVERIFY(edtest::waitUntilLoaded(d->reports(), 1));
        {
            const edtest::TestSideDb testSide;
            FilterRule hide;
            hide.name = QStringLiteral("payments");
            hide.logger = QStringLiteral("shop.payments");
            QVERIFY(RuleStore(*d->check).add(hide));
        }
        // The one writer is held busy, so the apply waits behind it.
        auto jobs = JobRunner::forDatabase(d->path);
        auto release = std::make_shared<QSemaphore>();
        QObject holder;
        jobs->run(
            &holder, {QStringLiteral("hold the writer"), JobRunner::Access::Write},
            [release](JobContext &) {
                release->acquire();
                return true;
            },
            [](bool) {});
        QSignalSpy applied(d->win.get(), &MainWindow::rulesApplied);
        d->win->action(QStringLiteral("actionReapplyRules"))->trigger();
        RulesController *rc = d->win->rulesApplier();
        QVERIFY(rc->isRunning());
        QVERIFY(rc->statusWidget()->isVisible());
        QVERIFY(rc->cancelButton()->isEnabled());
        rc->cancelButton()->click();
        release->release();
        QVERIFY(applied.wait(30000));
        const auto summary = applied.last().at(0).value<ApplySummary>();
        QVERIFY(summary.cancelled);
        QCOMPARE(summary.reports, int64_t(0));
        QVERIFY(!rc->statusWidget()->isVisible());
        QCOMPARE(d->count("SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), int64_t(0));
        QCOMPARE(d->count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), int64_t(0));
        // Not cancelled, the same job applies the rule.
        d->win->reapplyRules();
        QVERIFY(applied.wait(30000));
        QVERIFY(!applied.last().at(0).value<ApplySummary>().cancelled);
        QCOMPARE(d->count("SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), int64_t(6));
    }
};

QTEST_MAIN(TestUiRulesApply)
#include "tst_ui_rules_apply.moc"
