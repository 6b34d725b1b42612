// Sharding: one sweep split over N runs (machines, pods, array tasks). Every shard walks every
// directory; each file belongs to exactly one shard (result/shard_spec.hpp), chosen by a stable
// hash of the key made here: its path below the root it was found under, so the split does not
// depend on where the tree is checked out. cli/shard_arg.hpp parses --shard.
#pragma once

#include <cstdint>
#include <string_view>

#include "result/shard_spec.hpp"
#include "walk/walker.hpp"

namespace asyncsweep::sweep {

// What a file is hashed by: its path below the root it was found under ("pkg/mod.py" whether
// the root was "/srv/repo", "repo/" or "."); for a file named on the command line, the path
// as given without leading "./".
std::string_view shard_key(const walk::FileEntry& entry);
std::string_view strip_dot_slash(std::string_view path);

}  // namespace asyncsweep::sweep
