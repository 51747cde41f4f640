#include "import/V1Source.h"

#include <cstring>

namespace ed {

bool V1Source::next(SourceItem &item)
{
    LineReader::Line line;
    if (!m_reader->next(line))
        return false;
    item = SourceItem{};
    item.number = line.number;
    item.endOffset = line.endOffset;
    item.terminated = line.terminated;
    if (line.tooLong) {
        item.error = QStringLiteral("line of %1 MB is over the %2 MB limit for one record")
                         .arg(double(line.length) / (1 << 20), 0, 'f', 1)
                         .arg(16);
        return true;
    }
    std::string_view text = line.text;
    if (line.number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3); // a UTF-8 byte order mark
    size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
        ++i;
    if (i == text.size()) {
        item.skip = true; // blank lines are allowed
        return true;
    }
    if (std::memchr(text.data(), '\0', text.size())) {
        item.error = QStringLiteral("binary data (NUL bytes), not a JSON line");
        return true;
    }
    item.json = text;
    item.padded = true;
    return true;
}

} // namespace ed
