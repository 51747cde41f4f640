#include "window/ServerPasswords.h"

#include "KeychainPasswords.h"
#include "base/AppLog.h"
#include "dialogs/ServerPasswordDialog.h"
#include "store/Database.h"
#include "store/DatabaseLocation.h"

#include <QApplication>
#include <QHash>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <mutex>

namespace ed::serverpasswords {
namespace {

std::mutex g_mutex;
QHash<QString, QString> g_known; // account key → password, this session only

std::optional<QString> known(const QString &key)
{
    std::lock_guard lock(g_mutex);
    if (const auto it = g_known.constFind(key); it != g_known.constEnd())
        return *it;
    return std::nullopt;
}

// On the UI thread: the dialog, and the keychain when asked to remember.
std::optional<QString> askUser(const QString &redactedUrl, const ServerAccount &account)
{
    ServerPasswordDialog dlg(redactedUrl, account.key(), QApplication::activeWindow());
    if (dlg.exec() != QDialog::Accepted || dlg.password().isEmpty())
        return std::nullopt;
    if (dlg.remember())
        KeychainPasswords::storeServerPasswordLater(redactedUrl, dlg.password(), qApp, [key = account.key()](Result<void> r) {
            if (!r)
                applog::error(QStringLiteral("the keychain could not keep the password of %1: %2").arg(key, r.error()));
        });
    return dlg.password();
}

std::optional<QString> answer(const QString &redactedUrl)
{
    const auto account = serverAccountOf(redactedUrl);
    if (!account)
        return std::nullopt;
    if (auto pw = known(account->key()))
        return pw;
    if (auto pw = KeychainPasswords(5000).serverPassword(redactedUrl)) {
        remember(redactedUrl, *pw);
        return *pw;
    } else {
        applog::info(QStringLiteral("no keychain password for %1: %2").arg(account->key(), pw.error()));
    }
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    if (!app)
        return std::nullopt;
    std::optional<QString> given;
    if (QThread::currentThread() == app->thread())
        given = askUser(redactedUrl, *account);
    else
        QMetaObject::invokeMethod(
            app, [&] { given = askUser(redactedUrl, *account); }, Qt::BlockingQueuedConnection);
    if (given)
        remember(redactedUrl, *given);
    return given;
}

} // namespace

void install() { Database::setServerPasswordProvider(answer); }

void remember(const QString &url, const QString &password)
{
    if (const auto account = serverAccountOf(url)) {
        std::lock_guard lock(g_mutex);
        g_known.insert(account->key(), password);
    }
}

void forget(const QString &url)
{
    if (const auto account = serverAccountOf(url)) {
        std::lock_guard lock(g_mutex);
        g_known.remove(account->key());
    }
}

QString takePasswordFrom(const QString &url)
{
    if (!Database::isServerUrl(url))
        return url;
    const QUrl u(url);
    QString password = u.password(QUrl::FullyDecoded);
    if (password.isEmpty())
        password = QUrlQuery(u).queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded);
    const QString bare = withoutPassword(url);
    if (!password.isEmpty())
        remember(bare, password);
    return bare;
}

} // namespace ed::serverpasswords
