#include "models/TracebackModel.h"

#include "views/DjangoText.h"
#include "model/Filter.h"
#include "views/Theme.h"

#include <QApplication>
#include <QFont>
#include <QJsonArray>

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

TracebackModel::TracebackModel(QObject *parent) : QAbstractItemModel(parent) {}

int TracebackModel::add(Node n)
{
    const int id = int(m_nodes.size());
    if (n.parent < 0) {
        n.row = int(m_top.size());
        m_top.push_back(id);
    } else {
        n.row = int(m_nodes[size_t(n.parent)].children.size());
        m_nodes[size_t(n.parent)].children.push_back(id);
    }
    m_nodes.push_back(std::move(n));
    return id;
}

void TracebackModel::setRecord(const QJsonObject &record)
{
    beginResetModel();
    m_nodes.clear();
    m_top.clear();
    m_frameCount = 0;
    const QList<QJsonObject> chain = django::exceptionChain(record);
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const QJsonObject &e = chain[i];
        if (i > 0)
            add({Cause, -1, 0, {}, django::causeSentence(e, chain[i - 1]), {}, {}});
        const QString type = e.value(QLatin1String("type")).toString();
        const QString value = e.value(QLatin1String("value")).toString();
        add({Heading, -1, 0, {}, value.isEmpty() ? type : type + QStringLiteral(": ") + value, {}, value});
        for (const QJsonValue &f : e.value(QLatin1String("frames")).toArray())
            addFrame(f.toObject());
    }
    endResetModel();
}

void TracebackModel::addFrame(const QJsonObject &f)
{
    ++m_frameCount;
    const QString file = f.value(QLatin1String("filename")).toString();
    const int lineno = f.value(QLatin1String("lineno")).toInt();
    const QString function = f.value(QLatin1String("function")).toString();
    Node frame{Frame, -1, 0, {}, tr("%1:%2 in %3").arg(shortPath(file)).arg(lineno).arg(function),
               f.value(QLatin1String("context_line")).toString().trimmed(),
               tr("File \"%1\", line %2, in %3").arg(file).arg(lineno).arg(function)};
    frame.inApp = f.value(QLatin1String("in_app")).toBool();
    const int id = add(std::move(frame));

    const QJsonArray pre = f.value(QLatin1String("pre_context")).toArray();
    const QJsonArray post = f.value(QLatin1String("post_context")).toArray();
    int n = f.value(QLatin1String("pre_context_lineno")).toInt(lineno - int(pre.size()));
    for (const QJsonValue &l : pre)
        add({SourceLine, id, 0, {}, QString::number(n++), l.toString(), {}});
    if (f.contains(QLatin1String("context_line"))) {
        Node line{SourceLine, id, 0, {}, QString::number(lineno), f.value(QLatin1String("context_line")).toString(), {}};
        line.failing = true;
        add(std::move(line));
    }
    n = lineno + 1;
    for (const QJsonValue &l : post)
        add({SourceLine, id, 0, {}, QString::number(n++), l.toString(), {}});

    const QJsonObject vars = f.value(QLatin1String("vars")).toObject();
    if (vars.isEmpty())
        return;
    const int group = add({VarsGroup, id, 0, {}, tr("Local variables (%1)").arg(vars.size()), {}, {}});
    const QString scrubbed = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        const QString value = django::valueText(it.value());
        Node var{Variable, group, 0, {}, it.key(), value, {}};
        // Django writes '********************' (with quotes, as a repr) or bare.
        var.scrubbed = value == scrubbed || value == QLatin1Char('\'') + scrubbed + QLatin1Char('\'');
        var.tooltip = var.scrubbed ? tr("Scrubbed: the value was removed before it was stored") : value.left(4000);
        add(std::move(var));
    }
}

QList<int> TracebackModel::frameRows() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_top.size(); ++r)
        if (m_nodes[size_t(m_top[r])].kind == Frame)
            rows << int(r);
    return rows;
}

QList<int> TracebackModel::inAppFrameRows() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_top.size(); ++r) {
        const Node &n = m_nodes[size_t(m_top[r])];
        if (n.kind == Frame && n.inApp)
            rows << int(r);
    }
    return rows;
}

const TracebackModel::Node *TracebackModel::node(const QModelIndex &i) const
{
    if (!i.isValid() || i.internalId() >= m_nodes.size())
        return nullptr;
    return &m_nodes[size_t(i.internalId())];
}

QModelIndex TracebackModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(m_top.size()) ? createIndex(row, column, quintptr(m_top[size_t(row)])) : QModelIndex();
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
    return createIndex(m_nodes[size_t(n->parent)].row, 0, quintptr(n->parent));
}

int TracebackModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_top.size());
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
    case Qt::ToolTipRole:
        return n->tooltip.isEmpty() ? QVariant() : n->tooltip;
    case Qt::FontRole: {
        if (n->kind == Heading || (n->kind == Frame && label)) {
            QFont f = QApplication::font();
            f.setBold(true);
            return f;
        }
        if (n->kind == Cause || n->kind == VarsGroup) {
            QFont f = QApplication::font();
            f.setItalic(true);
            return f;
        }
        if (n->kind == SourceLine || n->kind == Variable || (n->kind == Frame && !label)) {
            QFont f = theme::codeFont();
            f.setBold(n->failing);
            f.setItalic(n->scrubbed && !label);
            return f;
        }
        return {};
    }
    case Qt::ForegroundRole:
        if ((n->kind == Frame && !n->inApp) || (n->kind == SourceLine && label) || (n->scrubbed && !label)
            || n->kind == VarsGroup)
            return theme::mutedText(QApplication::palette());
        return {};
    case Qt::BackgroundRole:
        if (n->failing)
            return theme::markBackground(QApplication::palette());
        return {};
    case Qt::DecorationRole:
        if (n->kind == Variable && n->scrubbed && !label)
            return theme::icon(QStringLiteral("lock"));
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
