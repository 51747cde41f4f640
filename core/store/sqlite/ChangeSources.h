#pragma once
// The two engines' halves of the change feed (store/StoreChanges.h): each
// opens a connection of its own and tells what changed since it last looked.
// Used on the feed's thread only.
#include "base/Result.h"
#include "store/StoreChange.h"

#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace ed {

class ChangeSource {
public:
    virtual ~ChangeSource() = default;
    // (Re)connects and starts watching: what commits after it returns is seen.
    virtual Result<void> open() = 0;
    // The socket to wait on before check(); -1: check() every poll interval.
    virtual int socket() const = 0;
    // What changed since the last look (none: nothing). An Error when the
    // connection is gone: open() again.
    virtual Result<StoreChangeKinds> check() = 0;
};

// The source for `location` (a file, or a postgresql:// URL).
std::unique_ptr<ChangeSource> makeChangeSource(const QString &location,
                                               std::function<std::optional<QString>(const QString &)> password);

} // namespace ed
