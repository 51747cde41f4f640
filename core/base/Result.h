#pragma once
// Errors as values: the core never shows a dialog or throws across its API.
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace ed {

// What went wrong, for callers that act on it (retry when busy, stay quiet
// when interrupted, say "not found") instead of reading the message text.
enum class ErrorKind {
    Failed, // anything not named below
    InvalidInput, // the user's file, query, setting or request is malformed
    NotFound, // no such report, issue, file or row
    Corrupt, // a stored file or database is damaged or is not ours
    Busy, // another process holds the lock; trying again may work
    Io, // reading or writing failed: disk full, permissions, a dead server
    Interrupted, // cancelled on purpose (sqlite3_interrupt, a cancel token)
    Conflict, // a unique key is taken (a name, a fingerprint): another row holds it
};

struct Error {
    QString message;
    ErrorKind kind = ErrorKind::Failed;
};

// A minimal std::expected stand-in (C++20 has none): either a value or an Error.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::move(value)) { }
    Result(Error error) : m_data(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<T>(m_data); }
    const T &value() const { return std::get<T>(m_data); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const QString &error() const { return std::get<Error>(m_data).message; }
    ErrorKind errorKind() const { return std::get<Error>(m_data).kind; }
    // The whole Error, to pass on with its kind: `return r.failure();`.
    const Error &failure() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { }
    bool ok() const { return !m_error; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error->message; }
    ErrorKind errorKind() const { return m_error->kind; }
    const Error &failure() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(const QString &message, ErrorKind kind = ErrorKind::Failed) { return Error{message, kind}; }

} // namespace ed
