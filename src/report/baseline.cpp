#include "report/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "io/whole_file.hpp"
#include "report/fingerprint.hpp"
#include "report/formats.hpp"

namespace asyncsweep::report {

using nlohmann::json;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

BaselineKey key_of(const Finding& finding, const search::RuleSet& rules, const BaseDir& base) {
  // Paths are compared after the same U+FFFD replacement the JSON file gets on writing.
  return BaselineKey{rules[finding.rule].rule.id, sanitize_utf8(base.relative_or_absolute(finding.path)),
                     finding_text_hash(finding)};
}

[[noreturn]] void shape_error(const std::string& path, const std::string& where, std::string_view message) {
  throw std::runtime_error(fmt::format("{}: invalid baseline: {}{}", path, where.empty() ? "" : where + ": ", message));
}

// nlohmann reports the byte offset just past the character it stopped at; editors want a line
// and a (byte) column.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t byte) {
  const std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_break = before.rfind('\n');
  const std::size_t column = last_break == std::string_view::npos ? offset + 1 : offset - last_break;
  return {line, column};
}

}  // namespace

std::string normalise_finding_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  bool first_line = true;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!first_line) out += '\n';
    first_line = false;
    bool pending_space = false;
    for (char c : line) {
      if (is_space(c)) {
        pending_space = true;
        continue;
      }
      // A run of whitespace becomes one space, except at the line's start (stripped).
      if (pending_space && !out.empty() && out.back() != '\n') out += ' ';
      pending_space = false;
      out += c;
    }
    start = end + 1;
  }
  return out;
}

std::string finding_text_hash(const Finding& finding) {
  std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
  for (char c : normalise_finding_text(finding.text)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;  // FNV-1a 64 prime
  }
  return fmt::format("{:016x}", hash);
}

std::string write_baseline(const SweepResult& result, const search::RuleSet& rules,
                           const std::string& base_dir) {
  const BaseDir base(base_dir);
  std::map<BaselineKey, std::uint64_t> counts;
  for (const auto& finding : result.findings) ++counts[key_of(finding, rules, base)];

  // Written by hand rather than dump(2): one entry per line keeps diffs of a baseline to
  // exactly the findings that came and went.
  std::string out = fmt::format("{{\n  \"version\": {},\n  \"findings\": [", kBaselineVersion);
  bool first = true;
  for (const auto& [key, count] : counts) {
    nlohmann::ordered_json entry;
    entry["rule"] = key.rule;
    entry["path"] = key.path;
    entry["hash"] = key.hash;
    entry["count"] = count;
    out += first ? "\n    " : ",\n    ";
    first = false;
    out += entry.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

Baseline load_baseline(const std::string& path) {
  io::WholeFile file = io::read_whole_file(path);
  if (!file) {
    throw std::runtime_error(
        fmt::format("{}: cannot read baseline: {}", path, std::strerror(file.error_number)));
  }
  const std::string& text = file.bytes;

  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    auto [line, column] = line_column(text, error.byte);
    std::string message = error.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    if (auto colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
    throw std::runtime_error(fmt::format("{}:{}:{}: invalid baseline JSON: {}", path, line, column, message));
  }

  if (!document.is_object()) shape_error(path, "", "expected a JSON object with \"version\" and \"findings\"");
  for (const auto& [key, value] : document.items()) {
    if (key != "version" && key != "findings") shape_error(path, "", fmt::format("unknown key \"{}\"", key));
  }
  if (!document.contains("version") || !document["version"].is_number_unsigned() ||
      (document["version"] != 1 && document["version"] != kBaselineVersion)) {
    shape_error(path, "", fmt::format("\"version\" must be 1 or {}", kBaselineVersion));
  }
  if (!document.contains("findings") || !document["findings"].is_array()) {
    shape_error(path, "", "\"findings\" must be an array");
  }

  Baseline baseline;
  baseline.origin = path;
  baseline.version = document["version"].get<int>();
  const json& findings = document["findings"];
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const json& entry = findings[i];
    const std::string where = fmt::format("findings[{}]", i);
    if (!entry.is_object()) shape_error(path, where, "expected an object");
    for (const auto& [key, value] : entry.items()) {
      if (key != "rule" && key != "path" && key != "hash" && key != "count") {
        shape_error(path, where, fmt::format("unknown key \"{}\"", key));
      }
    }
    BaselineKey key;
    for (auto [name, field] : {std::pair{"rule", &key.rule}, std::pair{"path", &key.path}, std::pair{"hash", &key.hash}}) {
      if (!entry.contains(name) || !entry[name].is_string() || entry[name].get_ref<const std::string&>().empty()) {
        shape_error(path, where, fmt::format("\"{}\" must be a non-empty string", name));
      }
      *field = entry[name].get<std::string>();
    }
    if (!entry.contains("count") || !entry["count"].is_number_unsigned() || entry["count"].get<std::uint64_t>() == 0) {
      shape_error(path, where, "\"count\" must be a positive integer");
    }
    baseline.counts[key] += entry["count"].get<std::uint64_t>();  // repeated entries add up
  }
  return baseline;
}

std::string baseline_base_dir(const Baseline& baseline, const std::string& project_root) {
  return baseline.version == 1 ? std::string() : project_root;
}

void apply_baseline(SweepResult& result, const search::RuleSet& rules, const Baseline& baseline,
                    const std::string& base_dir) {
  if (baseline.counts.empty() || result.findings.empty()) return;
  const BaseDir base(base_dir);
  auto remaining = baseline.counts;

  // The first `count` findings of an identity in path/line order are the known ones; the
  // sweep already sorts that way, the stable sort only makes it independent of that.
  std::vector<std::size_t> order(result.findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = result.findings[a];
    const auto& y = result.findings[b];
    return std::tie(x.path, x.line, x.column) < std::tie(y.path, y.line, y.column);
  });

  std::vector<bool> known(result.findings.size(), false);
  for (std::size_t index : order) {
    auto it = remaining.find(key_of(result.findings[index], rules, base));
    if (it == remaining.end() || it->second == 0) continue;
    --it->second;
    known[index] = true;
  }

  std::vector<Finding> kept;
  kept.reserve(result.findings.size());
  std::uint64_t removed = 0;
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    if (known[i]) {
      ++removed;
    } else {
      kept.push_back(std::move(result.findings[i]));
    }
  }
  result.findings = std::move(kept);
  result.baselined += removed;
}

}  // namespace asyncsweep::report
