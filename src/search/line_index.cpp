#include "search/line_index.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace asyncsweep::search {

void LineIndex::reset(std::string_view text) {
  text_ = text;
  starts_.clear();
  starts_.push_back(0);
  scanned_ = 0;
}

// Records the line starts after each '\n' in [scanned_, to), 16 bytes at a time: a memchr
// call per line cost more than the scan itself on lines of 30-40 bytes.
void LineIndex::record_newlines(std::size_t to) {
  const char* text = text_.data();
  std::size_t i = scanned_;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= to; i += 16) {
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i)), newline)));
    while (mask != 0) {
      starts_.push_back(i + static_cast<std::size_t>(__builtin_ctz(mask)) + 1);
      mask &= mask - 1;
    }
  }
#endif
  for (; i < to; ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
  scanned_ = to;
}

void LineIndex::extend_to(std::size_t offset) {
  offset = std::min(offset, text_.size());
  if (scanned_ < offset) record_newlines(offset);
}

void LineIndex::extend_lines(std::uint32_t line) {
  constexpr std::size_t kStep = 512;  // a few lines past the one asked for, at most
  while (starts_.size() < line && scanned_ < text_.size()) {
    record_newlines(std::min(text_.size(), scanned_ + kStep));
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
