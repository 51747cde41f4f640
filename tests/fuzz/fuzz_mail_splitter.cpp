// A file of e-mails cut into messages (MailSplitter: mbox, Django's file
// backend, or one message). The input is written to a file, since the splitter
// reads files; every message is taken and the offsets it reports checked.
#include "FuzzSupport.h"
#include "mail/MailSplitter.h"

#include <QFile>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QString path = ed::fuzz::scratchDir().filePath(QStringLiteral("mail-input"));
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size)) {
            std::fprintf(stderr, "fuzz: cannot write %s\n", qPrintable(path));
            std::abort();
        }
    }
    auto splitter = ed::mail::MailSplitter::open(path);
    if (!splitter)
        return 0;
    ed::mail::MailChunk chunk;
    int64_t lastEnd = 0, lastNumber = 0;
    while ((*splitter)->next(chunk)) {
        FUZZ_CHECK(chunk.number == lastNumber + 1);
        FUZZ_CHECK(chunk.endOffset >= lastEnd && chunk.endOffset <= int64_t(size));
        FUZZ_CHECK(chunk.oversized || int64_t(chunk.raw.size()) <= chunk.size);
        lastEnd = chunk.endOffset;
        lastNumber = chunk.number;
    }
    FUZZ_CHECK((*splitter)->bytesRead() <= int64_t(size));
    return 0;
}
