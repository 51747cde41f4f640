#include "model/SourceLocation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QUrl>
#include <algorithm>

namespace ed {

std::vector<SourceRoot> parseSourceRoots(const QStringList &lines)
{
    std::vector<SourceRoot> roots;
    for (const QString &line : lines) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == line.size() - 1)
            continue;
        QString site = line.left(eq).trimmed(), local = line.mid(eq + 1).trimmed();
        while (site.size() > 1 && site.endsWith(QLatin1Char('/')))
            site.chop(1);
        if (local.startsWith(QLatin1String("~/")))
            local = QDir::homePath() + local.mid(1);
        roots.push_back({site, QDir::cleanPath(local)});
    }
    // The most specific root wins: /srv/shop/vendor before /srv/shop.
    std::stable_sort(roots.begin(), roots.end(),
                     [](const SourceRoot &a, const SourceRoot &b) { return a.sitePath.size() > b.sitePath.size(); });
    return roots;
}

std::optional<QString> localSourceFile(const QString &siteFile, const std::vector<SourceRoot> &roots)
{
    for (const SourceRoot &r : roots) {
        if (!(siteFile.startsWith(r.sitePath) && siteFile.size() > r.sitePath.size() &&
              siteFile[r.sitePath.size()] == QLatin1Char('/')))
            continue;
        // cleanPath folds "..": a report's path must not climb out of the checkout.
        const QString local = QDir::cleanPath(r.localPath + siteFile.mid(r.sitePath.size()));
        if (!local.startsWith(r.localPath + QLatin1Char('/')))
            continue;
        if (QFileInfo(local).isFile())
            return local;
    }
    return std::nullopt;
}

std::optional<LocalContext> readLocalContext(const QString &file, int lineno, int before, int after)
{
    constexpr qint64 kMaxBytes = 4 << 20; // a source file, not a data dump
    QFile f(file);
    if (lineno < 1 || f.size() > kMaxBytes || !f.open(QIODevice::ReadOnly))
        return std::nullopt;
    LocalContext c;
    c.firstLineno = std::max(1, lineno - before);
    int n = 0;
    while (!f.atEnd() && n < lineno + after) {
        const QByteArray line = f.readLine(64 * 1024);
        ++n;
        if (n >= c.firstLineno) {
            QString text = QString::fromUtf8(line);
            while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
                text.chop(1);
            c.lines << text;
        }
    }
    if (n < lineno)
        return std::nullopt; // the checkout differs from what ran: no context is better than a wrong one
    return c;
}

EditorLaunch editorLaunch(const QString &editorTemplate, const QString &file, int line, const QString &visual)
{
    EditorLaunch l;
    const QString lineText = QString::number(std::max(line, 1));
    if (editorTemplate.isEmpty()) {
        if (visual.isEmpty()) {
            l.url = QUrl::fromLocalFile(file).toString();
            return l;
        }
        l.arguments = QProcess::splitCommand(visual);
        if (l.arguments.isEmpty())
            return editorLaunch({}, file, line, {});
        l.program = l.arguments.takeFirst();
        l.arguments << QStringLiteral("+") + lineText << file; // what vi, emacs, nano and gedit take
        return l;
    }
    if (editorTemplate.contains(QLatin1String("://"))) {
        QString url = editorTemplate;
        url.replace(QLatin1String("{file}"), QString::fromUtf8(QUrl::toPercentEncoding(file, "/")));
        url.replace(QLatin1String("{line}"), lineText);
        l.url = url;
        return l;
    }
    // Split first, then fill in: a file name with spaces stays one argument.
    QStringList parts = QProcess::splitCommand(editorTemplate);
    for (QString &p : parts) {
        p.replace(QLatin1String("{file}"), file);
        p.replace(QLatin1String("{line}"), lineText);
    }
    if (!parts.isEmpty())
        l.program = parts.takeFirst();
    l.arguments = parts;
    return l;
}

} // namespace ed
