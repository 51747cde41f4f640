#pragma once
// What a write to the store changed, as coarse kinds a list can act on: the
// writers announce them where they commit (store/sqlite/SqlDialect.h's
// announceChange: PostgreSQL's NOTIFY errordeck_changes, nothing on SQLite),
// and StoreChanges (StoreChanges.h) tells every open app about them.
#include <QFlags>
#include <QString>
#include <array>
#include <optional>

namespace ed {

enum class StoreChange : unsigned {
    Reports = 0x1, // reports stored, deleted, hidden or rewritten
    Issues = 0x2, // an issue's counts, state (resolved, ignored, ...), merges
    Settings = 0x4, // config, drop/hide rules, saved searches
    SendLog = 0x8, // an e-mail attempt recorded
    Alerts = 0x10, // alert rules and the outbox
};
Q_DECLARE_FLAGS(StoreChangeKinds, StoreChange)
Q_DECLARE_OPERATORS_FOR_FLAGS(StoreChangeKinds)

// Every kind, one by one (a new kind goes here, and gets its storeChangeName).
constexpr std::array<StoreChange, 5> kStoreChanges{StoreChange::Reports, StoreChange::Issues, StoreChange::Settings,
                                                   StoreChange::SendLog, StoreChange::Alerts};

// Every kind: what a change feed reports when it cannot tell which (SQLite
// beyond new reports, or after a lost connection came back).
inline StoreChangeKinds allStoreChanges()
{
    StoreChangeKinds all;
    for (StoreChange kind : kStoreChanges)
        all |= kind;
    return all;
}

// The kind's word on the wire (NOTIFY's payload): "reports", "issues", ...
const char *storeChangeName(StoreChange kind);
// The kind a payload names; nullopt for a word this build does not know
// (a newer writer's), which a listener reads as "something changed".
std::optional<StoreChange> storeChangeNamed(const QString &name);

} // namespace ed
