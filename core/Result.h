#pragma once
// Errors as values: the core never shows a dialog or throws across its API.
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace ed {

struct Error {
    QString message;
};

// A minimal std::expected stand-in (C++20 has none): either a value or an Error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<T>(m_data); }
    const T &value() const { return std::get<T>(m_data); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const QString &error() const { return std::get<Error>(m_data).message; }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error->message; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(const QString &message) { return Error{message}; }

} // namespace ed
