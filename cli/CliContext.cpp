#include "CliContext.h"

#include "store/DatabaseLocation.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <cstdio>
#include <unistd.h>

namespace ed::cli {
namespace {

QFile *openStdio(QFile &file, FILE *stream)
{
    file.open(stream, QIODevice::WriteOnly | QIODevice::Unbuffered);
    return &file;
}

} // namespace

Context::Context()
    : m_safeStdout(openStdio(m_stdout, stdout)),
      m_safeStderr(openStdio(m_stderr, stderr)),
      m_out(&m_safeStdout),
      m_err(&m_safeStderr),
      m_rawOut(&m_stdout),
      m_rawErr(&m_stderr)
{
}

QTextStream &Context::exact()
{
    // Flush the other stream first: both end in the same stdout.
    if (isatty(STDOUT_FILENO)) {
        m_rawOut.flush();
        return m_out;
    }
    m_out.flush();
    return m_rawOut;
}

Database *Context::db()
{
    if (m_db)
        return m_db.get();
    auto location = chooseDatabaseLocation(dbPath);
    if (!location) {
        m_err << "errordeck-cli: " << location.error() << Qt::endl;
        return nullptr;
    }
    dbPath = *location;
    auto db = Database::open(dbPath);
    if (!db) {
        m_err << "errordeck-cli: " << db.error() << Qt::endl;
        if (const auto account = serverAccountOf(dbPath); account && db.error().contains(QLatin1String("asks for a password")))
            m_err << "errordeck-cli: to keep the password of " << account->key() << " in the system keychain: errordeck-cli --db "
                  << withoutPassword(dbPath) << " db-password" << Qt::endl;
        return nullptr;
    }
    m_db = std::make_unique<Database>(std::move(*db));
    return m_db.get();
}

void Context::printJson(const QJsonDocument &doc)
{
    m_out.flush();
    m_rawOut << doc.toJson(QJsonDocument::Indented);
    m_rawOut.flush();
}

void Context::printTable(const QStringList &header, const QList<QStringList> &rows)
{
    // One line per row, whatever the cells hold: a newline in a file name or
    // message would fake a row.
    QList<QStringList> cellsOf;
    cellsOf.reserve(rows.size());
    for (const QStringList &r : rows) {
        QStringList cells;
        for (const QString &c : r)
            cells << oneLine(c);
        cellsOf << cells;
    }
    QList<qsizetype> width;
    for (const QString &h : header)
        width << h.size();
    for (const QStringList &r : cellsOf)
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
    for (const QStringList &r : cellsOf)
        line(r);
    m_out.flush();
}

void addCommonOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("db"),
                 QStringLiteral("The database: a file (a path or file:PATH) or a PostgreSQL server "
                                "(postgresql://USER@HOST:PORT/DB; default: $ERRORDECK_DB or the app-data folder)."),
                 QStringLiteral("path|url")});
    p.addOption({QStringLiteral("verbose"), QStringLiteral("More detail in the log, mirrored to stderr.")});
    p.addHelpOption();
}

int parseCommon(QCommandLineParser &p, const QStringList &args, Context &ctx)
{
    const QString who = QStringLiteral("errordeck-cli ") + ctx.command;
    if (!p.parse(args)) {
        ctx.err() << who.trimmed() << ": " << p.errorText() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("help"))) {
        // Qt names the program by its path as started: name it and the command instead.
        QString help = p.helpText();
        const QString qtUsage = QCoreApplication::instance() ? QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0)
                                                             : QStringLiteral("Usage: ");
        if (help.startsWith(qtUsage))
            help = QStringLiteral("Usage: ") + who.trimmed() + help.mid(qtUsage.size());
        ctx.out() << help;
        ctx.out().flush();
        return Ok;
    }
    if (p.isSet(QStringLiteral("db")))
        ctx.dbPath = p.value(QStringLiteral("db"));
    ctx.verbose = ctx.verbose || p.isSet(QStringLiteral("verbose"));
    return -1;
}

bool numberOption(Context &ctx, const QCommandLineParser &p, const QString &name, int64_t min, int64_t max, int64_t &value)
{
    const QString text = p.value(name).trimmed();
    bool ok = false;
    value = text.toLongLong(&ok);
    if (ok && value >= min && value <= max)
        return true;
    ctx.err() << "errordeck-cli " << ctx.command << ": --" << name << " takes a whole number from " << min << " to " << max
              << ", not '" << oneLine(p.value(name)) << "'" << Qt::endl;
    return false;
}

} // namespace ed::cli
