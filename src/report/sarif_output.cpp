// SARIF 2.1.0 for GitHub code scanning (see shared/design/peers.md §3): the fields GitHub
// requires, rank + score for our ordering, and each finding's primaryLocationLineHash (computed
// by the sweep while the file was in memory) so that API uploads (which do not fingerprint)
// keep alerts stable when lines move.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "report/fingerprint.hpp"
#include "report/formats.hpp"

namespace asyncsweep::report {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keeps $schema, version, runs (and every object) readable

namespace {

fs::path make_absolute(const fs::path& path) {
  fs::path absolute = path;
  if (path.is_relative()) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (!ec) absolute = cwd / path;
  }
  absolute = absolute.lexically_normal();
  // "dir/" normalises to a trailing empty element; drop it so that comparisons see "dir".
  if (!absolute.has_filename() && absolute.has_relative_path()) absolute = absolute.parent_path();
  return absolute;
}

}  // namespace

BaseDir::BaseDir(const std::string& base_dir) : absolute_(make_absolute(base_dir.empty() ? "." : base_dir).string()) {}

std::optional<std::string> BaseDir::relative(std::string_view path) const {
  if (path.empty()) return std::nullopt;
  fs::path absolute = make_absolute(fs::path(std::string(path)));
  fs::path rel = absolute.lexically_relative(fs::path(absolute_));
  if (rel.empty() || rel == ".") return std::nullopt;
  if (*rel.begin() == "..") return std::nullopt;
  return rel.generic_string();
}

std::string BaseDir::relative_or_absolute(std::string_view path) const {
  if (auto rel = relative(path)) return *rel;
  if (path.empty()) return std::string();
  return make_absolute(fs::path(std::string(path))).generic_string();
}

std::string percent_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~' || byte == '/';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string_view sarif_level(int score) {
  if (score >= 70) return "error";
  if (score >= 40) return "warning";
  return "note";
}

Columns utf16_columns(const Finding& finding) {
  std::string_view text = finding.text;
  const std::size_t first_break = text.find('\n');
  const std::string_view first_line = text.substr(0, first_break);
  const std::size_t last_break = text.rfind('\n');
  const std::string_view last_line = last_break == std::string_view::npos ? text : text.substr(last_break + 1);

  auto column_in = [](std::string_view line, std::uint32_t byte_column) {
    const std::size_t prefix = byte_column == 0 ? 0 : std::min<std::size_t>(byte_column - 1, line.size());
    return static_cast<std::uint32_t>(utf16_length(line.substr(0, prefix)) + 1);
  };
  Columns columns;
  columns.start = column_in(first_line, finding.column);
  columns.end = column_in(last_line, finding.end_column);
  // An empty match (or one ending at the line start) must not end before it begins.
  if (finding.end_line <= finding.line && columns.end < columns.start) columns.end = columns.start;
  return columns;
}

namespace {

constexpr std::string_view kSrcRoot = "%SRCROOT%";
constexpr int kIndent = 2;                  // the log's dump() indentation
constexpr std::size_t kResultDepth = 4;     // a result's nesting: log > runs > run > results
constexpr std::size_t kSarifFlushBytes = 1 << 20;  // results are handed on at about this size

std::string_view rule_level(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return "error";
    case rules::Severity::medium: return "warning";
    case rules::Severity::low:
    case rules::Severity::info: return "note";
  }
  return "warning";
}

// GitHub's non-security ranking: precision and problem.severity decide default visibility.
std::string_view rule_precision(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return "high";
    case rules::Severity::medium: return "medium";
    case rules::Severity::low:
    case rules::Severity::info: return "low";
  }
  return "medium";
}

std::string_view problem_severity(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return "error";
    case rules::Severity::medium: return "warning";
    case rules::Severity::low:
    case rules::Severity::info: return "recommendation";
  }
  return "warning";
}

// SARIF wants a stable, non-localised identifier in `name`: the title in PascalCase.
std::string rule_name(const rules::Rule& rule) {
  std::string name;
  bool upper = true;
  for (char c : rule.title) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return name.empty() ? rule.id : name;
}

Json message(std::string_view text) { return Json{{"text", sanitize_utf8(text)}}; }

Json rule_descriptor(const rules::Rule& rule) {
  std::string text;
  std::string markdown;
  if (!rule.fix.empty()) {
    text += "Fix: " + rule.fix + "\n\n";
    markdown += "**Fix.** " + rule.fix + "\n\n";
  }
  if (!rule.rationale.empty()) {
    text += "Why: " + rule.rationale + "\n\n";
    markdown += "**Why.** " + rule.rationale + "\n\n";
  }
  if (!rule.section.empty()) {
    text += "Review guide section: " + rule.section + "\n\n";
    markdown += "Review guide section: *" + markdown_escape(rule.section) + "*\n\n";
  }
  if (!rule.source.empty()) {
    text += rule.source.size() == 1 ? "Detection command:\n" : "Detection commands:\n";
    std::string block;
    for (const auto& command : rule.source) {
      text += "  " + command + "\n";
      block += command + "\n";
    }
    // A fence longer than any backtick run inside keeps the commands verbatim.
    std::size_t longest = 0, run = 0;
    for (char c : block) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
    markdown += (rule.source.size() == 1 ? "Detection command:\n\n" : "Detection commands:\n\n") + fence + "sh\n" +
                block + fence + "\n";
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  while (!markdown.empty() && markdown.back() == '\n') markdown.pop_back();
  if (text.empty()) text = rule.title;  // GitHub rejects an empty help.text
  if (markdown.empty()) markdown = markdown_escape(rule.title);

  Json tags = Json::array({"asyncio", rule.category});
  if (rule.kind != rules::Kind::candidate) tags.push_back(std::string(rules::to_string(rule.kind)));

  Json descriptor;
  descriptor["id"] = rule.id;
  descriptor["name"] = rule_name(rule);
  descriptor["shortDescription"] = message(rule.title);
  descriptor["fullDescription"] = message(rule.rationale.empty() ? rule.title : rule.rationale);
  descriptor["help"] = Json{{"text", sanitize_utf8(text)}, {"markdown", sanitize_utf8(markdown)}};
  descriptor["defaultConfiguration"] = Json{{"level", rule_level(rule.severity)}};
  descriptor["properties"] = Json{{"category", rule.category},
                                  {"severity", std::string(rules::to_string(rule.severity))},
                                  {"tags", tags},
                                  {"precision", rule_precision(rule.severity)},
                                  {"problem.severity", problem_severity(rule.severity)}};
  return descriptor;
}

class ArtifactMapper {
 public:
  explicit ArtifactMapper(const std::string& base_dir) : base_(base_dir) {}

  Json location(std::string_view path) const {
    Json artifact;
    if (auto rel = base_.relative(path)) {
      artifact["uri"] = percent_encode_path(*rel);
      artifact["uriBaseId"] = kSrcRoot;
    } else {
      artifact["uri"] = "file://" + percent_encode_path(base_.relative_or_absolute(path));
    }
    return artifact;
  }

  std::string root_uri() const {
    std::string uri = "file://" + percent_encode_path(base_.absolute());
    if (uri.back() != '/') uri += '/';  // a base URI must end with '/' (SARIF §3.14.14)
    return uri;
  }

 private:
  BaseDir base_;
};

std::string join_lines(const std::vector<std::string>& before, std::string_view text,
                       const std::vector<std::string>& after) {
  std::string joined;
  for (const auto& line : before) joined += line + "\n";
  joined += text;
  for (const auto& line : after) joined += "\n" + line;
  return joined;
}

// Rule check calls-blocking: the functions from the call to the blocking call, as related
// locations (linked from nowhere: viewers list them) and as one thread flow, the call first.
void chain_json(const Finding& finding, const Json& call_site, const ArtifactMapper& artifacts, Json& object) {
  Json related = Json::array();
  Json flow = Json::array();
  flow.push_back(Json{{"location", Json{{"physicalLocation", call_site},
                                        {"message", message("the call in " + finding.features->async_name)}}},
                      {"nestingLevel", 0}});
  int id = 1;
  int level = 1;
  for (const ChainStep& step : finding.features->chain) {
    Json where;
    where["artifactLocation"] = artifacts.location(step.path);
    where["region"] = Json{{"startLine", std::max<std::uint32_t>(step.line, 1)}};
    std::string text = "`" + step.call + "()` in " + step.function;
    if (!step.rule.empty()) text += " blocks (" + step.rule + ")";
    related.push_back(Json{{"id", id++}, {"physicalLocation", where}, {"message", message(text)}});
    flow.push_back(Json{{"location", Json{{"physicalLocation", where}, {"message", message(text)}}},
                        {"nestingLevel", level++}});
  }
  object["relatedLocations"] = std::move(related);
  object["codeFlows"] = Json::array({Json{{"threadFlows", Json::array({Json{{"locations", std::move(flow)}}})}}});
}

// A safe fix as SARIF's fix object. The edit starts on the finding's first line, which the
// finding carries, so its columns convert to UTF-16 code units like the finding's own.
Json fix_json(const Finding& finding, const FixEdit& edit, const ArtifactMapper& artifacts) {
  const std::string_view first_line = std::string_view(finding.text).substr(0, finding.text.find('\n'));
  auto column_in = [&first_line](std::uint32_t byte_column) {
    const std::size_t prefix = std::min<std::size_t>(byte_column - 1, first_line.size());
    return static_cast<std::uint32_t>(utf16_length(first_line.substr(0, prefix)) + 1);
  };
  Json deleted;
  deleted["startLine"] = edit.row;
  deleted["startColumn"] = column_in(edit.column);
  deleted["endLine"] = edit.end_row;
  deleted["endColumn"] = edit.end_row == edit.row ? column_in(edit.end_column) : edit.end_column;
  Json replacement;
  replacement["deletedRegion"] = deleted;
  replacement["insertedContent"] = Json{{"text", sanitize_utf8(edit.content)}};
  Json change;
  change["artifactLocation"] = artifacts.location(finding.path);
  change["replacements"] = Json::array({replacement});
  return Json{{"description", message(edit.message)}, {"artifactChanges", Json::array({change})}};
}

Json result_json(const Finding& finding, const search::RuleSet& rules,
                 const ArtifactMapper& artifacts, bool suppressed, const FixEdit* fix = nullptr) {
  const auto& rule = rules[finding.rule].rule;
  const Columns columns = utf16_columns(finding);
  const std::uint32_t line = std::max<std::uint32_t>(finding.line, 1);
  const std::uint32_t end_line = std::max(finding.end_line, line);

  Json region;
  region["startLine"] = line;
  region["startColumn"] = columns.start;
  region["endLine"] = end_line;
  region["endColumn"] = columns.end;
  region["snippet"] = message(finding.text);

  Json physical;
  physical["artifactLocation"] = artifacts.location(finding.path);
  physical["region"] = region;
  if (!finding.context.empty()) {
    // Context lines are whole lines next to the match, so the context region covers them.
    Json context;
    context["startLine"] =
        line - std::min<std::uint32_t>(line - 1,
                                       static_cast<std::uint32_t>(finding.context.before().size()));
    context["endLine"] = end_line + static_cast<std::uint32_t>(finding.context.after().size());
    context["snippet"] =
        message(join_lines(finding.context.before(), finding.text, finding.context.after()));
    physical["contextRegion"] = context;
  }

  std::string text = rule.title;
  if (!finding.reasons.empty()) {
    text += ": ";
    text += finding.reasons.front();
  }

  Json object;
  object["ruleId"] = rule.id;
  object["ruleIndex"] = finding.rule;
  object["level"] = sarif_level(finding.score);
  object["message"] = message(text);
  object["locations"] = Json::array({Json{{"physicalLocation", physical}}});
  if (!finding.features->chain.empty()) chain_json(finding, physical, artifacts, object);
  if (!finding.line_hash.empty()) {
    object["partialFingerprints"] = Json{{"primaryLocationLineHash", finding.line_hash}};
  }
  if (suppressed) object["suppressions"] = Json::array({Json{{"kind", "inSource"}}});
  if (fix != nullptr) object["fixes"] = Json::array({fix_json(finding, *fix, artifacts)});
  object["rank"] = static_cast<double>(std::clamp(finding.score, 0, 100));
  Json reasons = Json::array();
  for (const auto& reason : finding.reasons) reasons.push_back(sanitize_utf8(reason));
  object["properties"] = Json{{"score", finding.score}, {"reasons", reasons}, {"test", finding.features->test_file}};
  return object;
}

Json notification_json(const SweepError& error, const search::RuleSet& rules, const ArtifactMapper& artifacts) {
  Json object;
  object["level"] = "error";
  std::string text = error.message;
  if (!error.rule.empty()) text = "rule " + error.rule + ": " + text;
  object["message"] = message(text);
  if (!error.path.empty()) {
    object["locations"] = Json::array({Json{{"physicalLocation", Json{{"artifactLocation", artifacts.location(error.path)}}}}});
  }
  if (!error.rule.empty()) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].rule.id == error.rule) {
        object["associatedRule"] = Json{{"id", error.rule}, {"index", i}};
        break;
      }
    }
  }
  return object;
}

// Ruff's RUF100: an unused suppression is a result about the code, under a rule of its own
// (appended after the pack's, so the pack's rule indices stay as they are).
constexpr std::string_view kUnusedSuppressionRule = "unused-suppression";

Json unused_suppression_descriptor() {
  Json object;
  object["id"] = kUnusedSuppressionRule;
  object["name"] = "UnusedSuppression";
  object["shortDescription"] = message("A suppression comment that suppressed no finding");
  object["fullDescription"] = message(
      "A suppression comment that suppressed no finding (--report-unused-suppressions, as Ruff's RUF100).");
  object["help"] = message("Remove the comment, or correct the rule id it names.");
  object["defaultConfiguration"] = Json{{"level", "warning"}};
  return object;
}

Json unused_suppression_json(const UnusedSuppression& unused, std::size_t rule_index, const ArtifactMapper& artifacts) {
  Json region;
  region["startLine"] = std::max<std::uint32_t>(unused.line, 1);
  region["snippet"] = message(unused.text);
  Json object;
  object["ruleId"] = kUnusedSuppressionRule;
  object["ruleIndex"] = rule_index;
  object["level"] = "warning";
  object["message"] = message("unused suppression: " + unused.text);
  object["locations"] = Json::array(
      {Json{{"physicalLocation", Json{{"artifactLocation", artifacts.location(unused.path)}, {"region", region}}}}});
  return object;
}

}  // namespace

bool print_sarif(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                 const SarifOptions& options) {
  const ArtifactMapper artifacts(options.base_dir);

  Json driver;
  driver["name"] = "asyncsweep";
  driver["version"] = options.tool_version;
  driver["semanticVersion"] = options.tool_version;
  if (!options.information_uri.empty()) driver["informationUri"] = options.information_uri;
  Json descriptors = Json::array();
  for (const auto& compiled : rules.rules()) descriptors.push_back(rule_descriptor(compiled.rule));
  if (!result.unused_suppressions.empty()) descriptors.push_back(unused_suppression_descriptor());
  driver["rules"] = descriptors;

  Json notifications = Json::array();
  for (const auto& error : result.errors) notifications.push_back(notification_json(error, rules, artifacts));
  Json invocation;
  invocation["executionSuccessful"] = result.errors.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  Json run;
  run["tool"] = Json{{"driver", driver}};
  if (!options.automation_id.empty()) run["automationDetails"] = Json{{"id", options.automation_id}};
  run["originalUriBaseIds"] = Json{{std::string(kSrcRoot), Json{{"uri", artifacts.root_uri()}}}};
  run["invocations"] = Json::array({invocation});
  run["columnKind"] = "utf16CodeUnits";
  run["results"] = Json::array();  // written one result at a time below, never held whole
  run["properties"] = Json{{"filesScanned", result.stats.files_scanned},
                           {"findings", result.findings.size()},
                           {"suppressed", result.suppressed.size()},
                           {"baselined", result.baselined},
                           {"outsideChange", result.outside_change}};

  Json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({run});
  const std::string frame = log.dump(kIndent, ' ', false, Json::error_handler_t::replace) + '\n';
  // The empty array's place in the frame: a key's quotes are never escaped, a string's are.
  constexpr std::string_view kResults = "\"results\": [";
  const std::size_t at = frame.find(kResults);
  const std::size_t results_at = at + kResults.size();  // just past the '['
  const bool any = !result.findings.empty() || !result.suppressed.empty() || !result.unused_suppressions.empty();
  if (!any) return write(frame);

  // Each result as dump() would write it inside the log: on its own lines, indented to its depth
  // (log > runs > run > results). Strings hold no raw line breaks, so indenting every line is exact.
  const std::string indent(kResultDepth * kIndent, ' ');
  std::string out = frame.substr(0, results_at);
  bool first = true;
  auto add = [&](const Json& object) {
    out += first ? "\n" : ",\n";
    first = false;
    out += indent;
    for (char c : object.dump(kIndent, ' ', false, Json::error_handler_t::replace)) {
      out += c;
      if (c == '\n') out += indent;
    }
    if (out.size() < kSarifFlushBytes) return true;
    const bool written = write(out);
    out.clear();
    return written;
  };
  for (const auto& finding : result.findings) {
    if (!add(result_json(finding, rules, artifacts, false, fix_for(result.fixes, finding)))) return false;
  }
  for (const auto& finding : result.suppressed) {
    if (!add(result_json(finding, rules, artifacts, true))) return false;
  }
  for (const auto& unused : result.unused_suppressions) {
    if (!add(unused_suppression_json(unused, rules.size(), artifacts))) return false;
  }
  out += '\n';
  out += std::string((kResultDepth - 1) * kIndent, ' ');
  out.append(frame, results_at);  // "]," and the rest of the run
  return write(out);
}

void print_sarif(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                 const SarifOptions& options) {
  print_sarif(result, rules, [&out](std::string_view piece) {
    out += piece;
    return true;
  }, options);
}

}  // namespace asyncsweep::report
