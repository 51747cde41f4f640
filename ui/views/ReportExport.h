#pragma once
// Writing reports out: v1 JSON Lines (the stored record, one per line, which
// imports again) or the body of Django's error e-mail (send/DjangoRenderer).
#include "store/Database.h"
#include "base/Result.h"

#include <QString>
#include <vector>

namespace ed {

enum class ExportFormat { JsonLines, DjangoText };

// Returns how many reports were written.
Result<int> exportReports(Database &db, const std::vector<int64_t> &ids, const QString &path, ExportFormat format);

} // namespace ed
