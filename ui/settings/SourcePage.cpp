#include "settings/SourcePage.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace ed {

SourcePage::SourcePage(QWidget *parent) : SettingsPage(parent)
{
    auto *form = new QFormLayout(this);
    auto *intro = new QLabel(tr("A frame's file opens in your editor from your own checkout of the site: map the path "
                                "the site runs from to where the code is here. Frames whose report has no source lines "
                                "show them from that checkout."),
                             this);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_roots = makeLinesEdit(this, tr("SITE_PATH=LOCAL_PATH, e.g. /srv/shop=~/code/shop"));
    m_roots->setObjectName(QStringLiteral("sourceRoots"));
    m_editor = new QLineEdit(this);
    m_editor->setObjectName(QStringLiteral("editorTemplate"));
    m_editor->setPlaceholderText(tr("Empty: $VISUAL, else the desktop's default application"));
    addField(form, tr("&Checkouts:"), m_roots, ConfigKey::SourceRoots);
    addField(form, tr("&Editor:"), m_editor, ConfigKey::Editor);
    auto *examples = new QLabel(
        tr("Examples: <code>code --goto {file}:{line}</code> · <code>vscode://file/{file}:{line}</code> · "
           "<code>idea://open?file={file}&amp;line={line}</code> · <code>gvim +{line} {file}</code>"),
        this);
    examples->setWordWrap(true);
    examples->setTextFormat(Qt::RichText);
    form->addRow(QString(), examples);
}

void SourcePage::load(const ConfigCache &config)
{
    setLines(m_roots, config.stringList(ConfigKey::SourceRoots));
    m_editor->setText(config.string(ConfigKey::Editor));
}

bool SourcePage::apply(SettingsEdits &config)
{
    bool ok = setValue(config, ConfigKey::SourceRoots, linesValue(m_roots));
    ok = setValue(config, ConfigKey::Editor, m_editor->text().trimmed()) && ok;
    return ok;
}

} // namespace ed
