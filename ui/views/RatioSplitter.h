#pragma once
// A two-pane splitter that keeps its panes at an intended ratio as the window
// is resized. A plain QSplitter remembers the sizes the smallest window
// squeezed it to (a pane held at its minimum), so after narrow → wide the
// lists stay cramped beside a wide detail. This one shares every width by the
// ratio again (each pane still at least its minimum) until the user drags the
// handle: from then on the sizes are theirs, as in a QSplitter.
#include <QSplitter>

namespace ed {

class RatioSplitter : public QSplitter {
    Q_OBJECT
public:
    explicit RatioSplitter(Qt::Orientation orientation, QWidget *parent = nullptr);

    // The first pane's share of the room (0 to 1); applied at once.
    void setIntendedRatio(double first);
    double intendedRatio() const { return m_ratio; }
    // True once the user dragged the handle (or restoreUserSizes() restored a drag).
    bool isUserSized() const { return m_userSized; }
    // The sizes the user dragged to in an earlier session (QSplitter::saveState);
    // false (and the ratio kept) when `state` is empty or does not restore.
    bool restoreUserSizes(const QByteArray &state);

protected:
    void resizeEvent(QResizeEvent *e) override;

private:
    void applyRatio();

    double m_ratio = 0.5;
    bool m_userSized = false;
};

} // namespace ed
