#include "KeychainPasswords.h"

#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace ed {
namespace {

// Runs a keychain job to its end (or the timeout); returns its error text, empty on success.
QString runJob(QKeychain::Job &job, int timeoutMs)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job.start();
    if (!finished)
        loop.exec();
    if (!finished)
        return QStringLiteral("the system keychain did not answer within %1 s").arg(timeoutMs / 1000);
    if (job.error() != QKeychain::NoError)
        return job.errorString().isEmpty() ? QStringLiteral("keychain error %1").arg(int(job.error())) : job.errorString();
    return {};
}

} // namespace

Result<QString> KeychainPasswords::smtpPassword(const QString &user, const QString &host) const
{
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(smtpKeychainKey(user, host));
    if (QString e = runJob(job, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password: %1").arg(e)};
    return job.textData();
}

Result<void> KeychainPasswords::store(const QString &user, const QString &host, const QString &password) const
{
    QKeychain::WritePasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(smtpKeychainKey(user, host));
    job.setTextData(password);
    if (QString e = runJob(job, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("could not store the password in the keychain: %1").arg(e)};
    return {};
}

Result<void> KeychainPasswords::remove(const QString &user, const QString &host) const
{
    QKeychain::DeletePasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(smtpKeychainKey(user, host));
    if (QString e = runJob(job, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("could not remove the password from the keychain: %1").arg(e)};
    return {};
}

} // namespace ed
