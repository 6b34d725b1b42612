#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "fix/edits.hpp"
#include "report/json_schema.hpp"
#include "report/json_writer.hpp"
#include "report/output.hpp"
#include "report/summary_json.hpp"

namespace asyncsweep::report {

using nlohmann::json;

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

namespace {

// Text fields are JSON strings; bytes that are not UTF-8 are replaced by U+FFFD there and
// carried exactly in a sibling "<field>_base64" field (rg's {"bytes": ...} idea, without
// changing the field's type).
void put_text(json& object, const char* key, std::string_view value) {
  object[key] = std::string(value);
  if (!valid_utf8(value)) object[std::string(key) + kBase64Suffix] = base64(value);
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

json summary_json(const SweepResult& result, const search::RuleSet& rules) {
  const auto& stats = result.stats;
  json summary;
  summary[json_key::type] = record_type::summary;
  summary[json_key::files_walked] = stats.files_walked;
  summary[json_key::files_scanned] = stats.files_scanned;
  summary[json_key::files_skipped] = stats.skipped_total();
  json skipped = json::object();
  for (std::size_t i = 0; i < stats.skipped.size(); ++i) {
    skipped[std::string(to_string(static_cast<SkipReason>(i)))] = stats.skipped[i];
  }
  summary[json_key::skipped] = skipped;
  summary[json_key::files_errored] = stats.files_errored;
  summary[json_key::files_incomplete] = stats.files_incomplete;
  summary[json_key::files_other_shards] = stats.files_other_shards;
  if (stats.shard.active())
    summary[json_key::shard] = {{json_key::index, stats.shard.index},
                                {json_key::count, stats.shard.count}};
  if (stats.shards_merged != 0) summary[json_key::shards_merged] = stats.shards_merged;
  json ignored_files = json::object();
  json ignored_dirs = json::object();
  for (std::size_t i = 0; i < stats.ignored_files.size(); ++i) {
    std::string name(walk::to_string(static_cast<walk::IgnoreReason>(i)));
    ignored_files[name] = stats.ignored_files[i];
    ignored_dirs[name] = stats.ignored_dirs[i];
  }
  ignored_files[json_key::no_rule] = stats.files_without_rule;
  summary[json_key::ignored_files] = ignored_files;
  summary[json_key::ignored_dirs] = ignored_dirs;
  summary[json_key::bytes_scanned] = stats.bytes_scanned;
  summary[json_key::rules_run] = rules.size();
  json by_rule = json::object();
  for (const auto& finding : result.findings) {
    const std::string& id = rules[finding.rule].rule.id;
    by_rule[id] = by_rule.value(id, 0) + 1;
  }
  summary[json_key::findings] = result.findings.size();
  summary[json_key::suppressed] = result.suppressed.size();
  summary[json_key::baselined] = result.baselined;
  summary[json_key::below_min_score] = result.below_min_score;
  summary[json_key::beyond_top] = result.beyond_top;
  summary[json_key::excluded_tests] = result.excluded_tests;
  summary[json_key::outside_change] = result.outside_change;
  summary[json_key::fixed] = result.fixed;
  summary[json_key::fixable] = count_fixes(result.fixes);
  summary[json_key::unused_suppressions] = result.unused_suppressions.size();
  json bands = {{"high (>=70)", 0}, {"medium (40-69)", 0}, {"low (<40)", 0}};
  for (const auto& finding : result.findings) {
    const char* band = finding.score >= 70 ? "high (>=70)" : finding.score >= 40 ? "medium (40-69)" : "low (<40)";
    bands[band] = bands[band].get<int>() + 1;
  }
  summary[json_key::findings_by_score_band] = bands;
  summary[json_key::findings_by_rule] = by_rule;
  json counts = json::object();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rule.kind != rules::Kind::candidate && i < stats.matched_lines.size()) {
      counts[rules[i].rule.id] = stats.matched_lines[i];
    }
  }
  summary[json_key::inventory_lines] = counts;
  json errors = json::array();
  for (const auto& error : result.errors) {
    json e;
    put_text(e, json_key::path, error.path);
    if (!error.rule.empty()) e[json_key::rule] = error.rule;
    e[json_key::message] = error.message;
    errors.push_back(e);
  }
  summary[json_key::errors] = errors;
  summary[json_key::elapsed_seconds] = stats.elapsed_seconds;
  return summary;
}

json fix_json(const FixEdit& edit) {
  json edit_object;
  edit_object[json_key::content] = edit.content;
  edit_object[json_key::location] = {{json_key::row, edit.row}, {json_key::column, edit.column}};
  edit_object[json_key::end_location] = {{json_key::row, edit.end_row}, {json_key::column, edit.end_column}};
  json object;
  object[json_key::applicability] = "safe";
  object[json_key::message] = edit.message;
  object[json_key::edits] = json::array({edit_object});
  return object;
}

void finding_record(const Finding& finding, const search::RuleSet& rules, const char* type,
                    JsonRecord& record, const FixEdit* fix = nullptr) {
  // In key order (the record sorts otherwise); "<key>_base64" sorts right after its key.
  const auto& rule = rules[finding.rule].rule;
  record.string(json_key::category, rule.category);
  if (!finding.features->chain.empty()) record.raw(json_key::chain, dump(chain_json(finding.features->chain)));
  record.number(json_key::column, finding.column);
  if (!finding.context.empty()) {
    record.strings(json_key::context_after, finding.context.after());
    record.strings(json_key::context_before, finding.context.before());
  }
  record.number(json_key::end_column, finding.end_column);
  record.number(json_key::end_line, finding.end_line);
  if (fix != nullptr) record.raw(json_key::fix, dump(fix_json(*fix)));
  record.number(json_key::line, finding.line);
  record.text(json_key::lines, finding.text);
  record.text(json_key::path, finding.path);
  record.strings(json_key::reasons, finding.reasons);
  record.string(json_key::rule, rule.id);
  record.number(json_key::score, finding.score);
  record.string(json_key::severity, rules::to_string(rule.severity));
  record.boolean(json_key::test, finding.features->test_file);
  record.string(json_key::title, rule.title);
  record.string(json_key::type, type);
}

}  // namespace

void print_json(const SweepResult& result, const search::RuleSet& rules, std::string& out) {
  print_json(result, rules, [&out](std::string_view piece) {
    out += piece;
    return true;
  }, 1);
}

bool print_json(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write, int threads) {
  // Records are independent: blocks of them are formatted in parallel, so that the sweep's
  // threads are not left idle while one formats them all, a window of blocks at a time, written
  // before the next is formatted: the report of a large tree is never held whole.
  constexpr std::size_t kBlock = 192;   // ~80 KB of text: below malloc's mmap threshold
  constexpr std::size_t kWindow = 16;   // blocks held at once: ~1.5 MB, a block a thread on 16 cores
  const std::size_t blocks = (result.findings.size() + kBlock - 1) / kBlock;
  std::vector<std::string> pieces(std::min(blocks, kWindow));
  auto format_block = [&](std::size_t block, std::string& text, JsonRecord& record) {
    const std::size_t end = std::min(result.findings.size(), (block + 1) * kBlock);
    text.reserve(480 * kBlock);  // a finding's record is about 400 bytes
    for (std::size_t i = block * kBlock; i < end; ++i) {
      finding_record(result.findings[i], rules, record_type::finding, record, fix_for(result.fixes, result.findings[i]));
      record.append_line_to(text);
    }
  };
  std::optional<tbb::task_arena> arena;
  if (blocks > 1 && threads != 1)  // -j 1 means one thread here too: parallel_for would use every core
    arena.emplace(threads > 0 ? threads : int{tbb::task_arena::automatic});  // a value: emplace binds a reference
  JsonRecord serial_record;
  for (std::size_t first = 0; first < blocks; first += kWindow) {
    const std::size_t count = std::min(kWindow, blocks - first);
    if (arena) {
      arena->execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count), [&](const tbb::blocked_range<std::size_t>& range) {
          JsonRecord record;
          for (std::size_t i = range.begin(); i != range.end(); ++i) format_block(first + i, pieces[i], record);
        });
      });
    } else {
      for (std::size_t i = 0; i < count; ++i) format_block(first + i, pieces[i], serial_record);
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (!write(pieces[i])) return false;
      pieces[i].clear();
    }
  }
  std::string out;
  JsonRecord record;
  for (const auto& hit : result.config_hits) {
    finding_record(hit, rules, record_type::config, record);
    record.append_line_to(out);
  }
  // A shard's output lists its inline-suppressed findings too, so that `asyncsweep merge` can
  // hand them on (SARIF lists them); a whole sweep's output counts them in the summary only.
  for (std::size_t i = 0; result.stats.shard.active() && i < result.suppressed.size(); ++i) {
    finding_record(result.suppressed[i], rules, record_type::suppressed, record);
    record.text(json_key::suppressed_by, result.suppressed[i].features->suppressed_by);
    record.append_line_to(out);
  }
  // A shard's function summaries: `merge` joins them (transitive/join) into the findings of
  // calls that block one or more calls away.
  for (const auto& summary : result.summaries) {
    out += dump(summary_json(summary));
    out += '\n';
  }
  for (const auto& unused : result.unused_suppressions) {
    json object;
    object[json_key::type] = record_type::unused_suppression;
    put_text(object, json_key::path, unused.path);
    object[json_key::line] = unused.line;
    object[json_key::comment] = unused.text;
    out += dump(object);
    out += '\n';
  }
  for (const auto& file : result.files) {
    json object;
    object[json_key::type] = record_type::file;
    put_text(object, json_key::path, file);
    out += dump(object);
    out += '\n';
  }
  print_summary_json(result, rules, out);
  return write(out);
}

void print_summary_json(const SweepResult& result, const search::RuleSet& rules, std::string& out) {
  out += dump(summary_json(result, rules));
  out += '\n';
}

namespace {

json rule_json(const rules::Rule& rule, bool jit) {
  json object;
  object["id"] = rule.id;
  object["title"] = rule.title;
  object["category"] = rule.category;
  object["kind"] = std::string(rules::to_string(rule.kind));
  object["severity"] = std::string(rules::to_string(rule.severity));
  object["section"] = rule.section;
  object["source"] = rule.source;
  object["regex"] = rule.regex;
  object["multiline"] = rule.multiline;
  object["types"] = rule.types;
  object["globs"] = rule.globs;
  object["before"] = rule.before;
  object["after"] = rule.after;
  object["exclude_line"] = rule.exclude_line;
  object["exclude_path"] = rule.exclude_path;
  object["unless_within"] = rule.unless_within;
  object["literals"] = rule.literals;
  object["scope"] = std::string(rules::to_string(rule.scope));
  object["anchor"] = std::string(rules::to_string(rule.anchor));
  object["check"] = std::string(rules::to_string(rule.check));
  object["ruff"] = rule.ruff;
  object["fix"] = rule.fix;
  object["rationale"] = rule.rationale;
  object["example_bad"] = rule.example_bad;
  object["example_good"] = rule.example_good;
  object["origin"] = rule.origin;
  object["preview"] = rule.preview;
  object["jit"] = jit;
  return object;
}

}  // namespace

void print_rules_json(const search::RuleSet& rules, std::string& out) {
  for (const auto& compiled : rules.rules()) {
    out += dump(rule_json(compiled.rule, compiled.regex.jit()));
    out += '\n';
  }
}

void print_explain_json(const rules::Rule& rule, std::string& out) {
  json object = rule_json(rule, false);
  object.erase("jit");  // explain compiles nothing
  object["fixable"] = fix::fixable(rule);
  out += dump(object);
  out += '\n';
}

}  // namespace asyncsweep::report
