// The data that flows from the searcher through the scorer to the printers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace asyncsweep::search {

struct Finding {
  std::uint32_t rule = 0;      // index into the compiled rule set
  std::string path;            // as displayed (root as given + relative path)
  std::uint32_t line = 0;      // 1-based, first line of the match
  std::uint32_t end_line = 0;  // 1-based, last line of the (merged) match
  std::uint32_t column = 0;    // 1-based byte column of the match start
  std::uint32_t end_column = 0;  // 1-based byte column just past the match end, on end_line
  std::uint64_t offset = 0;    // byte offset of the match start
  std::string text;            // the matched lines, without the final line terminator
  std::vector<std::string> context_before;
  std::vector<std::string> context_after;
  int score = 0;               // 0..100
  std::vector<std::string> reasons;
};

// Why a walked file was not searched.
enum class SkipReason : std::uint8_t {
  binary,       // NUL byte found
  too_large,    // over --max-filesize
  not_regular,  // FIFO, socket, device: never opened for reading
  symlink,      // a symbolic link while walking without -L
  symlink_loop, // -L found a directory that is its own ancestor
  count_,
};
std::string_view to_string(SkipReason reason);

// A problem that made the sweep incomplete. `rule` is empty for file-level errors.
struct SweepError {
  std::string path;
  std::string rule;
  std::string message;
};

}  // namespace asyncsweep::search
