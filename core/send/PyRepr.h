#pragma once
// Python's way of printing values, as Django's error reports show them.
// A v1 record keeps values as strings (str() of the original), so a report
// rebuilt from it has to decide again how Python would have printed each one.
#include <QString>

namespace ed::pyrepr {

// repr() of a Python str: single quotes unless the text holds a ' and no ",
// backslash escapes for quotes, \\, \n, \r, \t and other control characters.
QString reprString(const QString &s);

// A stored settings value (str() of the setting) printed as repr() would:
// literals and containers (None, True, 42, [...], {...}, (...), <...>) bare,
// anything else as a quoted string.
QString reprSetting(const QString &stored);

// A stored request.META value: real WSGI META values are strings except a few
// wsgi.* objects and booleans, so only True/False/None and <...> stay bare.
QString reprMeta(const QString &stored);

// request.FILES values are UploadedFile objects whose str() is "<...>".
QString reprFile(const QString &stored);

// pprint.pformat() of a stored list/tuple repr for the "Installed
// Applications/Middleware" lines: one line when it fits in 80 columns, else one
// top-level item per line as pprint does for a list of strings.
QString pprintSequence(const QString &stored);

} // namespace ed::pyrepr
