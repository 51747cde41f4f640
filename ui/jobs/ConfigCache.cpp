#include "jobs/ConfigCache.h"

#include "jobs/JobFailure.h"
#include "jobs/JobRunner.h"

#include <QJsonArray>

namespace ed {

namespace {
// What the database holds now, read on the job's connection.
ConfigCache::Values readValues(Database &db)
{
    const Config config(db);
    ConfigCache::Values values;
    for (const ConfigEntry &e : Config::entries())
        if (config.isSet(e.key))
            values.insert(int(e.key), config.value(e.key));
    return values;
}
} // namespace

ConfigCache::ConfigCache(std::shared_ptr<JobRunner> jobs, QObject *parent) : QObject(parent), m_jobs(std::move(jobs)) { }

ConfigCache::~ConfigCache() = default; // the runner drops what was still on its way here

void ConfigCache::reload()
{
    const bool quiet = m_writesPending == 0;
    const quint64 writesBefore = m_writesDone;
    m_jobs->run(
        this, {QStringLiteral("config")}, [](JobContext &ctx) -> Result<Values> { return readValues(ctx.db()); },
        [this, quiet, writesBefore](Result<Values> values) {
            if (!values) {
                Q_EMIT loadFailed(failureText(values));
                return;
            }
            m_loaded = true;
            if (quiet && m_writesPending == 0 && m_writesDone == writesBefore)
                take(*values); // else a write's answer (read after it wrote) is fresher
            Q_EMIT loaded();
        });
}

void ConfigCache::write(QList<Change> changes, QObject *context, std::function<void(Result<void>)> done)
{
    QPointer<QObject> alive(context);
    const bool hasContext = context != nullptr;
    auto answer = [alive, hasContext, done = std::move(done)](Result<void> r) {
        if (done && (!hasContext || alive))
            done(std::move(r));
    };
    for (const Change &c : changes) {
        if (!c.value)
            continue;
        if (QString problem = Config::check(c.key, *c.value); !problem.isEmpty())
            return answer(Error{problem, ErrorKind::InvalidInput});
    }
    // Unnamed: every write runs, one after another on the one writer.
    ++m_writesPending;
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write},
        [changes = std::move(changes)](JobContext &ctx) -> Result<Values> {
            Config config(ctx.db());
            for (const Change &c : changes) {
                if (config.isSet(c.key) == c.value.has_value() && (!c.value || config.value(c.key) == *c.value))
                    continue; // already so
                auto r = c.value ? config.set(c.key, *c.value) : config.unset(c.key);
                if (!r)
                    return r.failure();
            }
            return readValues(ctx.db());
        },
        [this, answer = std::move(answer)](Result<Values> values) mutable {
            --m_writesPending;
            ++m_writesDone;
            if (values)
                take(*values);
            answer(values ? Result<void>() : Result<void>(values.failure()));
        });
}

void ConfigCache::take(const Values &values)
{
    Values before = std::exchange(m_values, values);
    for (const ConfigEntry &e : Config::entries()) {
        const int k = int(e.key);
        if (before.contains(k) != m_values.contains(k) || before.value(k) != m_values.value(k))
            Q_EMIT changed(e.key);
    }
}

QJsonValue ConfigCache::value(ConfigKey key) const
{
    const auto it = m_values.constFind(int(key));
    return it != m_values.constEnd() ? *it : Config::entry(key).defaultValue;
}

} // namespace ed
