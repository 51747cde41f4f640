#include "model/Grouping.h"

#include <QRegularExpression>

namespace ed {
namespace {

QString str(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString firstLine(QString s, int max = 200)
{
    const qsizetype nl = s.indexOf(QLatin1Char('\n'));
    if (nl >= 0)
        s.truncate(nl);
    s = s.trimmed();
    if (s.size() > max)
        s = s.left(max - 1) + QChar(0x2026);
    return s;
}

// Frames that count for the fingerprint: in-app ones, or all when none is.
// Runs of one function calling itself (recursion) count once, as Sentry does.
std::vector<const GroupingFrame *> significantFrames(const GroupingException &e)
{
    bool anyInApp = false;
    for (const auto &f : e.frames)
        anyInApp = anyInApp || f.inApp;
    std::vector<const GroupingFrame *> out;
    for (const auto &f : e.frames) {
        if (anyInApp && !f.inApp)
            continue;
        if (!out.empty() && out.back()->module == f.module && out.back()->function == f.function)
            continue;
        out.push_back(&f);
    }
    return out;
}

} // namespace

QString parameterizeMessage(const QString &message)
{
    // Order matters: the longer, more specific shapes first.
    static const QRegularExpression email(QStringLiteral(R"([\w.+-]+@[\w-]+(\.[\w-]+)+)"));
    static const QRegularExpression uuid(
        QStringLiteral(R"(\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b)"));
    static const QRegularExpression quoted(QStringLiteral(R"('[^'\n]*'|"[^"\n]*")"));
    static const QRegularExpression hex(
        QStringLiteral(R"(\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b)"));
    static const QRegularExpression number(QStringLiteral(R"(-?\b\d+(\.\d+)?\b)"));
    QString s = message;
    s.replace(email, QStringLiteral("<email>"));
    s.replace(uuid, QStringLiteral("<uuid>"));
    s.replace(quoted, QStringLiteral("<str>"));
    s.replace(hex, QStringLiteral("<hex>"));
    s.replace(number, QStringLiteral("<int>"));
    return s;
}

QString parameterizePath(const QString &path)
{
    static const QRegularExpression digits(QStringLiteral(R"(\d+)"));
    QString p = path;
    p.replace(digits, QStringLiteral("<int>"));
    return p;
}

Grouping computeGrouping(const GroupingInput &in)
{
    Grouping g;
    std::string key;
    if (!in.chain.empty()) {
        key = "exc";
        for (const auto &e : in.chain) {
            key += '\x1f';
            key += e.type;
            for (const GroupingFrame *f : significantFrames(e)) {
                key += '\x1e';
                key += f->module.empty() ? f->filename : f->module;
                key += '.';
                key += f->function;
            }
        }
        const GroupingException &last = in.chain.front();
        const QString value = firstLine(str(last.value));
        g.title = value.isEmpty() ? str(last.type) : str(last.type) + QStringLiteral(": ") + value;
        const auto frames = significantFrames(last);
        if (!frames.empty()) {
            const GroupingFrame *f = frames.back();
            g.culprit = str(f->module.empty() ? f->filename : f->module) + QStringLiteral(" in ") + str(f->function);
        }
    } else if (in.statusCode == 404 && !in.path.empty()) {
        const QString path = parameterizePath(str(in.path));
        key = "404\x1f" + path.toStdString();
        g.title = QStringLiteral("Not Found: ") + path;
        g.culprit = path;
    } else {
        const QString msg = parameterizeMessage(str(in.message));
        key = "msg\x1f";
        key += in.logger;
        key += '\x1f';
        key += msg.toStdString();
        g.title = firstLine(str(in.message));
        g.culprit = str(in.logger);
    }
    if (g.title.isEmpty())
        g.title = QStringLiteral("(no message)");
    g.fingerprint = hash128(key);
    return g;
}

} // namespace ed
