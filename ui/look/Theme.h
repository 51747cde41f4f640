#pragma once
// The app's colors, icons and code font, derived from the current palette so
// light and dark system themes both read well: no fixed RGB value for text or
// backgrounds, here or anywhere else in ui/ (a widget that needs a color asks
// here); level hues keep their meaning and adapt their lightness.
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace ed::theme {

bool isDark(const QPalette &p);
// A hue per logging level (critical, error, warning, info, debug).
QColor levelColor(int level, const QPalette &p);
// A small filled circle in the level's color.
QIcon levelIcon(int level);
// Secondary text: placeholders, hints, counts.
QColor mutedText(const QPalette &p);
// Text saying that something failed (a send, a test e-mail): the error level's hue.
QColor errorText(const QPalette &p);
// The style sheet of a status label that reports a failure: errorText, bold.
QString failureStyleSheet(const QPalette &p);
// A tint of the highlight color for marking a line (the failing source line).
QColor markBackground(const QPalette &p);
// An icon from resources/icons/<name>.svg, drawn in the palette's text color at
// any size (the SVGs use currentColor), so it is sharp on high-DPI screens.
QIcon icon(const QString &name);
// Monospace for code and values.
QFont codeFont();
// A heading's font: `base` larger and bold (the exception, the issue title).
QFont titleFont(QFont base);

} // namespace ed::theme
