#pragma once
// From a frame of a report to the same file in a local checkout, and from
// there to the user's editor. A site's code runs at one path (/srv/shop) and
// is checked out at another on the developer's machine (~/code/shop): the
// ERRORDECK_SOURCE_ROOTS setting maps one to the other, longest match first.
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace ed {

struct SourceRoot {
    QString sitePath, localPath;
};

// "SITE=LOCAL" lines (the setting's form) as roots; malformed lines are skipped.
std::vector<SourceRoot> parseSourceRoots(const QStringList &lines);

// The local file standing for `siteFile`, when a root covers it and the file
// exists; nullopt otherwise.
std::optional<QString> localSourceFile(const QString &siteFile, const std::vector<SourceRoot> &roots);

// Up to `before` and `after` lines around line `lineno` (1-based) of a local
// file, read with a size cap: for frames whose report has no source context.
struct LocalContext {
    int firstLineno = 0;
    QStringList lines; // the failing line is lines[lineno - firstLineno]
};
std::optional<LocalContext> readLocalContext(const QString &file, int lineno, int before = 7, int after = 7);

// How to open file:line: a URL (vscode://file/{file}:{line}) or a program
// with its arguments (code --goto {file}:{line}). An empty template means
// $VISUAL if set, else the desktop's default application for the file.
struct EditorLaunch {
    QString url; // set: open this URL
    QString program; // else: start this program
    QStringList arguments;
};
EditorLaunch editorLaunch(const QString &editorTemplate, const QString &file, int line, const QString &visual);

} // namespace ed
