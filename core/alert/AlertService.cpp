#include "alert/AlertService.h"

#include "alert/AlertDispatcher.h"
#include "alert/AlertEngine.h"
#include "base/AppLog.h"
#include "store/Database.h"

#include <chrono>

namespace ed {

AlertService::AlertService(QString dbPath, AlertClock clock, const PasswordSource *passwords, int intervalMs)
    : m_path(std::move(dbPath)), m_clock(std::move(clock)), m_passwords(passwords), m_intervalMs(intervalMs)
{
}

AlertService::~AlertService() { stop(); }

void AlertService::start()
{
    if (!m_thread.joinable())
        m_thread = std::thread([this] { loop(); });
}

void AlertService::nudge()
{
    {
        std::lock_guard lock(m_mutex);
        m_nudged = true;
    }
    m_wake.notify_one();
}

void AlertService::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_stopping.store(true);
    // A transfer in progress is not cancelled: the server may have taken the
    // message already, and a cancel would queue it to be sent again.
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

QStringList AlertService::runOnce(const QString &dbPath, const AlertClock &clock, const PasswordSource *passwords,
                                  const std::function<void(const QByteArray &)> &console, SendControl *control,
                                  const std::atomic<bool> *stopping)
{
    QStringList lines;
    auto db = Database::open(dbPath);
    if (!db)
        return {QStringLiteral("alerts: %1").arg(db.error())};
    if (stopping) // SQLite's 10 s, in steps that notice a stop
        db->setBusyWait([stopping](int tries) {
            if (stopping->load() || tries >= 100)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return true;
        });
    AlertEngine engine(*db, clock);
    if (auto step = engine.evaluate(); !step)
        lines << QStringLiteral("alerts: %1").arg(step.error());
    else {
        lines << step->problems;
        if (step->queued || step->heldBack)
            lines << QStringLiteral("alerts: %1 mails queued, %2 held back by rate limits").arg(step->queued).arg(step->heldBack);
    }
    if (auto digests = engine.queueDigests(); !digests)
        lines << QStringLiteral("alerts: %1").arg(digests.error());
    else if (*digests)
        lines << QStringLiteral("alerts: %1 digests queued").arg(*digests);
    AlertDispatcher dispatcher(*db, clock, passwords);
    if (console)
        dispatcher.setConsole(console);
    if (auto sent = dispatcher.sendDue(100, control); !sent)
        lines << QStringLiteral("alerts: %1").arg(sent.error());
    else {
        if (sent->sent)
            lines << QStringLiteral("alerts: %1 mails sent").arg(sent->sent);
        lines << sent->errors;
    }
    return lines;
}

void AlertService::loop()
{
    for (;;) {
        for (const QString &line : runOnce(m_path, m_clock, m_passwords, m_console, &m_control, &m_stopping))
            if (m_report)
                m_report(line);
        if (m_roundDone)
            m_roundDone();
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop || m_nudged; });
        if (m_stop)
            return;
        m_nudged = false;
    }
}

} // namespace ed
