#include "window/AlertController.h"

#include "alert/AlertService.h"
#include "window/MainWindow.h"

#include <QMetaObject>
#include <QPointer>
#include <QStatusBar>

namespace ed {

AlertController::AlertController(MainWindow *window, const PasswordSource *passwords)
    : QObject(window),
      m_window(window),
      m_service(std::make_unique<AlertService>(window->databasePath(), alertClock(), passwords, kIntervalMs))
{
    // Called on the service's thread: posted to this one. The service is
    // stopped (its thread joined) before this object goes, and what is still
    // queued for a deleted receiver is dropped.
    m_service->setReporter([this](const QString &line) {
        QMetaObject::invokeMethod(
            this,
            [this, line] {
                m_lastLine = line;
                m_window->statusBar()->showMessage(line, 10000);
                Q_EMIT reported(line);
            },
            Qt::QueuedConnection);
    });
    m_service->setRoundDone([this] { QMetaObject::invokeMethod(this, &AlertController::roundDone, Qt::QueuedConnection); });
    m_service->start();
}

AlertController::~AlertController() { stop(); }

void AlertController::nudge()
{
    if (!m_service)
        return;
    ++m_nudges;
    m_service->nudge();
}

void AlertController::stop()
{
    if (!m_service)
        return;
    m_service->stop(); // after a transfer in progress: one the server took is marked sent
    m_service.reset();
}

} // namespace ed
