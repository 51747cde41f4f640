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

class QWidget;

namespace ed::theme {

bool isDark(const QPalette &p);
// A hue per logging level (critical, error, warning, info, debug).
QColor levelColor(int level, const QPalette &p);
// A small filled circle in the level's color.
QIcon levelIcon(int level);
// Secondary text: placeholders, hints, counts. Text mixed toward Base, as far
// as a contrast of 4.5:1 against Base allows (WCAG AA for body text), so it
// reads on any palette; PlaceholderText is not used (many dark themes leave it
// at Qt's light-theme grey).
QColor mutedText(const QPalette &p);
// Shows `w`'s text (WindowText) in mutedText of its palette, and again
// whenever its palette changes (View › Theme): a colour set once would stay
// the old theme's, dark grey on a dark window.
void keepMutedText(QWidget *w);
// WCAG's contrast ratio of two colors (1 to 21), alpha ignored.
double contrastRatio(const QColor &a, const QColor &b);

// View › Theme: the system's palette and style, or ErrorDeck's light or dark
// palette (Fusion style, which follows a palette fully).
enum class ThemeChoice { System, Light, Dark };
// The choice kept in QSettings ("View/theme"); System when none.
ThemeChoice savedTheme();
// Applies `choice` to the application at once and keeps it in QSettings.
void applyTheme(ThemeChoice choice);
QPalette lightPalette();
QPalette darkPalette();
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
