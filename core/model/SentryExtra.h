#pragma once
// What a Sentry SDK's event brings that a v1 record has no field for, kept in
// the record's `extra` by sentry/SentryEvent.cpp and read here for the views:
// the breadcrumbs (the SDK's log of what happened before the event) and the
// SDK's `_meta`, which says where the SDK itself trimmed or removed a value
// before sending (a long string cut, a frame's variables beyond the first
// ten, request data left out by its settings).
#include "model/Report.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

struct Breadcrumb {
    std::optional<int64_t> timestamp; // ms since the epoch, when the SDK gave one
    QString type, category, level, message;
    QString data; // the crumb's data object as compact JSON, empty when none
};

// In the order the SDK sent them (oldest first); empty for a report without.
std::vector<Breadcrumb> breadcrumbsOf(const Report &report);

// One place `_meta` annotates: its path in the Sentry event
// ("exception", "values", "1", "stacktrace", "frames", "0", "vars"), the
// length the value had before the SDK cut it (a string's characters, a list's
// or object's items), and the rules the SDK names ("!limit", "!config").
struct SdkTrim {
    QStringList path;
    std::optional<int64_t> originalLength;
    QStringList rules;
    bool removed = false; // the value was removed entirely ("x"), not cut
};

// Every annotated place of the report's `_meta`, depth first.
std::vector<SdkTrim> sdkTrimsOf(const Report &report);
// The trim at exactly `path`, or nullptr.
const SdkTrim *findSdkTrim(const std::vector<SdkTrim> &trims, const QStringList &path);
// For people: "cut by the SDK from 1,024 characters", "removed by the SDK (!config)".
QString describeSdkTrim(const SdkTrim &trim, const QString &unit);

} // namespace ed
