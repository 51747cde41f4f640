#include "CliContext.h"

#include <QFileInfo>
#include <cstdio>

namespace ed::cli {

Context::Context() : m_out(stdout), m_err(stderr) {}

Database *Context::db()
{
    if (m_db)
        return m_db.get();
    if (dbPath.isEmpty())
        dbPath = Database::defaultPath();
    auto db = Database::open(dbPath);
    if (!db) {
        m_err << "errordeck-cli: " << db.error() << Qt::endl;
        return nullptr;
    }
    m_db = std::make_unique<Database>(std::move(*db));
    return m_db.get();
}

void Context::printJson(const QJsonDocument &doc)
{
    m_out << doc.toJson(QJsonDocument::Indented);
    m_out.flush();
}

void Context::printTable(const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> width;
    for (const QString &h : header)
        width << h.size();
    for (const QStringList &r : rows)
        for (qsizetype i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], r[i].size());
    auto line = [&](const QStringList &cells) {
        QString s;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            // The last column is free text: no padding after it.
            s += i + 1 == cells.size() ? cells[i] : cells[i].leftJustified(width[i]) + QStringLiteral("  ");
        }
        m_out << s.trimmed() << '\n';
    };
    line(header);
    for (const QStringList &r : rows)
        line(r);
    m_out.flush();
}

void addCommonOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("db"), QStringLiteral("The database file (default: $ERRORDECK_DB or the app-data folder)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("verbose"), QStringLiteral("More detail in the log, mirrored to stderr.")});
    p.addHelpOption();
}

int parseCommon(QCommandLineParser &p, const QStringList &args, Context &ctx)
{
    if (!p.parse(args)) {
        ctx.err() << "errordeck-cli: " << p.errorText() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("help"))) {
        ctx.out() << p.helpText();
        return Ok;
    }
    if (p.isSet(QStringLiteral("db")))
        ctx.dbPath = p.value(QStringLiteral("db"));
    ctx.verbose = ctx.verbose || p.isSet(QStringLiteral("verbose"));
    return -1;
}

} // namespace ed::cli
