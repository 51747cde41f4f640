#include "views/RatioSplitter.h"

#include <algorithm>

namespace ed {

RatioSplitter::RatioSplitter(Qt::Orientation orientation, QWidget *parent) : QSplitter(orientation, parent)
{
    // splitterMoved comes only from the handle (not from setSizes): a user's drag.
    connect(this, &QSplitter::splitterMoved, this, [this] { m_userSized = true; });
}

void RatioSplitter::setIntendedRatio(double first)
{
    m_ratio = std::clamp(first, 0.0, 1.0);
    applyRatio();
}

bool RatioSplitter::restoreUserSizes(const QByteArray &state)
{
    if (state.isEmpty() || !restoreState(state))
        return false;
    m_userSized = true;
    return true;
}

void RatioSplitter::resizeEvent(QResizeEvent *e)
{
    QSplitter::resizeEvent(e);
    applyRatio();
}

void RatioSplitter::applyRatio()
{
    if (m_userSized || count() != 2)
        return;
    const int room = (orientation() == Qt::Horizontal ? width() : height()) - handleWidth();
    if (room <= 0)
        return;
    const int first = int(double(room) * m_ratio + 0.5);
    // QSplitter holds each pane at its minimum itself.
    setSizes({first, room - first});
}

} // namespace ed
