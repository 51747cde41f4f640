#include "models/TracebackModel.h"

#include "model/Filter.h"
#include "send/DjangoRenderer.h"
#include "look/Theme.h"

#include <QApplication>
#include <QFont>

namespace ed {

namespace {
// Library files by their import path ("django/core/handlers/base.py"), as
// Sentry shows them; the full path stays in the tooltip.
QString shortPath(const QString &file)
{
    for (const char *marker : {"/site-packages/", "/dist-packages/"}) {
        const qsizetype at = file.lastIndexOf(QLatin1String(marker));
        if (at >= 0)
            return file.mid(at + qsizetype(strlen(marker)));
    }
    return file;
}
} // namespace

TracebackModel::TracebackModel(QObject *parent) : QAbstractItemModel(parent) { }

int TracebackModel::add(Tree &t, Node n)
{
    const int id = int(t.nodes.size());
    if (n.parent < 0) {
        n.row = int(t.top.size());
        t.top.push_back(id);
    } else {
        n.row = int(t.nodes[size_t(n.parent)].children.size());
        t.nodes[size_t(n.parent)].children.push_back(id);
    }
    t.nodes.push_back(std::move(n));
    return id;
}

TracebackModel::Tree TracebackModel::build(const Report &report, const std::vector<SourceRoot> &roots)
{
    Tree t;
    const std::vector<SdkTrim> trims = sdkTrimsOf(report);
    const std::vector<const ExceptionInfo *> chain = report.chainRootFirst();
    for (size_t i = 0; i < chain.size(); ++i) {
        const ExceptionInfo &e = *chain[i];
        if (i > 0)
            add(t, {Cause, -1, 0, {}, djangoCauseSentence(chain[i - 1]->value, e.causeExplicit), {}, {}});
        add(t, {Heading, -1, 0, {}, e.value.isEmpty() ? e.type : e.type + QStringLiteral(": ") + e.value, {}, e.value});
        addFrames(t, e.frames, roots, trims, i);
    }
    return t;
}

void TracebackModel::setReport(const Report &report, const std::vector<SourceRoot> &roots) { setTree(build(report, roots)); }

void TracebackModel::setTree(Tree tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    endResetModel();
}

void TracebackModel::addFrames(Tree &t, const std::vector<ed::Frame> &frames, const std::vector<SourceRoot> &roots,
                               const std::vector<SdkTrim> &trims, size_t exception)
{
    // Python's traceback module: the same file, line and function more than
    // three times in a row prints three times, then one summary line.
    constexpr size_t kShownRepeats = 3;
    size_t i = 0;
    while (i < frames.size()) {
        const ed::Frame &f = frames[i];
        size_t end = i + 1;
        while (end < frames.size() && frames[end].filename == f.filename && frames[end].lineno == f.lineno &&
               frames[end].function == f.function)
            ++end;
        const size_t shown = std::min(end - i, kShownRepeats);
        for (size_t k = i; k < i + shown; ++k)
            addFrame(t, frames[k], -1, roots, {&trims, exception, k});
        if (end - i > shown) {
            const int more = int(end - i - shown);
            const int run = add(t, {RepeatedFrames,
                                    -1,
                                    0,
                                    {},
                                    more == 1 ? tr("[Previous line repeated 1 more time]")
                                              : tr("[Previous line repeated %L1 more times]").arg(more),
                                    {},
                                    tr("%1 in %2, line %3: open to see each frame").arg(f.function, f.filename).arg(f.lineno)});
            for (size_t k = i + shown; k < end; ++k)
                addFrame(t, frames[k], run, roots, {&trims, exception, k});
        }
        i = end;
    }
}

void TracebackModel::addFrame(Tree &t, const ed::Frame &f, int parent, const std::vector<SourceRoot> &roots, FrameAt at)
{
    ++t.frameCount;
    Node frame{Frame,
               parent,
               0,
               {},
               tr("%1:%2 in %3").arg(shortPath(f.filename)).arg(f.lineno).arg(f.function),
               f.contextLine.value_or(QString()).trimmed(),
               tr("File \"%1\", line %2, in %3").arg(f.filename).arg(f.lineno).arg(f.function)};
    frame.inApp = f.inApp;
    frame.file = f.filename;
    frame.line = f.lineno;
    // No source in the report (the server could not read it): the local
    // checkout's lines, marked as such, when a root maps the file.
    std::optional<LocalContext> local;
    if (!f.contextLine && !roots.empty())
        if (const auto file = localSourceFile(f.filename, roots))
            local = readLocalContext(*file, f.lineno);
    if (local)
        frame.text = local->lines.value(f.lineno - local->firstLineno).trimmed();
    const int id = add(t, std::move(frame));

    if (local) {
        int n = local->firstLineno;
        for (const QString &l : local->lines) {
            Node line{SourceLine, id, 0, {}, QString::number(n), l, tr("From your checkout: the report had no source")};
            line.failing = n == f.lineno;
            line.local = true;
            add(t, std::move(line));
            ++n;
        }
    } else {
        int n = f.preContextLineno.value_or(f.lineno - int(f.preContext.size()));
        for (const QString &l : f.preContext)
            add(t, {SourceLine, id, 0, {}, QString::number(n++), l, {}});
        if (f.contextLine) {
            Node line{SourceLine, id, 0, {}, QString::number(f.lineno), *f.contextLine, {}};
            line.failing = true;
            add(t, std::move(line));
        }
        n = f.lineno + 1;
        for (const QString &l : f.postContext)
            add(t, {SourceLine, id, 0, {}, QString::number(n++), l, {}});
    }

    if (f.vars.empty())
        return;
    // The SDK's _meta, as Sentry's event has it: the variables of a frame
    // beyond the first ten left out, a long value cut. Marked like scrubbing.
    const QStringList varsPath{QStringLiteral("exception"), QStringLiteral("values"), QString::number(at.exception),
                               QStringLiteral("stacktrace"),  QStringLiteral("frames"), QString::number(at.frame),
                               QStringLiteral("vars")};
    Node varsGroup{VarsGroup, id, 0, {}, tr("Local variables (%1)").arg(f.vars.size()), {}, {}};
    if (const SdkTrim *cut = findSdkTrim(*at.trims, varsPath)) {
        varsGroup.trimmed = true;
        if (cut->originalLength && *cut->originalLength > int64_t(f.vars.size()))
            varsGroup.label = tr("Local variables (%1 of %2: the SDK left out %3)")
                                  .arg(f.vars.size())
                                  .arg(*cut->originalLength)
                                  .arg(*cut->originalLength - int64_t(f.vars.size()));
        varsGroup.tooltip = tr("The variables were %1").arg(describeSdkTrim(*cut, tr("variables")));
    }
    const int group = add(t, std::move(varsGroup));
    const QString scrubbed = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    for (const Entry &v : f.vars) {
        const QString value = v.value.displayText();
        Node var{Variable, group, 0, {}, v.key, value, {}};
        // Django writes '********************' (with quotes, as a repr) or bare.
        var.scrubbed = value == scrubbed || value == QLatin1Char('\'') + scrubbed + QLatin1Char('\'');
        var.tooltip = var.scrubbed ? tr("Scrubbed: the value was removed before it was stored") : value.left(4000);
        if (const SdkTrim *cut = findSdkTrim(*at.trims, varsPath + QStringList{v.key}); cut && !var.scrubbed) {
            var.trimmed = true;
            var.tooltip = tr("The value was %1").arg(describeSdkTrim(*cut, tr("characters")));
        }
        add(t, std::move(var));
    }
}

QList<int> TracebackModel::frameRows() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_tree.top.size(); ++r)
        if (m_tree.nodes[size_t(m_tree.top[r])].kind == Frame)
            rows << int(r);
    return rows;
}

QList<int> TracebackModel::repeatedRows() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_tree.top.size(); ++r)
        if (m_tree.nodes[size_t(m_tree.top[r])].kind == RepeatedFrames)
            rows << int(r);
    return rows;
}

QList<int> TracebackModel::inAppFrameRows() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_tree.top.size(); ++r) {
        const Node &n = m_tree.nodes[size_t(m_tree.top[r])];
        if (n.kind == Frame && n.inApp)
            rows << int(r);
    }
    return rows;
}

const TracebackModel::Node *TracebackModel::node(const QModelIndex &i) const
{
    if (!i.isValid() || i.internalId() >= m_tree.nodes.size())
        return nullptr;
    return &m_tree.nodes[size_t(i.internalId())];
}

QModelIndex TracebackModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(m_tree.top.size()) ? createIndex(row, column, quintptr(m_tree.top[size_t(row)])) : QModelIndex();
    if (parent.column() != 0)
        return {};
    const Node *p = node(parent);
    if (!p || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, quintptr(p->children[size_t(row)]));
}

QModelIndex TracebackModel::parent(const QModelIndex &child) const
{
    const Node *n = node(child);
    if (!n || n->parent < 0)
        return {};
    return createIndex(m_tree.nodes[size_t(n->parent)].row, 0, quintptr(n->parent));
}

int TracebackModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_tree.top.size());
    if (parent.column() != 0)
        return 0;
    const Node *n = node(parent);
    return n ? int(n->children.size()) : 0;
}

int TracebackModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant TracebackModel::data(const QModelIndex &index, int role) const
{
    const Node *n = node(index);
    if (!n)
        return {};
    const bool label = index.column() == Label;
    switch (role) {
    case Qt::DisplayRole:
        // A frame's row spans the columns: where it is, then its failing line.
        if (n->kind == Frame && label)
            return n->text.isEmpty() ? n->label : n->label + QStringLiteral("   —   ") + n->text;
        return label ? n->label : n->text;
    case Qt::ToolTipRole: return n->tooltip.isEmpty() ? QVariant() : n->tooltip;
    case Qt::FontRole: {
        if (n->kind == Heading || (n->kind == Frame && label)) {
            QFont f = QApplication::font();
            f.setBold(true);
            return f;
        }
        if (n->kind == Cause || n->kind == VarsGroup || n->kind == RepeatedFrames) {
            QFont f = QApplication::font();
            f.setItalic(true);
            return f;
        }
        if (n->kind == SourceLine || n->kind == Variable || (n->kind == Frame && !label)) {
            QFont f = theme::codeFont();
            f.setBold(n->failing);
            f.setItalic((n->scrubbed || n->trimmed) && !label);
            return f;
        }
        return {};
    }
    case Qt::ForegroundRole:
        if ((n->kind == Frame && !n->inApp) || (n->kind == SourceLine && label) || ((n->scrubbed || n->trimmed) && !label) ||
            n->kind == VarsGroup || n->kind == RepeatedFrames)
            return theme::mutedText(QApplication::palette());
        return {};
    case Qt::BackgroundRole:
        if (n->failing)
            return theme::markBackground(QApplication::palette());
        return {};
    case Qt::DecorationRole:
        if (n->kind == Variable && n->scrubbed && !label)
            return theme::icon(QStringLiteral("lock"));
        if (n->trimmed && (n->kind == VarsGroup) == label)
            return theme::icon(QStringLiteral("remove"));
        if (n->kind == Heading && label)
            return theme::icon(QStringLiteral("bug"));
        return {};
    case Qt::TextAlignmentRole:
        if (n->kind == SourceLine && label)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole: return int(n->kind);
    case InAppRole: return n->inApp;
    case FailingLineRole: return n->failing;
    case ScrubbedRole: return n->scrubbed;
    case SdkTrimmedRole: return n->trimmed;
    case FileRole: return n->kind == Frame ? QVariant(n->file) : QVariant();
    case LineRole: return n->kind == Frame ? QVariant(n->line) : QVariant();
    case LocalSourceRole: return n->local;
    }
    return {};
}

QVariant TracebackModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && role == Qt::DisplayRole)
        return section == Label ? tr("Frame") : tr("Code");
    return {};
}

} // namespace ed
