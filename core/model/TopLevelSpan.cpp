#include "model/TopLevelSpan.h"

#include <simdjson.h>

namespace ed {

struct TopLevelSpan::Impl {
    simdjson::ondemand::parser parser;
};

TopLevelSpan::TopLevelSpan() : d(std::make_unique<Impl>()) { }

TopLevelSpan::~TopLevelSpan() = default;

bool TopLevelSpan::find(std::string_view json, std::string_view key, std::string_view &span)
{
    namespace od = simdjson::ondemand;
    od::document doc;
    if (d->parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(doc))
        return false;
    od::object obj;
    if (doc.get_object().get(obj))
        return false;
    bool found = false;
    for (auto member : obj) {
        if (member.error())
            return false;
        od::field field = std::move(member).value_unsafe();
        std::string_view name;
        if (field.unescaped_key().get(name))
            return false;
        if (name != key)
            continue; // its value is skipped by the next step of the loop
        od::object value;
        if (found || field.value().get_object().get(value) || value.raw_json().get(span))
            return false;
        found = true;
    }
    // What follows the object (there should be nothing) is the caller's DOM
    // parse's to judge: the text around the span is parsed either way.
    return found;
}

const SeenBlocks::Entry *SeenBlocks::find(const Hash128 &textHash, std::string_view text) const
{
    for (const Entry &e : m_entries)
        if (e.textHash == textHash && e.text == text)
            return &e;
    return nullptr;
}

void SeenBlocks::remember(Entry e)
{
    if (m_entries.size() < kEntries) {
        m_entries.push_back(std::move(e));
        return;
    }
    m_entries[m_next] = std::move(e);
    m_next = (m_next + 1) % kEntries;
}

} // namespace ed
