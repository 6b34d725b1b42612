#include "result/stats.hpp"

namespace asyncsweep {

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::binary: return "binary";
    case SkipReason::too_large: return "too_large";
    case SkipReason::not_regular: return "not_regular";
    case SkipReason::symlink: return "symlink";
    case SkipReason::symlink_loop: return "symlink_loop";
    case SkipReason::count_: break;
  }
  return "unknown";
}

std::uint64_t Stats::skipped_total() const {
  std::uint64_t total = 0;
  for (auto n : skipped) total += n;
  return total;
}

void Stats::add(const Stats& other) {
  files_walked += other.files_walked;
  files_scanned += other.files_scanned;
  files_errored += other.files_errored;
  for (std::size_t i = 0; i < skipped.size(); ++i) skipped[i] += other.skipped[i];
  for (std::size_t i = 0; i < ignored_files.size(); ++i) {
    ignored_files[i] += other.ignored_files[i];
    ignored_dirs[i] += other.ignored_dirs[i];
  }
  files_without_rule += other.files_without_rule;
  bytes_scanned += other.bytes_scanned;
  files_incomplete += other.files_incomplete;
  files_other_shards += other.files_other_shards;
  if (matched_lines.size() < other.matched_lines.size()) matched_lines.resize(other.matched_lines.size());
  for (std::size_t i = 0; i < other.matched_lines.size(); ++i) matched_lines[i] += other.matched_lines[i];
}

}  // namespace asyncsweep
