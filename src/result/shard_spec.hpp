// Which shard a file belongs to. Every shard walks every directory; each file belongs to
// exactly one shard, chosen by a stable hash of its path below the root it was found under
// (sweep/shard.hpp makes that key and parses --shard), so the split is the same on every
// machine and every run. Here, below the driver, because a result's stats name their shard.
#pragma once

#include <cstdint>
#include <string_view>

namespace asyncsweep {

struct ShardSpec {
  std::uint32_t index = 0;  // 0-based
  std::uint32_t count = 0;  // 0: not sharded (every file is this run's)

  bool active() const { return count != 0; }
  // True when the file with this shard key (see sweep::shard_key()) is this shard's to search.
  bool owns(std::string_view key) const;
  // Entries every shard meets alike (ignored directories, entries -g/-t/symlinks skip) are
  // counted by shard 0 only, so that the merged counts equal an unsharded sweep's.
  bool counts_walk() const { return count == 0 || index == 0; }
};

// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over the bytes.
std::uint64_t fnv1a64(std::string_view bytes);
// MurmurHash3's 64-bit finalizer: spreads FNV's weak low bits before the modulo.
std::uint64_t mix64(std::uint64_t value);
// The shard (0..count-1) of a shard key: mix64(fnv1a64(key)) % count. count must be > 0.
std::uint32_t shard_of(std::string_view key, std::uint32_t count);

}  // namespace asyncsweep
