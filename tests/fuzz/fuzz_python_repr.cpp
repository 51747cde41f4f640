// Python's repr(), both ways: reading it back from Django's e-mails
// (core/mail/PythonRepr.cpp) and writing it for rebuilt reports
// (core/send/PyRepr.cpp). Whatever str reprString prints, the reader must give
// back exactly, alone and inside a list.
#include "FuzzSupport.h"
#include "mail/DjangoReportParser.h"
#include "send/PyRepr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input = ed::fuzz::bytes(data, size);
    (void)ed::mail::pythonReprToText(input);
    (void)ed::mail::pythonStringList(input);

    const QString text = QString::fromUtf8(input.data(), qsizetype(input.size()));
    (void)ed::pyrepr::reprSetting(text);
    (void)ed::pyrepr::reprMeta(text);
    (void)ed::pyrepr::reprFile(text);
    (void)ed::pyrepr::pprintSequence(text);

    const std::string utf8 = text.toStdString(); // valid UTF-8 (invalid bytes became U+FFFD)
    const QString repr = ed::pyrepr::reprString(text);
    const std::string reprUtf8 = repr.toStdString();
    const std::string back = ed::mail::pythonReprToText(reprUtf8);
    if (back != utf8)
        std::fprintf(stderr, "repr %s read back as %s\n", reprUtf8.c_str(), back.c_str());
    FUZZ_CHECK(back == utf8);
    const std::vector<std::string> list = ed::mail::pythonStringList("[" + reprUtf8 + ", " + reprUtf8 + "]");
    FUZZ_CHECK(list.size() == 2 && list[0] == utf8 && list[1] == utf8);
    return 0;
}
