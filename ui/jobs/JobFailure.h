#pragma once
// A job's Error as a dialog says it: by its kind first (busy, damaged,
// stopped, missing), then the message that names what failed.
#include "base/Result.h"

#include <QCoreApplication>

namespace ed {

inline QString failureText(const Error &e)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("JobFailure", text); };
    switch (e.kind) {
    case ErrorKind::Busy: return tr("The database is busy (another program is writing to it); try again. %1").arg(e.message);
    case ErrorKind::Corrupt: return tr("The database is damaged or not ErrorDeck's: %1").arg(e.message);
    case ErrorKind::Interrupted: return tr("Stopped: %1").arg(e.message);
    case ErrorKind::NotFound: return tr("Not found: %1").arg(e.message);
    case ErrorKind::Io: return tr("Reading or writing failed: %1").arg(e.message);
    case ErrorKind::InvalidInput:
    case ErrorKind::Conflict:
    case ErrorKind::Failed: break;
    }
    return e.message;
}

template <typename T> QString failureText(const Result<T> &r) { return failureText(r.failure()); }

} // namespace ed
