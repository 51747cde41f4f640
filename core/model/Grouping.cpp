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

// The module a frame is grouped under. A script run as `python shop_site.py`
// has its frames' module recorded as `__main__` by the logging handler, while
// Django's e-mail only gives the file, whose module by the Python Path is
// `shop_site`: both stand for the file's stem, so the same failure gets the
// same fingerprint from either source. A frame without a module (an e-mail
// whose file lies outside the Python Path) is grouped by its file.
std::string_view groupingModule(const GroupingFrame &f)
{
    if (f.module == "__main__") {
        std::string_view stem = f.filename.substr(f.filename.rfind('/') + 1);
        if (stem.size() > 3 && stem.substr(stem.size() - 3) == ".py")
            return stem.substr(0, stem.size() - 3);
        return f.module;
    }
    return f.module.empty() ? f.filename : f.module;
}

// Frames that count for the fingerprint: the frames of the whole chain in
// Django's order (the root cause's first), the in-app ones, or all when none
// is. Taken as one list, because producers split a chain's frames between
// its exceptions differently (Django's e-mail gives a wrapped database error
// the driver's two frames; a record may give them to the wrapper), and the
// same failure must get one fingerprint. Runs of one function calling itself
// (recursion) count once, as Sentry does.
std::vector<const GroupingFrame *> significantFrames(const std::vector<GroupingException> &chain)
{
    std::vector<const GroupingFrame *> all;
    bool anyInApp = false;
    for (auto e = chain.rbegin(); e != chain.rend(); ++e)
        for (const auto &f : e->frames) {
            all.push_back(&f);
            anyInApp = anyInApp || f.inApp;
        }
    std::vector<const GroupingFrame *> out;
    for (const GroupingFrame *f : all) {
        if (anyInApp && !f->inApp)
            continue;
        if (!out.empty() && groupingModule(*out.back()) == groupingModule(*f) && out.back()->function == f->function)
            continue;
        out.push_back(f);
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
        // The raised exception's type, then the chain's frames: Django's
        // e-mail names a cause only by its value ("The above exception (...)
        // was the direct cause"), so a cause's type would split the same
        // failure from e-mail and from a record into two issues.
        const GroupingException &last = in.chain.front();
        key = "exc\x1f";
        key += last.type;
        const auto frames = significantFrames(in.chain);
        for (const GroupingFrame *f : frames) {
            key += '\x1e';
            key += groupingModule(*f);
            key += '.';
            key += f->function;
        }
        const QString value = firstLine(str(last.value));
        g.title = value.isEmpty() ? str(last.type) : str(last.type) + QStringLiteral(": ") + value;
        if (!frames.empty()) {
            const GroupingFrame *f = frames.back();
            g.culprit = str(groupingModule(*f)) + QStringLiteral(" in ") + str(f->function);
        }
    } else if (in.statusCode == 404 && !in.path.empty()) {
        const QString path = parameterizePath(str(in.path));
        key = "404\x1f" + path.toStdString();
        g.title = QStringLiteral("Not Found: ") + path;
        g.culprit = path;
    } else {
        const QString msg = parameterizeMessage(str(in.message));
        // By the message alone, as Sentry groups message events: Django's
        // e-mail of a logger.error() does not say which logger it was.
        key = "msg\x1f";
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
