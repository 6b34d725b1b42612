// GitHub Actions workflow commands: the runner turns each `::error ...::` line in a step's
// log into an annotation on the pull request, no SARIF upload or code scanning needed.
#include <fmt/format.h>

#include <algorithm>

#include "report/fingerprint.hpp"
#include "report/formats.hpp"
#include "result/fix_plan.hpp"

namespace asyncsweep::report {

// Mirrors escapeData/escapeProperty in @actions/core command.ts: the runner splits a command
// at the first "::" after its properties and the properties at ',' and the first ':'/'=', so
// those must not appear raw there; CR/LF would end the command early.
std::string github_escape_data(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Annotations attach to files by their path from the repository root; a path outside the base
// keeps its absolute form (the annotation then shows in the log and summary only).
std::string command_path(const BaseDir& base, std::string_view path) {
  return sanitize_utf8(base.relative_or_absolute(path));
}

// Same bands as SARIF, but the command for the lowest is `notice`, not SARIF's `note`.
std::string_view command_for(int score) {
  const std::string_view level = sarif_level(score);
  return level == "note" ? "notice" : level;
}

// With `write`, the lines are handed on as they grow rather than held whole; false: a write failed.
bool print_github_into(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                       const GithubOptions& options, const PieceWriter* write) {
  constexpr std::size_t kFlushBytes = 1 << 20;  // with `write`, handed on at about this size
  const BaseDir base(options.base_dir);
  for (const auto& finding : result.findings) {
    const auto& rule = rules[finding.rule].rule;
    const Columns columns = utf16_columns(finding);
    std::string text = fmt::format("{} (score {})", rule.title, finding.score);
    const char* separator = ": ";
    for (std::string_view reason : finding.reasons) {
      text += separator;
      text += reason;
      separator = "; ";
    }
    if (!rule.fix.empty()) text += "\nFix: " + rule.fix;
    if (const FixEdit* fix = fix_for(result.fixes, finding)) text += "\nFixable with --fix: " + fix->message;
    out += fmt::format("::{} file={},line={},endLine={},col={},title={}::{}\n", command_for(finding.score),
                       github_escape_property(command_path(base, finding.path)), finding.line,
                       std::max(finding.end_line, finding.line), columns.start,
                       github_escape_property(sanitize_utf8(rule.id + " " + rule.title)),
                       github_escape_data(sanitize_utf8(text)));
    if (write != nullptr && out.size() >= kFlushBytes) {
      if (!(*write)(out)) return false;
      out.clear();
    }
  }
  // Ruff's RUF100 is a finding like any other: a warning on the comment's line.
  for (const auto& unused : result.unused_suppressions) {
    out += fmt::format("::warning file={},line={},title={}::{}\n", github_escape_property(command_path(base, unused.path)),
                       unused.line, github_escape_property("unused suppression"),
                       github_escape_data(sanitize_utf8("unused suppression: " + unused.text)));
  }
  // Annotations have no summary line: say in the log what the change leaves out.
  if (result.outside_change > 0) {
    out += fmt::format("::notice title=asyncsweep::{} finding{} outside the change\n", result.outside_change,
                       result.outside_change == 1 ? "" : "s");
  }
  for (const auto& error : result.errors) {
    std::string text = error.message;
    if (!error.rule.empty()) text = "rule " + error.rule + ": " + text;
    std::string properties;
    if (!error.path.empty()) properties = "file=" + github_escape_property(command_path(base, error.path)) + ",";
    properties += "title=asyncsweep error";
    out += fmt::format("::error {}::{}\n", properties, github_escape_data(sanitize_utf8(text)));
  }
  return true;
}

}  // namespace

void print_github(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                  const GithubOptions& options) {
  print_github_into(result, rules, out, options, nullptr);
}

bool print_github(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                  const GithubOptions& options) {
  std::string out;
  return print_github_into(result, rules, out, options, &write) && write(out);
}

}  // namespace asyncsweep::report
