// A finding's reasons: a few short sentences, written once by the scorer and read by the
// printers. Kept in one allocation rather than a vector of strings (about 200 bytes for two
// reasons, 110 this way; 8 bytes in the finding itself, a SharedString): a sweep keeps every
// finding until the global sort, and a large tree can have hundreds of thousands of them.
// Copies share the bytes; push_back (the scorer, a few times a finding) writes them anew.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "result/shared_string.hpp"

namespace asyncsweep {

class Reasons {
 public:
  // Walks the reasons in order; each is a view into the Reasons it came from.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    Iterator() = default;
    explicit Iterator(const char* at) : at_(at) {}
    std::string_view operator*() const;
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const Iterator&, const Iterator&) = default;

   private:
    const char* at_ = nullptr;
  };

  Reasons() = default;
  Reasons(std::initializer_list<std::string_view> reasons);
  Reasons(const std::vector<std::string>& reasons);  // NOLINT: JSON arrays read by merge

  void push_back(std::string_view reason);
  bool empty() const { return bytes_.empty(); }
  std::size_t size() const { return static_cast<std::size_t>(std::distance(begin(), end())); }
  void clear() { bytes_ = {}; }
  std::string_view front() const { return *begin(); }
  std::string_view back() const { return (*this)[size() - 1]; }
  std::string_view operator[](std::size_t index) const;
  std::string_view at(std::size_t index) const;  // throws std::out_of_range
  Iterator begin() const { return Iterator(bytes_.data()); }
  Iterator end() const { return Iterator(bytes_.data() + bytes_.size()); }
  std::vector<std::string> to_vector() const { return {begin(), end()}; }
  // Shares the bytes with equal reasons kept before (many findings have the same reasons).
  void intern(SharedStringPool& pool) { pool.intern(bytes_); }

  friend bool operator==(const Reasons&, const Reasons&) = default;
  friend bool operator==(const Reasons& reasons, const std::vector<std::string>& list);

 private:
  SharedString bytes_;  // each reason as its length (4 bytes, native order), then its bytes
};

}  // namespace asyncsweep
