#include "KeychainPasswords.h"

#include "store/DatabaseLocation.h"

#include <QEventLoop>
#include <QTimer>
#include <memory>
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

// The keychain's reason for a failed job, NotFound when there is no such entry.
Error jobError(const QKeychain::Job &job)
{
    return Error{job.errorString(), job.error() == QKeychain::EntryNotFound ? ErrorKind::NotFound : ErrorKind::Failed};
}

QString keyOf(KeychainPasswords::Account account, const QString &user, const QString &host)
{
    switch (account) {
    case KeychainPasswords::Account::Imap: return imapKeychainKey(user, host);
    case KeychainPasswords::Account::Postgres: return QStringLiteral("postgresql:%1@%2").arg(user, host);
    case KeychainPasswords::Account::Smtp: break;
    }
    return smtpKeychainKey(user, host);
}

Result<ServerAccount> accountOf(const QString &url)
{
    auto a = serverAccountOf(url);
    if (!a)
        return Error{QStringLiteral("not a postgresql:// URL"), ErrorKind::InvalidInput};
    return *a;
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

Result<QString> KeychainPasswords::imapPassword(const QString &user, const QString &host) const
{
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(imapKeychainKey(user, host));
    if (QString e = runJob(job, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password for %1: %2").arg(imapKeychainKey(user, host), e)};
    return job.textData();
}

Result<QString> KeychainPasswords::serverPassword(const QString &url) const
{
    auto account = accountOf(url);
    if (!account)
        return account.failure();
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(account->key());
    if (QString e = runJob(job, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password for %1: %2").arg(account->key(), e),
                     job.error() == QKeychain::EntryNotFound ? ErrorKind::NotFound : ErrorKind::Failed};
    return job.textData();
}

Result<void> KeychainPasswords::storeServerPassword(const QString &url, const QString &password) const
{
    auto account = accountOf(url);
    if (!account)
        return account.failure();
    const QString service = QString::fromLatin1(kKeychainService);
    std::unique_ptr<QKeychain::Job> job;
    if (password.isEmpty()) {
        auto del = std::make_unique<QKeychain::DeletePasswordJob>(service);
        del->setKey(account->key());
        job = std::move(del);
    } else {
        auto write = std::make_unique<QKeychain::WritePasswordJob>(service);
        write->setKey(account->key());
        write->setTextData(password);
        job = std::move(write);
    }
    if (QString e = runJob(*job, m_timeoutMs); !e.isEmpty() && job->error() != QKeychain::EntryNotFound)
        return Error{QStringLiteral("the keychain could not keep the password of %1: %2").arg(account->key(), e)};
    return {};
}

void KeychainPasswords::readLater(const QString &user, const QString &host, QObject *context,
                                  std::function<void(Result<QString>)> done, Account account)
{
    auto *job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kKeychainService), context);
    job->setKey(keyOf(account, user, host));
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError)
            done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
        else
            done(jobError(*j));
    });
    job->start();
}

void KeychainPasswords::storeLater(const QString &user, const QString &host, const QString &password, QObject *context,
                                   std::function<void(Result<void>)> done, Account account)
{
    QKeychain::Job *job = nullptr;
    if (password.isEmpty()) {
        auto *del = new QKeychain::DeletePasswordJob(QString::fromLatin1(kKeychainService), context);
        del->setKey(keyOf(account, user, host));
        job = del;
    } else {
        auto *write = new QKeychain::WritePasswordJob(QString::fromLatin1(kKeychainService), context);
        write->setKey(keyOf(account, user, host));
        write->setTextData(password);
        job = write;
    }
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound)
            done(Result<void>{});
        else
            done(jobError(*j));
    });
    job->start();
}

} // namespace ed
