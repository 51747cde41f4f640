// errordeck-cli config: the per-database settings, by Django's names.
#include "CliContext.h"

#include "store/Config.h"
#include "base/BoundedRegex.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ed::cli {
namespace {

QString compact(const QJsonValue &v)
{
    QByteArray json = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

// JSON when it parses as JSON; otherwise the text itself, as a string.
QJsonValue parseValue(const QString &text)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + "]", &err);
    if (err.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().first();
    return text;
}

} // namespace

int cmdConfig(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Per-database settings, with Django's names where Django has them.\n"
                       "  config list                 every setting, its value and what it does\n"
                       "  config get NAME             the value, as JSON\n"
                       "  config set NAME JSON        e.g. config set ADMINS '[[\"Ops\", \"ops@example.com\"]]'\n"
                       "  config unset NAME           back to the default"));
    addCommonOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output for list.")});
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, get, set or unset"),
                            QStringLiteral("ACTION [NAME [JSON]]"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0, QStringLiteral("list"));
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    Config config(*db);
    if (action == QLatin1String("list")) {
        if (p.isSet(QStringLiteral("json"))) {
            QJsonObject o;
            for (const ConfigEntry &e : Config::entries())
                o.insert(QString::fromLatin1(e.name), config.value(e.key));
            ctx.printJson(QJsonDocument(o));
            return Ok;
        }
        for (const ConfigEntry &e : Config::entries()) {
            ctx.out() << QString::fromLatin1(e.name) << " = " << compact(config.value(e.key))
                      << (config.isSet(e.key) ? "" : "  (default)") << "\n    " << QString::fromUtf8(e.help) << "\n";
        }
        ctx.out().flush();
        return Ok;
    }
    if (pos.size() < 2) {
        ctx.err() << "errordeck-cli config " << action << ": name a setting (see 'errordeck-cli config list')" << Qt::endl;
        return Fatal;
    }
    const auto key = Config::keyByName(pos[1]);
    if (!key) {
        ctx.err() << "errordeck-cli config: unknown setting '" << pos[1] << "' (see 'errordeck-cli config list')" << Qt::endl;
        return Fatal;
    }
    if (action == QLatin1String("get")) {
        ctx.out() << compact(config.value(*key)) << Qt::endl;
        return Ok;
    }
    if (action == QLatin1String("set")) {
        if (pos.size() != 3) {
            ctx.err() << "errordeck-cli config set: give NAME and one JSON value (quote it for the shell)" << Qt::endl;
            return Fatal;
        }
        const QJsonValue value = parseValue(pos[2]);
        if (auto r = config.set(*key, value); !r) {
            ctx.err() << "errordeck-cli config set: " << r.error() << Qt::endl;
            return Fatal;
        }
        // Saved; a scrubbing pattern that blows up on a test string is worth a warning.
        if (*key == ConfigKey::SensitiveKeys || *key == ConfigKey::SensitiveValues) {
            QStringList patterns;
            for (const QJsonValue &v : value.toArray())
                patterns << v.toString();
            const auto options = *key == ConfigKey::SensitiveKeys ? QRegularExpression::CaseInsensitiveOption
                                                                  : QRegularExpression::NoPatternOption;
            for (const QString &w : userPatternWarnings(patterns, options))
                ctx.err() << "errordeck-cli config set: warning: " << pos[1] << " " << w << Qt::endl;
        }
        return Ok;
    }
    if (action == QLatin1String("unset")) {
        if (auto r = config.unset(*key); !r) {
            ctx.err() << "errordeck-cli config unset: " << r.error() << Qt::endl;
            return Fatal;
        }
        return Ok;
    }
    ctx.err() << "errordeck-cli config: unknown action '" << action << "' (list, get, set, unset)" << Qt::endl;
    return Fatal;
}

} // namespace ed::cli
