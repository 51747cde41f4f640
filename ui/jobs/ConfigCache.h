#pragma once
// The app's copy of the database's settings (store/Config): widgets read the
// values synchronously from memory, and no SQL runs on the UI thread. A Read
// job fills it (the main window at start, the Settings dialog when it opens,
// to see what `errordeck-cli config` wrote meanwhile); write() validates on
// the spot (Config::check, no database) and writes in a Write job, then holds
// what the database holds. changed(key) follows every value that differs
// afterwards, whoever changed it.
#include "base/Result.h"
#include "store/Config.h"

#include <QHash>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>

namespace ed {

class JobRunner;

class ConfigCache : public QObject {
    Q_OBJECT
public:
    using Values = QHash<int, QJsonValue>; // by int(ConfigKey): the keys set in the database
    struct Change {
        ConfigKey key;
        std::optional<QJsonValue> value; // none: unset (back to the default)
    };

    explicit ConfigCache(std::shared_ptr<JobRunner> jobs, QObject *parent = nullptr);
    ~ConfigCache() override;

    // Reads the settings again in the background; loaded() (or loadFailed()) follows.
    void reload();
    bool isLoaded() const { return m_loaded; }

    // Writes in the background, in the order asked; `done` runs on the UI
    // thread afterwards unless `context` is gone. A value Config::check refuses
    // fails at once (nothing is written), as does a failed write (by kind).
    void write(QList<Change> changes, QObject *context = nullptr, std::function<void(Result<void>)> done = {});
    void set(ConfigKey key, const QJsonValue &value, QObject *context = nullptr, std::function<void(Result<void>)> done = {})
    {
        write({{key, value}}, context, std::move(done));
    }

    QJsonValue value(ConfigKey key) const; // the stored value, else the default
    bool isSet(ConfigKey key) const { return m_values.contains(int(key)); }
    QString string(ConfigKey key) const { return value(key).toString(); }
    bool flag(ConfigKey key) const { return value(key).toBool(); }
    int integer(ConfigKey key) const { return value(key).toInt(); }
    QStringList stringList(ConfigKey key) const { return Config::asStringList(value(key)); }
    QList<QPair<QString, QString>> people(ConfigKey key) const { return Config::asPeople(value(key)); }

Q_SIGNALS:
    void loaded();
    void loadFailed(const QString &message);
    void changed(ed::ConfigKey key);

private:
    void take(const Values &values); // the database's values now; changed() for each that differs

    std::shared_ptr<JobRunner> m_jobs;
    Values m_values;
    bool m_loaded = false;
    // A read that ran beside a write may answer after it with what was there
    // before: its answer is taken only when no write was pending meanwhile.
    int m_writesPending = 0;
    quint64 m_writesDone = 0;
};

} // namespace ed
