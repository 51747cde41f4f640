#pragma once
// The one mapping between a stored v1 record's JSON and the typed Report.
#include "model/Report.h"

#include <QJsonObject>

namespace ed {

// Reads every field docs/report-format.md describes; a field of the wrong
// JSON type reads as absent, unknown fields are left to the raw record.
Report reportFromRecord(const QJsonObject &record);

} // namespace ed
