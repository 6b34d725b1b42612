#include "result/shard_spec.hpp"

namespace asyncsweep {

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::uint64_t mix64(std::uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdull;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ull;
  value ^= value >> 33;
  return value;
}

std::uint32_t shard_of(std::string_view key, std::uint32_t count) {
  return static_cast<std::uint32_t>(mix64(fnv1a64(key)) % count);
}

bool ShardSpec::owns(std::string_view key) const {
  return count == 0 || shard_of(key, count) == index;
}

}  // namespace asyncsweep
