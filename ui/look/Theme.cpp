#include "look/Theme.h"

#include "base/Level.h"

#include <QApplication>
#include <QFile>
#include <QFontDatabase>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

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

QColor mutedText(const QPalette &p)
{
    QColor c = p.color(QPalette::PlaceholderText);
    if (!c.isValid() || c == p.color(QPalette::Text)) {
        c = p.color(QPalette::Text);
        c.setAlphaF(0.55f);
    }
    return c;
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

QFont codeFont() { return QFontDatabase::systemFont(QFontDatabase::FixedFont); }

QFont titleFont(QFont base)
{
    base.setPointSizeF(base.pointSizeF() * 1.3);
    base.setBold(true);
    return base;
}

} // namespace ed::theme
