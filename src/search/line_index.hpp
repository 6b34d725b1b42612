// Line numbers for byte offsets, counted lazily: newlines are only counted up to the
// furthest offset asked about, so a file without matches never pays for them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace asyncsweep::search {

class LineIndex {
 public:
  // Keeps `starts_` capacity across files; call reset() before each file.
  void reset(std::string_view text);

  // 1-based line holding byte `offset` (offset == size is the line after a final newline).
  std::uint32_t line_of(std::size_t offset);
  // Byte offset where the line holding `offset` starts, and where it ends (just past '\n',
  // or at end of text).
  std::size_t line_start(std::size_t offset);
  std::size_t line_end(std::size_t offset) const;
  // Byte range of 1-based line `line` without its terminator, if it exists.
  bool line_range(std::uint32_t line, std::size_t& begin, std::size_t& end);

 private:
  void extend_to(std::size_t offset);
  void extend_lines(std::uint32_t line);
  void record_newlines(std::size_t to);

  std::string_view text_;
  std::vector<std::size_t> starts_;  // starts_[i] = offset of line i+1
  std::size_t scanned_ = 0;          // newlines before this offset are in starts_
};

}  // namespace asyncsweep::search
