#include "look/Theme.h"

#include "base/Level.h"

#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QSvgRenderer>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace ed::theme {

bool isDark(const QPalette &p) { return p.color(QPalette::Window).lightnessF() < 0.5; }

QColor levelColor(int level, const QPalette &p)
{
    int hue = 0, sat = 200;
    if (level >= level::Critical)
        hue = 300;
    else if (level >= level::Error)
        hue = 2;
    else if (level >= level::Warning)
        hue = 35;
    else if (level >= level::Info)
        hue = 210;
    else
        sat = 0;
    // Lighter on a dark background, deeper on a light one.
    return QColor::fromHsl(hue, sat, isDark(p) ? 165 : 110);
}

QIcon levelIcon(int level)
{
    static QHash<int, QIcon> cache;
    const QPalette p = QApplication::palette();
    const int key = level * 2 + (isDark(p) ? 1 : 0);
    if (auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter painter(&pm);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(levelColor(level, p));
        const qreal r = size * 0.3;
        painter.drawEllipse(QPointF(size / 2.0, size / 2.0), r, r);
        icon.addPixmap(pm);
    }
    cache.insert(key, icon);
    return icon;
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](float v) {
            return v <= 0.03928f ? double(v) / 12.92 : std::pow((double(v) + 0.055) / 1.055, 2.4);
        };
        const QColor rgb = c.toRgb();
        return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor mutedText(const QPalette &p)
{
    // Opaque (a translucent colour's contrast depends on what is under it):
    // Text moved toward Base by up to 45%, less while the contrast is short.
    const QColor text = p.color(QPalette::Text).toRgb(), base = p.color(QPalette::Base).toRgb();
    const auto mix = [&](double t) {
        return QColor::fromRgbF(float(text.redF() + (base.redF() - text.redF()) * t),
                                float(text.greenF() + (base.greenF() - text.greenF()) * t),
                                float(text.blueF() + (base.blueF() - text.blueF()) * t));
    };
    for (double t = 0.45; t > 0.0; t -= 0.05)
        if (const QColor c = mix(t); contrastRatio(c, base) >= 4.5)
            return c;
    return text; // a palette of little contrast: the text colour itself
}

namespace {

// Sets the widget's WindowText again on each palette change. The palette a
// PaletteChange brings has the new theme's Text and Base (only WindowText is
// the widget's own), so mutedText of it is the new theme's.
class MutedTextKeeper : public QObject {
public:
    explicit MutedTextKeeper(QWidget *w) : QObject(w)
    {
        w->installEventFilter(this);
        apply(w);
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange && !m_applying)
            apply(static_cast<QWidget *>(watched));
        return false;
    }

private:
    void apply(QWidget *w)
    {
        m_applying = true; // setPalette sends a PaletteChange of its own
        QPalette p = w->palette();
        p.setColor(QPalette::WindowText, mutedText(p));
        w->setPalette(p);
        m_applying = false;
    }
    bool m_applying = false;
};

} // namespace

void keepMutedText(QWidget *w)
{
    if (w && !w->findChild<MutedTextKeeper *>(QString(), Qt::FindDirectChildrenOnly))
        new MutedTextKeeper(w);
}

QColor errorText(const QPalette &p) { return levelColor(level::Error, p); }

QString failureStyleSheet(const QPalette &p) { return QStringLiteral("color: %1; font-weight: bold;").arg(errorText(p).name()); }

QColor markBackground(const QPalette &p)
{
    QColor c = p.color(QPalette::Highlight);
    c.setAlphaF(isDark(p) ? 0.45f : 0.25f);
    return c;
}

namespace {

class SvgIconEngine : public QIconEngine {
public:
    explicit SvgIconEngine(QByteArray svg) : m_svg(std::move(svg)) { }
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette p = QApplication::palette();
        QColor c = p.color(mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::WindowText);
        if (mode == QIcon::Selected)
            c = p.color(QPalette::HighlightedText);
        QByteArray svg = m_svg;
        svg.replace("currentColor", c.name().toLatin1());
        QSvgRenderer r(svg);
        r.render(painter, rect);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pm(size * scale);
        pm.fill(Qt::transparent);
        {
            QPainter painter(&pm);
            paint(&painter, QRect(QPoint(), pm.size()), mode, state);
        }
        pm.setDevicePixelRatio(scale);
        return pm;
    }
    QIconEngine *clone() const override { return new SvgIconEngine(m_svg); }

private:
    QByteArray m_svg;
};

} // namespace

QIcon icon(const QString &name)
{
    QFile f(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QIcon(new SvgIconEngine(f.readAll()));
}

namespace {
const QString kThemeKey = QStringLiteral("View/theme");

// What the application had before a choice replaced it, for "System".
struct SystemLook {
    QString style;
    QPalette palette;
};
SystemLook &systemLook()
{
    static SystemLook look{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
    return look;
}
} // namespace

ThemeChoice savedTheme()
{
    const QString v = QSettings().value(kThemeKey).toString();
    if (v == QLatin1String("light"))
        return ThemeChoice::Light;
    if (v == QLatin1String("dark"))
        return ThemeChoice::Dark;
    return ThemeChoice::System;
}

QPalette lightPalette()
{
    QPalette p(QColor(0xef, 0xf0, 0xf1)); // a button colour; Qt derives the rest
    p.setColor(QPalette::Window, QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::WindowText, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf6, 0xf7));
    p.setColor(QPalette::Text, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Button, QColor(0xf2, 0xf3, 0xf4));
    p.setColor(QPalette::ButtonText, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xe1));
    p.setColor(QPalette::ToolTipText, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Link, QColor(0x1d, 0x69, 0xb5));
    p.setColor(QPalette::LinkVisited, QColor(0x7a, 0x3c, 0xa8));
    p.setColor(QPalette::PlaceholderText, QColor(0x6e, 0x74, 0x79));
    for (QPalette::ColorRole r : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, r, QColor(0xa0, 0xa4, 0xa8));
    return p;
}

QPalette darkPalette()
{
    QPalette p(QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::Window, QColor(0x2a, 0x2e, 0x32));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xea));
    p.setColor(QPalette::Base, QColor(0x1b, 0x1e, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x23, 0x27, 0x2a));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xea));
    p.setColor(QPalette::Button, QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xea));
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xb0));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::ToolTipBase, QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe8, 0xea));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xf5));
    p.setColor(QPalette::LinkVisited, QColor(0xc0, 0x9a, 0xf0));
    p.setColor(QPalette::BrightText, QColor(0xff, 0x80, 0x80));
    // Qt's default placeholder grey, which many dark themes keep: mutedText() does not use it.
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Light, QColor(0x45, 0x4b, 0x51));
    p.setColor(QPalette::Midlight, QColor(0x3b, 0x41, 0x46));
    p.setColor(QPalette::Mid, QColor(0x25, 0x29, 0x2c));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1c, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x0e, 0x0f, 0x10));
    for (QPalette::ColorRole r : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, r, QColor(0x7d, 0x83, 0x89));
    return p;
}

void applyTheme(ThemeChoice choice)
{
    const SystemLook &system = systemLook(); // taken before the first change
    QSettings().setValue(kThemeKey, choice == ThemeChoice::Light  ? QStringLiteral("light")
                                    : choice == ThemeChoice::Dark ? QStringLiteral("dark")
                                                                  : QStringLiteral("system"));
    const QString style = choice == ThemeChoice::System ? system.style : QStringLiteral("Fusion");
    if (!style.isEmpty() && QApplication::style()->name().compare(style, Qt::CaseInsensitive) != 0)
        if (QStyle *s = QStyleFactory::create(style))
            QApplication::setStyle(s);
    QApplication::setPalette(choice == ThemeChoice::Light  ? lightPalette()
                             : choice == ThemeChoice::Dark ? darkPalette()
                                                           : system.palette);
}

QFont codeFont() { return QFontDatabase::systemFont(QFontDatabase::FixedFont); }

QFont titleFont(QFont base)
{
    base.setPointSizeF(base.pointSizeF() * 1.3);
    base.setBold(true);
    return base;
}

} // namespace ed::theme
