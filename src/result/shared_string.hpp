// An immutable string in one pointer, shared on copy. A sweep keeps every finding until the
// global sort, and a std::string is 32 bytes before its text: a path that all of a file's
// findings share (one block per file), a matched line or a line hash cost 8 bytes here, plus
// one allocation of 8 bytes and the text (none when empty).
//
// Reads like a const std::string where findings are read (size, data, comparisons, `+`,
// `out += s`, fmt); a function wanting `const std::string&` gets `std::string(s)`.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>

namespace asyncsweep {

class SharedString;

// What SharedString compares and concatenates with: a literal, a std::string, a string_view.
template <typename T>
concept TextLike =
    std::is_convertible_v<const T&, std::string_view> && !std::is_same_v<T, SharedString>;

class SharedString {
 public:
  SharedString() noexcept = default;
  SharedString(std::string_view text);  // NOLINT: a string where a finding's field was one
  SharedString(const std::string& text) : SharedString(std::string_view(text)) {}  // NOLINT
  SharedString(const char* text) : SharedString(std::string_view(text)) {}         // NOLINT
  SharedString(const SharedString& other) noexcept : block_(other.block_) { retain(); }
  SharedString(SharedString&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedString& operator=(const SharedString& other) noexcept {
    SharedString copy(other);
    std::swap(block_, copy.block_);
    return *this;
  }
  SharedString& operator=(SharedString&& other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }
  ~SharedString() { release(); }

  std::string_view view() const noexcept {
    return block_ ? std::string_view(chars(), block_->size) : std::string_view();
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  const char* data() const noexcept { return block_ ? chars() : ""; }
  const char* c_str() const noexcept { return data(); }
  std::size_t size() const noexcept { return block_ ? block_->size : 0; }
  std::size_t length() const noexcept { return size(); }
  bool empty() const noexcept { return block_ == nullptr; }
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size(); }
  char operator[](std::size_t index) const noexcept { return chars()[index]; }
  char front() const noexcept { return chars()[0]; }
  char back() const noexcept { return chars()[size() - 1]; }
  std::size_t find(std::string_view what, std::size_t from = 0) const noexcept {
    return view().find(what, from);
  }
  std::size_t find(char what, std::size_t from = 0) const noexcept {
    return view().find(what, from);
  }
  std::size_t rfind(std::string_view what,
                    std::size_t from = std::string_view::npos) const noexcept {
    return view().rfind(what, from);
  }
  std::size_t rfind(char what, std::size_t from = std::string_view::npos) const noexcept {
    return view().rfind(what, from);
  }
  std::string_view substr(std::size_t at, std::size_t count = std::string_view::npos) const {
    return view().substr(at, count);
  }
  bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
  bool ends_with(std::string_view suffix) const noexcept { return view().ends_with(suffix); }
  // Whether both hold the very same block (a file's findings share their path's).
  bool same_block(const SharedString& other) const noexcept { return block_ == other.block_; }

  friend bool operator==(const SharedString& a, const SharedString& b) noexcept {
    return a.block_ == b.block_ || a.view() == b.view();
  }
  friend std::strong_ordering operator<=>(const SharedString& a, const SharedString& b) noexcept {
    return a.view() <=> b.view();
  }
  // Templates, so that a literal or a std::string matches exactly rather than by a conversion
  // that would make SharedString's own operators ambiguous.
  template <typename T>
  requires TextLike<T>
  friend bool operator==(const SharedString& a, const T& b) noexcept {
    return a.view() == std::string_view(b);
  }
  template <typename T>
  requires TextLike<T>
  friend std::strong_ordering operator<=>(const SharedString& a, const T& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  template <typename T>
  requires TextLike<T>
  friend std::string operator+(const SharedString& a, const T& b) {
    return concat(a.view(), std::string_view(b));
  }
  template <typename T>
  requires TextLike<T>
  friend std::string operator+(const T& a, const SharedString& b) {
    return concat(std::string_view(a), b.view());
  }
  friend std::string operator+(const SharedString& a, const SharedString& b) {
    return concat(a.view(), b.view());
  }
  friend std::string operator+(const SharedString& a, char b) {
    return concat(a.view(), std::string_view(&b, 1));
  }
  friend std::string operator+(char a, const SharedString& b) {
    return concat(std::string_view(&a, 1), b.view());
  }

 private:
  struct Block {
    std::atomic<std::uint32_t> references;
    std::uint32_t size;
  };
  const char* chars() const noexcept { return reinterpret_cast<const char*>(block_ + 1); }
  void retain() noexcept {
    if (block_) block_->references.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept;
  static std::string concat(std::string_view a, std::string_view b);

  Block* block_ = nullptr;
};

// Makes equal strings share one block: a file's path, and the matched lines and reasons that
// repeat across findings (an async test's "needs the marker", the same call in many files).
// Bounded: past kLimit strings it starts afresh, so that unique strings cost a sweep at most
// kLimit entries (about 40 bytes each) rather than an entry per finding.
class SharedStringPool {
 public:
  void intern(SharedString& text);

 private:
  struct Hash {
    std::size_t operator()(const SharedString& s) const noexcept;
  };
  static constexpr std::size_t kLimit = 1 << 14;
  std::unordered_set<SharedString, Hash> strings_;
};

}  // namespace asyncsweep

template <>
struct std::hash<asyncsweep::SharedString> {
  std::size_t operator()(const asyncsweep::SharedString& s) const noexcept {
    return std::hash<std::string_view>()(s.view());
  }
};

template <>
struct fmt::formatter<asyncsweep::SharedString> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(const asyncsweep::SharedString& s, Context& context) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), context);
  }
};
