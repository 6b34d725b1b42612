#include "report/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "io/whole_file.hpp"
#include "report/fingerprint.hpp"
#include "report/json_schema.hpp"
#include "report/summary_json.hpp"
#include "result/finding_order.hpp"
#include "transitive/closure.hpp"
#include "transitive/join.hpp"

namespace asyncsweep::report {

using nlohmann::json;

MergeInput read_merge_input(const std::string& path) {
  io::WholeFile file = io::read_input(path);
  if (!file) throw std::runtime_error(file.error);
  return MergeInput{path == "-" ? std::string(io::kStdinName) : path, std::move(file.bytes)};
}

namespace {

// One shard's output as read back: what its summary and records say.
struct ShardOutput {
  std::string where;  // "FILE:LINE" of its summary
  ShardSpec shard;
  std::vector<Finding> findings;
  std::vector<Finding> config_hits;
  std::vector<Finding> suppressed;
  std::vector<FilePlan> fixes;  // one per fixable finding: keep_fixes_of joins them by file
  std::vector<UnusedSuppression> unused_suppressions;
  std::vector<std::string> files;
  std::uint64_t baselined = 0;
  std::uint64_t below_min_score = 0;
  std::uint64_t excluded_tests = 0;
  std::uint64_t beyond_top = 0;
  std::vector<SweepError> errors;
  std::vector<FileSummary> summaries;  // for the transitive join
  Stats stats;
};

std::optional<std::string> decode_base64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=' ? (text[i + 2] == '=' ? 2 : 1) : 0) : 0;
    unsigned v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      int d = k >= 4 - static_cast<std::size_t>(pad) ? 0 : value(text[i + k]);
      if (d < 0) return std::nullopt;
      v = (v << 6) | static_cast<unsigned>(d);
    }
    out += static_cast<char>((v >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(v & 0xFF);
  }
  return out;
}

// Reads the records of one input; `where` prefixes every message.
class Reader {
 public:
  explicit Reader(const search::RuleSet& rules) : rules_(rules) {
    for (std::uint32_t i = 0; i < rules.size(); ++i) ids_.emplace(rules[i].rule.id, i);
  }

  void read(const MergeInput& input, std::vector<ShardOutput>& outputs) {
    ShardOutput current;
    std::size_t records = 0;  // in `current`
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < input.text.size()) {
      std::size_t end = input.text.find('\n', start);
      if (end == std::string::npos) end = input.text.size();
      std::string_view line(input.text.data() + start, end - start);
      start = end + 1;
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      where_ = fmt::format("{}:{}", input.name, line_number);
      json record = json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.is_object()) {
        fail("not a JSON object (is this asyncsweep --format json output?)");
      }
      const std::string type = text(record, json_key::type);
      ++records;
      if (type == record_type::finding) {
        current.findings.push_back(finding(record));
        if (record.contains(json_key::fix)) current.fixes.push_back(fix_plan(record, current.findings.back()));
      } else if (type == record_type::config) {
        current.config_hits.push_back(finding(record));
      } else if (type == record_type::suppressed) {
        current.suppressed.push_back(finding(record));
        current.suppressed.back().features.edit().suppressed_by = bytes(record, json_key::suppressed_by);
      } else if (type == record_type::unused_suppression) {
        current.unused_suppressions.push_back(
            {bytes(record, json_key::path), number32(record, json_key::line), text(record, json_key::comment)});
      } else if (type == record_type::file) {
        current.files.push_back(bytes(record, json_key::path));
      } else if (type == record_type::file_summary) {
        try {
          current.summaries.push_back(summary_from_json(record));
        } catch (const std::runtime_error& error) {
          fail(error.what());
        }
      } else if (type == record_type::summary) {
        summary(record, current);
        current.where = where_;
        outputs.push_back(std::move(current));
        current = ShardOutput{};
        records = 0;
      } else {
        fail(fmt::format("record type '{}' cannot be merged", type));
      }
    }
    if (records != 0) {
      throw MergeError(
          fmt::format("{}: {} record(s) after the last summary: a shard's output was cut short",
                      input.name, records));
    }
    if (line_number == 0 || outputs.empty()) {
      throw MergeError(fmt::format(
          "{}: no summary record: not the output of asyncsweep --format json", input.name));
    }
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw MergeError(where_ + ": " + message);
  }

  const json& field(const json& object, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) fail(fmt::format("missing field '{}'", key));
    return *it;
  }

  std::string text(const json& object, const char* key) const {
    const json& value = field(object, key);
    if (!value.is_string()) fail(fmt::format("field '{}' is not a string", key));
    return value.get<std::string>();
  }

  // A text field with its exact bytes in "<key>_base64" when they are not UTF-8.
  std::string bytes(const json& object, const char* key) const {
    auto exact = object.find(std::string(key) + kBase64Suffix);
    if (exact == object.end()) return text(object, key);
    if (!exact->is_string()) fail(fmt::format("field '{}_base64' is not a string", key));
    auto decoded = decode_base64(exact->get<std::string>());
    if (!decoded) fail(fmt::format("field '{}_base64' is not base64", key));
    return *decoded;
  }

  std::uint64_t as_count(const json& value, const std::string& name) const {
    if (!value.is_number_unsigned() &&
        !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      fail(fmt::format("field '{}' is not a count", name));
    }
    return value.get<std::uint64_t>();
  }
  std::uint64_t count(const json& object, const char* key) const {
    return as_count(field(object, key), key);
  }

  std::uint32_t number32(const json& object, const char* key) const {
    std::uint64_t value = count(object, key);
    if (value > 0xFFFFFFFFull) fail(fmt::format("field '{}' is too large", key));
    return static_cast<std::uint32_t>(value);
  }

  std::vector<std::string> strings(const json& object, const char* key) const {
    auto it = object.find(key);
    std::vector<std::string> out;
    if (it == object.end()) return out;
    if (!it->is_array()) fail(fmt::format("field '{}' is not a list", key));
    for (const auto& item : *it) {
      if (!item.is_string()) fail(fmt::format("field '{}' holds a non-string", key));
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::uint32_t rule_index(const std::string& id) const {
    auto it = ids_.find(id);
    if (it == ids_.end()) {
      fail(fmt::format(
          "rule '{}' is not in the loaded rule set: give merge the --rules/--select/--ignore "
          "the shards ran with",
          id));
    }
    return it->second;
  }

  Finding finding(const json& record) const {
    Finding finding;
    finding.rule = rule_index(text(record, json_key::rule));
    finding.path = bytes(record, json_key::path);
    finding.line = number32(record, json_key::line);
    finding.end_line = number32(record, json_key::end_line);
    finding.column = number32(record, json_key::column);
    finding.end_column = number32(record, json_key::end_column);
    const json& score = field(record, json_key::score);
    if (!score.is_number_integer()) fail("field 'score' is not an integer");
    finding.score = score.get<int>();
    finding.text = bytes(record, json_key::lines);
    finding.reasons = strings(record, json_key::reasons);
    finding.context = ContextLines(strings(record, json_key::context_before),
                                   strings(record, json_key::context_after));
    if (record.contains(json_key::test)) {
      const json& test = field(record, json_key::test);
      if (!test.is_boolean()) fail("field 'test' is not a boolean");
      if (test.get<bool>()) finding.features.edit().test_file = true;
    }
    return finding;
  }

  // A finding's "fix" (report/json_schema.hpp) as the plan of its file, without byte offsets:
  // enough to report it again, not to write it (merge writes nothing).
  FilePlan fix_plan(const json& record, const Finding& finding) const {
    const json& fix = field(record, json_key::fix);
    if (!fix.is_object()) fail("field 'fix' is not an object");
    const json& edits = field(fix, json_key::edits);
    if (!edits.is_array() || edits.size() != 1 || !edits[0].is_object()) fail("field 'fix.edits' is not a list of one edit");
    const json& location = field(edits[0], json_key::location);
    const json& end_location = field(edits[0], json_key::end_location);
    if (!location.is_object() || !end_location.is_object()) fail("a fix edit's location is not an object");
    FixEdit edit;
    edit.rule = finding.rule;
    edit.finding_line = finding.line;
    edit.finding_column = finding.column;
    edit.row = number32(location, json_key::row);
    edit.column = number32(location, json_key::column);
    edit.end_row = number32(end_location, json_key::row);
    edit.end_column = number32(end_location, json_key::column);
    edit.content = text(edits[0], json_key::content);
    edit.message = text(fix, json_key::message);
    return FilePlan{finding.path.str(), "", {std::move(edit)}};
  }

  // {"reason": count, ...} into counts indexed by the enum whose names `name_of` gives.
  template <typename Enum, std::size_t N, typename NameOf>
  void reasons(const json& object, const char* key, std::array<std::uint64_t, N>& counts,
               NameOf name_of, std::uint64_t* no_rule = nullptr) const {
    const json& value = field(object, key);
    if (!value.is_object()) fail(fmt::format("field '{}' is not an object", key));
    for (const auto& [name, n] : value.items()) {
      if (no_rule != nullptr && name == json_key::no_rule) {
        *no_rule = as_count(n, std::string(key) + "." + name);
        continue;
      }
      std::size_t i = 0;
      while (i < N && name_of(static_cast<Enum>(i)) != name) ++i;
      if (i == N) fail(fmt::format("field '{}' has an unknown reason '{}'", key, name));
      counts[i] = as_count(n, std::string(key) + "." + name);
    }
  }

  // A summary count of records that precede it: they must all be there.
  void listed(const json& record, const char* key, std::size_t records) const {
    if (!record.contains(key)) return;
    const std::uint64_t n = count(record, key);
    if (n != records) {
      fail(fmt::format(
          "the summary counts {} {} but {} such records precede it: a shard's output was cut short "
          "or mixed with another",
          n, key, records));
    }
  }

  void summary(const json& record, ShardOutput& output) const {
    Stats& stats = output.stats;
    stats.matched_lines.assign(rules_.size(), 0);
    stats.files_walked = count(record, json_key::files_walked);
    stats.files_scanned = count(record, json_key::files_scanned);
    stats.files_errored = count(record, json_key::files_errored);
    stats.files_incomplete = count(record, json_key::files_incomplete);
    stats.bytes_scanned = count(record, json_key::bytes_scanned);
    if (record.contains(json_key::files_other_shards))
      stats.files_other_shards = count(record, json_key::files_other_shards);
    reasons<SkipReason>(record, json_key::skipped, stats.skipped,
                                [](SkipReason r) { return to_string(r); });
    reasons<walk::IgnoreReason>(
        record, json_key::ignored_files, stats.ignored_files,
        [](walk::IgnoreReason r) { return walk::to_string(r); }, &stats.files_without_rule);
    reasons<walk::IgnoreReason>(record, json_key::ignored_dirs, stats.ignored_dirs,
                                [](walk::IgnoreReason r) { return walk::to_string(r); });
    const std::uint64_t rules_run = count(record, json_key::rules_run);
    if (rules_run != rules_.size()) {
      fail(fmt::format(
          "the shard ran {} rules, merge loaded {}: give merge the --rules/--select/--ignore/--preview "
          "the shards ran with",
          rules_run, rules_.size()));
    }
    const std::uint64_t findings = count(record, json_key::findings);
    if (findings != output.findings.size()) {
      fail(fmt::format(
          "the summary counts {} findings but {} finding records precede it: a shard's output was "
          "cut short or mixed with another",
          findings, output.findings.size()));
    }
    // Counts of findings that are not listed: dropped by --min-score/--top or known to a baseline.
    if (record.contains(json_key::baselined)) output.baselined = count(record, json_key::baselined);
    if (record.contains(json_key::excluded_tests))
      output.excluded_tests = count(record, json_key::excluded_tests);
    if (record.contains(json_key::below_min_score))
      output.below_min_score = count(record, json_key::below_min_score);
    if (record.contains(json_key::beyond_top)) output.beyond_top = count(record, json_key::beyond_top);
    if (record.contains(json_key::shard)) {
      listed(record, json_key::suppressed, output.suppressed.size());
    } else if (record.contains(json_key::suppressed) &&
               count(record, json_key::suppressed) != output.suppressed.size()) {
      // Only a shard's output (--shard I/N, even 0/1) lists its suppressed findings.
      fail(fmt::format(
          "{} inline-suppressed findings are counted but not listed: merge the outputs of "
          "--shard I/N sweeps (a whole sweep is --shard 0/1)",
          count(record, json_key::suppressed)));
    }
    listed(record, json_key::unused_suppressions, output.unused_suppressions.size());
    const json& inventory = field(record, json_key::inventory_lines);
    if (!inventory.is_object()) fail("field 'inventory_lines' is not an object");
    for (const auto& [id, n] : inventory.items())
      stats.matched_lines[rule_index(id)] = as_count(n, "inventory_lines." + id);
    const json& errors = field(record, json_key::errors);
    if (!errors.is_array()) fail("field 'errors' is not a list");
    for (const auto& error : errors) {
      if (!error.is_object()) fail("field 'errors' holds a non-object");
      SweepError e;
      e.path = bytes(error, json_key::path);
      if (error.contains(json_key::rule)) e.rule = text(error, json_key::rule);
      e.message = text(error, json_key::message);
      output.errors.push_back(std::move(e));
    }
    const json& elapsed = field(record, json_key::elapsed_seconds);
    if (!elapsed.is_number()) fail("field 'elapsed_seconds' is not a number");
    stats.elapsed_seconds = elapsed.get<double>();
    output.shard = ShardSpec{0, 1};  // an unsharded (or already merged) output is all of it
    auto shard = record.find(json_key::shard);
    if (shard != record.end() && !record.contains(json_key::shards_merged)) {
      if (!shard->is_object()) fail("field 'shard' is not an object");
      output.shard.index = number32(*shard, json_key::index);
      output.shard.count = number32(*shard, json_key::count);
      if (output.shard.count == 0 || output.shard.index >= output.shard.count) {
        fail(fmt::format("shard {}/{} is not a shard", output.shard.index, output.shard.count));
      }
    }
  }

  const search::RuleSet& rules_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::string where_;
};

// Every index 0..N-1 exactly once, one N. Returns N; throws naming every problem.
std::uint32_t check_shard_set(const std::vector<ShardOutput>& outputs) {
  std::map<std::uint32_t, std::vector<std::string>> counts;  // N → where
  for (const auto& output : outputs) counts[output.shard.count].push_back(output.where);
  std::vector<std::string> problems;
  if (counts.size() > 1) {
    std::string list;
    for (const auto& [n, places] : counts) {
      list +=
          fmt::format("{}{} ({})", list.empty() ? "" : "; ",
                      n == 1 ? "unsharded" : fmt::format("{} shards", n), fmt::join(places, ", "));
    }
    throw MergeError("merge: the outputs come from sweeps split into different shard counts: " +
                     list);
  }
  const std::uint32_t n = outputs.front().shard.count;
  std::vector<std::vector<std::string>> seen(n);
  for (const auto& output : outputs) seen[output.shard.index].push_back(output.where);
  std::vector<std::uint32_t> missing;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (seen[i].empty()) missing.push_back(i);
    if (seen[i].size() > 1) {
      problems.push_back(
          fmt::format("shard {}/{} is duplicated: {}", i, n, fmt::join(seen[i], ", ")));
    }
  }
  if (!missing.empty()) {
    std::vector<std::string> names;
    for (std::uint32_t i : missing) names.push_back(fmt::format("{}/{}", i, n));
    problems.insert(problems.begin(),
                    fmt::format("shard{} {} {} missing", missing.size() == 1 ? "" : "s",
                                fmt::join(names, ", "), missing.size() == 1 ? "is" : "are"));
  }
  if (!problems.empty()) throw MergeError("merge: " + fmt::format("{}", fmt::join(problems, "; ")));
  return n;
}

bool sorted_by(const ShardOutput& output, const RuleOrder& rule_order, FindingOrder order) {
  return std::is_sorted(
      output.findings.begin(), output.findings.end(),
      [&](const auto& a, const auto& b) { return finding_before(a, b, rule_order, order); });
}

// The transitive join the shards left to merge: their summaries, each file once (the
// functions the shards summarized of it, each once: transitive::merge_summary).
void join_summaries(std::vector<ShardOutput>& outputs, const search::RuleSet& rules, SweepResult& result) {
  std::map<std::string, FileSummary> by_path;
  for (auto& output : outputs) {
    for (auto& summary : output.summaries) {
      auto [it, fresh] = by_path.try_emplace(summary.path);
      if (fresh) it->second = std::move(summary);
      else transitive::merge_summary(it->second, std::move(summary));
    }
  }
  if (by_path.empty()) return;
  std::vector<FileSummary> summaries;
  for (auto& [path, summary] : by_path) summaries.push_back(std::move(summary));
  // Each file's summary carries the triage its shard decided for the join's findings there.
  transitive::join_into(result, summaries, rules, /*triaged=*/true);
}

}  // namespace

SweepResult merge_shards(const std::vector<MergeInput>& inputs, const search::RuleSet& rules,
                                const MergeOptions& options) {
  std::vector<ShardOutput> outputs;
  Reader reader(rules);
  for (const auto& input : inputs) reader.read(input, outputs);
  if (outputs.empty()) throw MergeError("merge: nothing to merge");
  const std::uint32_t shard_count = check_shard_set(outputs);

  // The shards' order must be the one asked for: merging interleaves them by it.
  const RuleOrder rule_order = rules.order();
  for (const auto& output : outputs) {
    // A shard cut with --top kept only its best N: merged without a --top, the list would look
    // whole while findings are missing from it.
    if (!options.top_given && output.beyond_top > 0) {
      throw MergeError(fmt::format(
          "{}: the shard was cut with --top ({} finding{} beyond it): give merge the --top the "
          "shards ran with, or sweep the shards without --top",
          output.where, output.beyond_top, output.beyond_top == 1 ? "" : "s"));
    }
    if (!sorted_by(output, rule_order, options.order)) {
      throw MergeError(fmt::format(
          "{}: the shard's findings are not in {} order: give merge the --sort the shards "
          "ran with (--seed-exact sorts by path)",
          output.where, options.order == FindingOrder::ranked ? "score" : "path"));
    }
  }

  SweepResult result;
  result.stats.matched_lines.assign(rules.size(), 0);
  // An error every shard meets alike (an unreadable directory, a missing root) is reported by
  // each of them; an error about a file only by that file's shard. Keep each error as often as
  // the shard that reports it most often does: that is how often an unsharded sweep reports it.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> error_counts;
  for (auto& output : outputs) {
    result.stats.add(output.stats);
    // The sum of the shards' times is not what anyone waited for; the slowest shard is.
    result.stats.elapsed_seconds =
        std::max(result.stats.elapsed_seconds, output.stats.elapsed_seconds);
    std::move(output.findings.begin(), output.findings.end(), std::back_inserter(result.findings));
    std::move(output.config_hits.begin(), output.config_hits.end(),
              std::back_inserter(result.config_hits));
    std::move(output.suppressed.begin(), output.suppressed.end(),
              std::back_inserter(result.suppressed));
    std::move(output.fixes.begin(), output.fixes.end(), std::back_inserter(result.fixes));
    std::move(output.unused_suppressions.begin(), output.unused_suppressions.end(),
              std::back_inserter(result.unused_suppressions));
    result.baselined += output.baselined;
    result.below_min_score += output.below_min_score;
    result.excluded_tests += output.excluded_tests;
    result.beyond_top += output.beyond_top;
    std::move(output.files.begin(), output.files.end(), std::back_inserter(result.files));
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> here;
    for (const auto& error : output.errors) ++here[{error.path, error.rule, error.message}];
    for (const auto& [key, n] : here) error_counts[key] = std::max(error_counts[key], n);
  }
  for (const auto& [key, n] : error_counts) {
    for (std::size_t i = 0; i < n; ++i) {
      result.errors.push_back(
          SweepError{std::get<0>(key), std::get<1>(key), std::get<2>(key)});
    }
  }
  join_summaries(outputs, rules, result);
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const auto& a, const auto& b) {
                     return finding_before(a, b, rule_order, options.order);
                   });
  std::stable_sort(
      result.config_hits.begin(), result.config_hits.end(),
      [&](const auto& a, const auto& b) { return finding_before(a, b, rule_order); });
  std::stable_sort(
      result.suppressed.begin(), result.suppressed.end(),
      [&](const auto& a, const auto& b) { return finding_before(a, b, rule_order); });
  std::stable_sort(result.unused_suppressions.begin(), result.unused_suppressions.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(a.path, a.line) < std::tie(b.path, b.line);
                   });
  std::sort(result.files.begin(), result.files.end());
  if (options.line_hashes) add_line_hashes_from_files(result.findings, result.suppressed);
  result.stats.files_other_shards = 0;  // merged: no file is another shard's any more
  result.stats.shard = ShardSpec{};
  result.stats.shards_merged = shard_count;
  return result;
}

SweepResult merge_shard_files(const std::vector<std::string>& paths,
                                     const search::RuleSet& rules, const MergeOptions& options) {
  std::vector<MergeInput> inputs;
  inputs.reserve(paths.size());
  for (const auto& path : paths) inputs.push_back(read_merge_input(path));
  return merge_shards(inputs, rules, options);
}

}  // namespace asyncsweep::report
