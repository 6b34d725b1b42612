// Sharding: one sweep split over N runs (machines, pods, array tasks). Every shard walks every
// directory; each file belongs to exactly one shard, chosen by a stable hash of its path below
// the root it was found under, so the split is the same on every machine and every run, and
// does not depend on where the tree is checked out.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "result/shard_spec.hpp"
#include "walk/walker.hpp"

namespace asyncsweep::sweep {

// The most shards `--shard` accepts (a sanity bound, not a technical one).
inline constexpr std::uint32_t kMaxShards = 1000000;

// What a file is hashed by: its path below the root it was found under ("pkg/mod.py" whether
// the root was "/srv/repo", "repo/" or "."); for a file named on the command line, the path
// as given without leading "./".
std::string_view shard_key(const walk::FileEntry& entry);
std::string_view strip_dot_slash(std::string_view path);

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
Environment process_environment();  // ::getenv

// The engines `auto/N` asks, first set (non-empty) wins.
struct IndexVariable {
  const char* name;
  const char* engine;
  bool one_based;
};
inline constexpr IndexVariable kIndexVariables[] = {
    {"JOB_COMPLETION_INDEX", "Kubernetes Indexed Job", false},
    {"SLURM_ARRAY_TASK_ID", "Slurm job array", false},
    {"PARALLEL_SEQ", "GNU parallel", true},
};

// Parses "I/N" (0 <= I < N <= kMaxShards, decimal digits only) or "auto/N" (I from the first
// variable of kIndexVariables set in `env`). Throws std::invalid_argument with a message that
// names the problem (and for auto/N the variables asked or the one that was out of range).
ShardSpec parse_shard(std::string_view text, const Environment& env);

}  // namespace asyncsweep::sweep
