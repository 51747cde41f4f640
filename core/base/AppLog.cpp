#include "base/AppLog.h"

#include "base/FileAccess.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace ed::applog {
namespace {
std::shared_ptr<spdlog::logger> &logger()
{
    static std::shared_ptr<spdlog::logger> l;
    return l;
}
} // namespace

QString logFilePath(const QString &program)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir + QLatin1Char('/') + program + QStringLiteral(".log");
}

void init(const QString &program, bool verbose)
{
    const QString path = logFilePath(program);
    (void)createPrivateFolder(QFileInfo(path).absolutePath());
    std::vector<spdlog::sink_ptr> sinks;
    // The log names files, hosts and errors: readable by its owner only. Each
    // file (also a new one after rotation) is made 0600 before spdlog opens it,
    // so that no one can open it in between; older logs are tightened too.
    spdlog::file_event_handlers ownerOnly;
    ownerOnly.before_open = [](const spdlog::filename_t &file) { (void)createPrivateFile(QString::fromStdString(file)); };
    ownerOnly.after_open = [](const spdlog::filename_t &, std::FILE *f) { (void)::fchmod(::fileno(f), 0600); };
    try {
        sinks.push_back(
            std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path.toStdString(), 5 * 1024 * 1024, 3, false, ownerOnly));
    } catch (const spdlog::spdlog_ex &) {
        // An unwritable app-data folder must not stop the program; stderr still works.
    }
    if (verbose) {
        auto err = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        err->set_level(spdlog::level::debug);
        sinks.push_back(err);
    }
    auto l = std::make_shared<spdlog::logger>(program.toStdString(), sinks.begin(), sinks.end());
    l->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    l->flush_on(spdlog::level::warn);
    logger() = l;
}

static void write(spdlog::level::level_enum lvl, const QString &m)
{
    if (logger())
        logger()->log(lvl, "{}", m.toStdString());
}

void info(const QString &m) { write(spdlog::level::info, m); }
void warn(const QString &m) { write(spdlog::level::warn, m); }
void error(const QString &m) { write(spdlog::level::err, m); }
void debug(const QString &m) { write(spdlog::level::debug, m); }

} // namespace ed::applog
