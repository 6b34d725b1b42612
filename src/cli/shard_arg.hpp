// --shard I/N and auto/N: which shard of a sharded sweep this run is (result/shard_spec.hpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "cli/environment.hpp"
#include "result/shard_spec.hpp"

namespace asyncsweep::cli {

// The most shards `--shard` accepts (a sanity bound, not a technical one).
inline constexpr std::uint32_t kMaxShards = 1000000;

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

}  // namespace asyncsweep::cli
