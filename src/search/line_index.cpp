#include "search/line_index.hpp"

#include <algorithm>
#include <cstring>

namespace asyncsweep::search {

void LineIndex::reset(std::string_view text) {
  text_ = text;
  starts_.clear();
  starts_.push_back(0);
  scanned_ = 0;
}

void LineIndex::extend_to(std::size_t offset) {
  offset = std::min(offset, text_.size());
  while (scanned_ < offset) {
    const void* hit = std::memchr(text_.data() + scanned_, '\n', offset - scanned_);
    if (hit == nullptr) {
      scanned_ = offset;
      return;
    }
    std::size_t at = static_cast<const char*>(hit) - text_.data();
    starts_.push_back(at + 1);
    scanned_ = at + 1;
  }
}

void LineIndex::extend_lines(std::uint32_t line) {
  while (starts_.size() < line && scanned_ < text_.size()) {
    const void* hit = std::memchr(text_.data() + scanned_, '\n', text_.size() - scanned_);
    if (hit == nullptr) {
      scanned_ = text_.size();
      return;
    }
    std::size_t at = static_cast<const char*>(hit) - text_.data();
    starts_.push_back(at + 1);
    scanned_ = at + 1;
  }
}

std::uint32_t LineIndex::line_of(std::size_t offset) {
  extend_to(offset);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::uint32_t>(it - starts_.begin());
}

std::size_t LineIndex::line_start(std::size_t offset) { return starts_[line_of(offset) - 1]; }

std::size_t LineIndex::line_end(std::size_t offset) const {
  if (offset >= text_.size()) return text_.size();
  const void* hit = std::memchr(text_.data() + offset, '\n', text_.size() - offset);
  return hit == nullptr ? text_.size() : static_cast<std::size_t>(static_cast<const char*>(hit) - text_.data()) + 1;
}

bool LineIndex::line_range(std::uint32_t line, std::size_t& begin, std::size_t& end) {
  if (line == 0) return false;
  extend_lines(line);
  if (starts_.size() < line) return false;
  begin = starts_[line - 1];
  if (begin >= text_.size() && line > 1) return false;  // nothing after the final newline
  std::size_t stop = line_end(begin);
  end = (stop > begin && text_[stop - 1] == '\n') ? stop - 1 : stop;
  return true;
}

}  // namespace asyncsweep::search
