#include "KeychainPasswords.h"

#include "store/DatabaseLocation.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <qt6keychain/keychain.h>
#include <utility>

namespace ed {
namespace {

// qtkeychain runs its jobs one at a time through a JobExecutor singleton that is
// not thread-safe and lives on the thread of the first job. A job started on
// another thread reports its end to the executor by a queued call that the first
// thread (a worker since gone, or one blocked) never runs: every later job of the
// process then waits forever ("did not answer"; tst_ui_server saw it, the app's
// provider reading on the opening thread, the dialog storing on the GUI thread).
// So every job is made, started and ended on one thread of the keychain's own.
QThread *keychainThread()
{
    static QThread *const thread = [] {
        auto *t = new QThread;
        t->setObjectName(QStringLiteral("keychain"));
        t->start();
        qAddPostRoutine([] {
            keychainThread()->quit();
            keychainThread()->wait();
        });
        return t;
    }();
    return thread;
}

struct JobOutcome {
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text; // a read's password
};

// One job on the keychain thread: `finished` when it has ended (with `outcome`
// set), then the relay and its job are deleted there. Made on the caller's
// thread, so that the caller connects to it before it moves.
class JobRelay final : public QObject {
    Q_OBJECT
public:
    std::shared_ptr<JobOutcome> outcome = std::make_shared<JobOutcome>();
Q_SIGNALS:
    void finished();
};

enum class Op { Read, Write, Delete };

// Moves `relay` to the keychain thread and runs the job there.
void start(JobRelay *relay, Op op, const QString &key, const QString &password = {})
{
    relay->moveToThread(keychainThread());
    QMetaObject::invokeMethod(
        relay,
        [relay, op, key, password] {
            const QString service = QString::fromLatin1(kKeychainService);
            QKeychain::Job *job = nullptr;
            switch (op) {
            case Op::Read: job = new QKeychain::ReadPasswordJob(service, relay); break;
            case Op::Write: {
                auto *write = new QKeychain::WritePasswordJob(service, relay);
                write->setTextData(password);
                job = write;
                break;
            }
            case Op::Delete: job = new QKeychain::DeletePasswordJob(service, relay); break;
            }
            job->setKey(key);
            job->setAutoDelete(false);
            QObject::connect(job, &QKeychain::Job::finished, relay, [relay](QKeychain::Job *j) {
                relay->outcome->error = j->error();
                relay->outcome->errorString = j->errorString();
                if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
                    relay->outcome->text = read->textData();
                Q_EMIT relay->finished();
                relay->deleteLater();
            });
            job->start();
        },
        Qt::QueuedConnection);
}

std::atomic<int> g_answerTimeoutMs{15000};

QString didNotAnswer(int timeoutMs)
{
    return QStringLiteral("the system keychain did not answer within %1 s").arg(qMax(1, timeoutMs / 1000));
}

// Hands `relay`'s end to `ended` on `context`'s thread, or a timeout error once
// the bound has passed, whichever comes first; the other is dropped.
void answerLater(JobRelay *relay, QObject *context, std::function<void(const JobOutcome *)> ended)
{
    auto answered = std::make_shared<bool>(false);
    auto once = std::make_shared<std::function<void(const JobOutcome *)>>(std::move(ended));
    const int timeoutMs = g_answerTimeoutMs.load();
    QObject::connect(relay, &JobRelay::finished, context, [answered, once, o = relay->outcome] {
        if (std::exchange(*answered, true))
            return;
        (*once)(o.get());
    });
    // On context's thread, gone with it; the job itself goes on (qtkeychain has
    // no cancel) and its late answer is dropped.
    QTimer::singleShot(timeoutMs, context, [answered, once, timeoutMs] {
        if (std::exchange(*answered, true))
            return;
        JobOutcome late;
        late.error = QKeychain::OtherError;
        late.errorString = didNotAnswer(timeoutMs);
        (*once)(&late);
    });
}

// Runs a job to its end (or the timeout), blocking the calling thread (any
// thread but the keychain's): nullopt when the keychain did not answer in time.
std::optional<JobOutcome> runBlocking(Op op, const QString &key, int timeoutMs, const QString &password = {})
{
    struct Shared {
        std::mutex mutex;
        std::condition_variable ended;
        std::optional<JobOutcome> outcome;
    };
    auto shared = std::make_shared<Shared>();
    auto *relay = new JobRelay;
    QObject::connect(
        relay, &JobRelay::finished, relay,
        [shared, result = relay->outcome] {
            std::lock_guard lock(shared->mutex);
            shared->outcome = *result;
            shared->ended.notify_all();
        },
        Qt::DirectConnection);
    start(relay, op, key, password);
    std::unique_lock lock(shared->mutex);
    shared->ended.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return shared->outcome.has_value(); });
    return shared->outcome;
}

// A blocking job's error text, empty on success.
QString errorText(const std::optional<JobOutcome> &o, int timeoutMs)
{
    if (!o)
        return didNotAnswer(timeoutMs);
    if (o->error != QKeychain::NoError)
        return o->errorString.isEmpty() ? QStringLiteral("keychain error %1").arg(int(o->error)) : o->errorString;
    return {};
}

// The keychain's reason for a failed job, NotFound when there is no such entry.
Error jobError(const JobOutcome &o)
{
    return Error{o.errorString, o.error == QKeychain::EntryNotFound ? ErrorKind::NotFound : ErrorKind::Failed};
}

// Keeps `password` under `key` (an empty one: forgets it; forgetting a password
// that is not there succeeds), answering on `context`'s thread.
void storeKeyLater(const QString &key, const QString &password, QObject *context, std::function<void(Result<void>)> done)
{
    auto *relay = new JobRelay;
    answerLater(relay, context, [done = std::move(done)](const JobOutcome *o) {
        if (o->error == QKeychain::NoError || o->error == QKeychain::EntryNotFound)
            done(Result<void>{});
        else
            done(jobError(*o));
    });
    start(relay, password.isEmpty() ? Op::Delete : Op::Write, key, password);
}

QString keyOf(KeychainPasswords::Account account, const QString &user, const QString &host)
{
    switch (account) {
    case KeychainPasswords::Account::Imap: return imapKeychainKey(user, host);
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
    const auto o = runBlocking(Op::Read, smtpKeychainKey(user, host), m_timeoutMs);
    if (QString e = errorText(o, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password: %1").arg(e)};
    return o->text;
}

Result<QString> KeychainPasswords::imapPassword(const QString &user, const QString &host) const
{
    const auto o = runBlocking(Op::Read, imapKeychainKey(user, host), m_timeoutMs);
    if (QString e = errorText(o, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password for %1: %2").arg(imapKeychainKey(user, host), e)};
    return o->text;
}

Result<QString> KeychainPasswords::serverPassword(const QString &url) const
{
    auto account = accountOf(url);
    if (!account)
        return account.failure();
    const auto o = runBlocking(Op::Read, account->key(), m_timeoutMs);
    if (QString e = errorText(o, m_timeoutMs); !e.isEmpty())
        return Error{QStringLiteral("the keychain has no password for %1: %2").arg(account->key(), e),
                     o && o->error == QKeychain::EntryNotFound ? ErrorKind::NotFound : ErrorKind::Failed};
    return o->text;
}

Result<void> KeychainPasswords::storeServerPassword(const QString &url, const QString &password) const
{
    auto account = accountOf(url);
    if (!account)
        return account.failure();
    const auto o = runBlocking(password.isEmpty() ? Op::Delete : Op::Write, account->key(), m_timeoutMs, password);
    if (QString e = errorText(o, m_timeoutMs); !e.isEmpty() && !(o && o->error == QKeychain::EntryNotFound))
        return Error{QStringLiteral("the keychain could not keep the password of %1: %2").arg(account->key(), e)};
    return {};
}

void KeychainPasswords::readLater(const QString &user, const QString &host, QObject *context,
                                  std::function<void(Result<QString>)> done, Account account)
{
    auto *relay = new JobRelay;
    // Queued to context's thread; gone with context (Qt drops the connection).
    answerLater(relay, context, [done = std::move(done)](const JobOutcome *o) {
        if (o->error == QKeychain::NoError)
            done(o->text);
        else
            done(jobError(*o));
    });
    start(relay, Op::Read, keyOf(account, user, host));
}

void KeychainPasswords::storeLater(const QString &user, const QString &host, const QString &password, QObject *context,
                                   std::function<void(Result<void>)> done, Account account)
{
    storeKeyLater(keyOf(account, user, host), password, context, std::move(done));
}

void KeychainPasswords::storeServerPasswordLater(const QString &url, const QString &password, QObject *context,
                                                 std::function<void(Result<void>)> done)
{
    auto account = accountOf(url);
    if (!account) {
        QTimer::singleShot(0, context, [done = std::move(done), e = account.error()] {
            done(Error{e, ErrorKind::InvalidInput});
        });
        return;
    }
    storeKeyLater(account->key(), password, context, std::move(done));
}

int KeychainPasswords::answerTimeoutMs() { return g_answerTimeoutMs.load(); }
void KeychainPasswords::setAnswerTimeoutMs(int ms) { g_answerTimeoutMs.store(ms); }

} // namespace ed

#include "KeychainPasswords.moc"
