#include "views/ImportProgressBar.h"

#include <QBoxLayout>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace ed {

ImportProgressBar::ImportProgressBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("importProgress"));
    m_label = new QLabel(this);
    m_bar = new QProgressBar(this);
    m_bar->setMaximumWidth(220);
    m_bar->setTextVisible(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelImport"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_label->setText(tr("Cancelling…"));
        Q_EMIT cancelRequested();
    });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
}

void ImportProgressBar::begin()
{
    m_cancel->setEnabled(true);
    m_bar->setRange(0, 0); // busy until the first numbers come
    m_label->setText(tr("Importing…"));
}

void ImportProgressBar::update(const ImportProgress &p)
{
    if (p.bytesTotal > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000.0 * double(p.bytesDone) / double(p.bytesTotal)));
    }
    if (m_cancel->isEnabled())
        m_label->setText(tr("File %1 of %2 · %L3 reports · %4 MB/s")
                             .arg(std::min(p.filesDone + 1, std::max(p.filesTotal, 1)))
                             .arg(p.filesTotal)
                             .arg(p.reports)
                             .arg(p.mbPerSecond, 0, 'f', 1));
    m_label->setToolTip(QFileInfo(p.currentFile).fileName());
}

QString ImportProgressBar::text() const { return m_label->text(); }

} // namespace ed
