// Result<T>: the return type of everything a user can make fail (bad file, no GPU,
// full disk). Programmer mistakes assert instead. Modelled on vk-bootstrap's Result.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace tiefsee {

// Broad kind of failure, so callers (and the UI) can react without parsing text.
enum class ErrorKind {
    InvalidInput,   // malformed or unsupported file / argument
    NotFound,       // file, tensor, key or device that does not exist
    Unsupported,    // valid input we do not handle (architecture, quant type)
    Io,             // read/write/mmap failure
    OutOfMemory,    // host or device allocation failed
    Device,         // Vulkan device missing, lost or lacking features
    Network,        // download errors
    Cancelled,      // the user stopped it
    Internal,       // a bug surfaced as an error instead of a crash
};

// A plain-words message plus its kind. `message` is meant to be shown to a user.
struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message;
};

inline Error makeError(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_state); }
    const T& value() const& { assert(ok()); return std::get<0>(m_state); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(m_failed); return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace tiefsee
