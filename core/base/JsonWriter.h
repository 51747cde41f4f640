#pragma once
// Appends JSON text to a std::string. Only writing: parsing is simdjson's or Qt's.
#include <cstdint>
#include <string>
#include <string_view>

namespace ed {

class JsonWriter {
public:
    explicit JsonWriter(std::string &out) : m_out(out) { }

    void beginObject()
    {
        separate();
        m_out += '{';
        m_first = true;
    }
    void endObject()
    {
        m_out += '}';
        m_first = false;
    }
    void beginArray()
    {
        separate();
        m_out += '[';
        m_first = true;
    }
    void endArray()
    {
        m_out += ']';
        m_first = false;
    }
    void key(std::string_view k)
    {
        separate();
        appendString(m_out, k);
        m_out += ':';
        m_first = true; // the value follows without a comma
    }
    void string(std::string_view s)
    {
        separate();
        appendString(m_out, s);
    }
    void integer(int64_t v)
    {
        separate();
        m_out += std::to_string(v);
    }
    void number(double v);
    void boolean(bool v)
    {
        separate();
        m_out += v ? "true" : "false";
    }
    void null()
    {
        separate();
        m_out += "null";
    }
    // Pre-serialized JSON (a value already valid JSON).
    void raw(std::string_view json)
    {
        separate();
        m_out += json;
    }

    static void appendString(std::string &out, std::string_view s);

private:
    void separate()
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
    }
    std::string &m_out;
    bool m_first = true;
};

} // namespace ed
