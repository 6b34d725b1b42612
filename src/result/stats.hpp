// What a sweep counted: files walked, scanned, skipped (and why), ignored, matched lines per
// rule. Added field by field across threads and, by `asyncsweep merge`, across shards.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "result/shard_spec.hpp"
#include "walk/walker.hpp"

namespace asyncsweep {

// Why a walked file was not searched.
enum class SkipReason : std::uint8_t {
  binary,        // NUL byte found
  too_large,     // over --max-filesize
  not_regular,   // FIFO, socket, device: never opened for reading
  symlink,       // a symbolic link while walking without -L
  symlink_loop,  // -L found a directory that is its own ancestor
  count_,
};
std::string_view to_string(SkipReason reason);

struct Stats {
  std::uint64_t files_walked = 0;  // handed over by the walker with at least one rule to run
  std::uint64_t files_scanned = 0;
  std::uint64_t files_errored = 0;  // could not be read
  std::array<std::uint64_t, static_cast<std::size_t>(SkipReason::count_)> skipped{};
  std::array<std::uint64_t, static_cast<std::size_t>(walk::IgnoreReason::count_)> ignored_files{};
  std::array<std::uint64_t, static_cast<std::size_t>(walk::IgnoreReason::count_)> ignored_dirs{};
  std::uint64_t files_without_rule = 0;  // walked past: no rule's types/globs fit the name
  std::uint64_t bytes_scanned = 0;
  std::uint64_t files_incomplete = 0;        // a PCRE2 limit cut a rule short
  std::vector<std::uint64_t> matched_lines;  // per rule: inventory/config counts
  double elapsed_seconds = 0;
  std::uint64_t files_other_shards = 0;  // --shard: files another shard searches (not walked here)
  ShardSpec shard;                       // which shard this is (count 0: not sharded); not added
  std::uint32_t shards_merged = 0;       // asyncsweep merge: how many shard outputs were merged

  std::uint64_t skipped_total() const;
  void add(const Stats& other);
};

}  // namespace asyncsweep
