#pragma once
// The store's change feed: tells an app, within about a second, that another
// connection (another app, `errordeck-cli watch`, `serve`, `import`, a triage
// elsewhere) committed a change to the database, so that its lists follow
// without the user asking (issue 17: several apps on one database).
//
// It watches from a thread of its own, over a connection of its own, and
// never blocks the thread it was made on:
// - PostgreSQL: LISTEN errordeck_changes; every writer of the store NOTIFYs
//   the kind it changed inside its transaction (announceChange), so a change
//   is heard once it commits, and never when it rolls back. The feed waits on
//   the connection's socket, and when the server goes away it says so (lost())
//   and connects again with a growing pause (a second, doubling, up to a
//   limit); once back, it reports every kind, since it missed what came between.
// - SQLite: reads PRAGMA data_version (it moves when another connection
//   commits) every pollMs; new reports (max(reports.id) moved) are Reports |
//   Issues, anything else every kind (a file does not say which table).
// Its own process's writes are heard too (they come through other
// connections), so a window's refresh after its own import may come twice.
// changed() comes at most once per coalesceMs, with the kinds of every change
// since the last one.
#include "store/StoreChange.h"

#include <QObject>
#include <QString>
#include <functional>
#include <optional>

class QThread;

namespace ed {

class StoreChanges : public QObject {
    Q_OBJECT
public:
    struct Options {
        int pollMs = 1000; // SQLite: how often data_version is read
        int coalesceMs = 300; // at most one changed() per this
        int retryMs = 1000; // the first pause before connecting again; it doubles
        int retryMaxMs = 15000; // ... up to this
        // PostgreSQL, when libpq finds no password (Database::OpenOptions::password);
        // empty: the process's (Database::serverPasswordProvider), as Database::open.
        std::function<std::optional<QString>(const QString &redactedUrl)> password;
    };

    // A feed on `location`: an SQLite file's path or a postgresql:// URL, as
    // Database::open takes it. It watches once start() is called.
    explicit StoreChanges(const QString &location, QObject *parent = nullptr);
    StoreChanges(const QString &location, Options options, QObject *parent = nullptr);
    ~StoreChanges() override; // stops and joins its thread

    void start(); // again: nothing
    const QString &location() const { return m_location; }
    // Since the last watching(), until lost().
    bool isWatching() const { return m_watching; }

Q_SIGNALS:
    // The feed watches the database: every change committed from now on is
    // heard. After a lost(), it means the connection is back.
    void watching();
    // Changes committed by any connection since the last changed().
    void changed(ed::StoreChangeKinds kinds);
    // The feed's connection failed or could not be made (the message names
    // the server or the file); it tries again by itself.
    void lost(const QString &message);

private:
    QString m_location;
    Options m_options;
    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr; // lives on m_thread
    bool m_watching = false;
};

} // namespace ed
