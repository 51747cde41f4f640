#pragma once
// Settings › Receive from Sentry SDKs: whether the app runs its Sentry
// endpoint (ERRORDECK_RECEIVE) and where it listens (ERRORDECK_RECEIVE_LISTEN,
// loopback by default, with a warning for any other address: the DSN's key is
// the only secret), saved with the dialog like every page. The sites (store/
// SiteStore, as `errordeck-cli sites` lists them) with the DSN to give each
// site's SDK, a Copy button per site, and what their SDKs counted beside
// events ("the SDK dropped 3 events: queue_overflow:error"). Adding a site or
// rotating a key is written at once, in a Write job, not with Apply: the
// receiver takes the new key as soon as sitesChanged() is emitted.
#include "jobs/JobRunner.h"
#include "settings/SettingsPage.h"
#include "store/SiteStore.h"

#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace ed {

class ReceivePage : public SettingsPage {
    Q_OBJECT
public:
    enum Column { SiteColumn, DsnColumn, CopyColumn, ColumnCount };

    explicit ReceivePage(const QString &dbPath, QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

    // What the app's receiver does now (window/ReceiveController): its
    // address while it runs (port > 0), else why not. The DSNs shown are the
    // ones that work now: the running receiver's address, else the field's.
    void setReceiverStatus(const QString &text, bool ok, const QString &host, int port);
    // Reads the sites and their counts again (a Read job); sitesLoaded() follows.
    void reloadSites();
    // Add site / Rotate key without the buttons (Write jobs); sitesLoaded() follows.
    void addSite(const QString &name);
    void rotateKey(const QString &name);
    // The Copy button of a row: the DSN goes to the clipboard.
    void copyDsn(int row);

    QString dsnOf(int row) const;
    QTableWidget *sites() const { return m_sites; }
    QLabel *warning() const { return m_warning; }
    QLabel *status() const { return m_status; }
    QLabel *sitesStatus() const { return m_sitesStatus; }
    // What each site's SDK reported, a line per site: "shop: the SDK dropped 3 events: ...".
    QLabel *counts() const { return m_counts; }
    QCheckBox *enabled() const { return m_enabled; }
    QLineEdit *listen() const { return m_listen; }

Q_SIGNALS:
    void sitesLoaded();
    // A site was added or its key rotated: the running receiver must know.
    void sitesChanged();

private:
    struct SiteRow {
        Site site;
        std::vector<SiteCount> counts;
    };
    void showSites(std::vector<SiteRow> rows);
    void updateAddress();
    void changeSite(bool add, const QString &name);

    std::shared_ptr<JobRunner> m_jobs;
    std::vector<SiteRow> m_rows;
    QString m_liveHost;
    int m_livePort = 0;
    QCheckBox *m_enabled;
    QLineEdit *m_listen, *m_newName;
    QLabel *m_warning, *m_status, *m_sitesStatus, *m_counts;
    QTableWidget *m_sites;
    QPushButton *m_add, *m_rotate;
};

} // namespace ed
