#pragma once
// `errordeck-cli rules export --django`: the rules as Python for a Django
// project, so the site masks and skips what ErrorDeck does: IGNORABLE_404_URLS
// and APPEND_SLASH for settings.py, and a SafeExceptionReporterFilter subclass
// with ErrorDeck's key patterns and safe keys.
#include "filters/FilterSet.h"

#include <QString>

namespace ed {

QString djangoSettingsSnippet(const FilterSet::Settings &settings);

// A Python string literal for `s`: a raw string where one can hold it.
QString pythonStringLiteral(const QString &s, bool preferRaw = true);

} // namespace ed
