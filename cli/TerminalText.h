#pragma once
// Report text shown to people must not drive their terminal: an escape
// sequence in a logger name or a file name could set the window title, clear
// the screen or plant a hyperlink. Control characters become visible
// stand-ins; JSON output and exact byte output (--raw to a pipe) are not
// touched.
#include <QIODevice>
#include <QString>
#include <QStringView>

namespace ed::cli {

// Replaces control characters (C0 but newline and tab, DEL, C1; CRLF becomes a
// newline, a lone CR is replaced) and the
// Unicode bidi embeddings, overrides and isolates that reorder what a terminal shows. C0 and DEL become
// their Unicode control pictures (ESC shows as U+241B), the others U+FFFD.
QString terminalSafe(QStringView s);
// The same, and newline and tab too: for one-line fields such as file names
// and table cells, where a newline would fake another line of output.
QString oneLine(QStringView s);

// A write-only device that passes UTF-8 text through terminalSafe() on its
// way to another device (stdout, stderr). Our own layout (newlines) passes;
// what a report carries does not reach the terminal raw.
class TerminalSafeDevice : public QIODevice {
public:
    explicit TerminalSafeDevice(QIODevice *target);
    ~TerminalSafeDevice() override;
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override;

private:
    QIODevice *m_target;
    QByteArray m_pending; // the start of a UTF-8 sequence cut by the last write
};

} // namespace ed::cli
