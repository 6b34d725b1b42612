#include "cli/shard_arg.hpp"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace asyncsweep::cli {

namespace {

// Decimal digits only (no sign, no spaces), at most kMaxShards; nullopt otherwise.
std::optional<std::uint32_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > kMaxShards) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::string names_asked() {
  std::string out;
  for (const auto& variable : kIndexVariables) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({}{})", variable.name, variable.engine,
                       variable.one_based ? ", 1-based" : "");
  }
  return out;
}

}  // namespace

ShardSpec parse_shard(std::string_view text, const Environment& env) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    throw std::invalid_argument(
        fmt::format("--shard {}: expected I/N (0 <= I < N) or auto/N", text));
  }
  const std::string_view index_text = text.substr(0, slash);
  const std::string_view count_text = text.substr(slash + 1);
  const auto count = parse_number(count_text);
  if (!count || *count == 0) {
    throw std::invalid_argument(fmt::format(
        "--shard {}: the shard count N must be a whole number from 1 to {}", text, kMaxShards));
  }
  ShardSpec spec;
  spec.count = *count;
  if (index_text == "auto") {
    for (const auto& variable : kIndexVariables) {
      std::optional<std::string> value = env(variable.name);
      if (!value || value->empty()) continue;
      const auto number = parse_number(*value);
      const std::uint32_t first = variable.one_based ? 1 : 0;
      if (!number || *number < first || *number - first >= spec.count) {
        throw std::invalid_argument(fmt::format(
            "--shard {}: {}={} ({}) is not a shard index: expected {}..{} for {} shards", text,
            variable.name, *value, variable.engine, first, spec.count - 1 + first, spec.count));
      }
      spec.index = *number - first;
      return spec;
    }
    throw std::invalid_argument(
        fmt::format("--shard {}: no shard index in the environment; set one of {}, or give I/N",
                    text, names_asked()));
  }
  const auto index = parse_number(index_text);
  if (!index) {
    throw std::invalid_argument(
        fmt::format("--shard {}: the shard index I must be a whole number or 'auto'", text));
  }
  if (*index >= spec.count) {
    throw std::invalid_argument(
        fmt::format("--shard {}: shard index {} is out of range for {} shards (0..{})", text,
                    *index, spec.count, spec.count - 1));
  }
  spec.index = *index;
  return spec;
}

}  // namespace asyncsweep::cli
