// Printers for code review and CI systems: SARIF 2.1.0 (GitHub code scanning), GitHub Actions
// workflow commands (annotations) and a Markdown reviewer checklist. Like the printers in
// output.hpp they append to a std::string; the caller decides where the bytes go.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "report/output.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

// Findings carry paths as displayed (root as given + path below it). Reports meant for a
// repository want them relative to its root: BaseDir maps them lexically (no symlinks are
// resolved, nothing is read), with both sides made absolute against the current directory.
class BaseDir {
 public:
  explicit BaseDir(const std::string& base_dir);  // empty: the current directory
  // `path` relative to the base in '/' form when it lies below it; nullopt otherwise.
  std::optional<std::string> relative(std::string_view path) const;
  // relative(path), or else the lexically normal absolute path.
  std::string relative_or_absolute(std::string_view path) const;
  const std::string& absolute() const { return absolute_; }  // no trailing '/' (unless root)

 private:
  std::string absolute_;
};

// A URI reference for a relative or absolute path: every byte except RFC 3986 unreserved
// characters and '/' is percent-encoded, so the result is ASCII and exact even for non-UTF-8
// names (and a ':' in the first segment cannot read as a scheme).
std::string percent_encode_path(std::string_view path);

// Score bands shared by SARIF `level` and workflow commands: >=70 error, >=40 warning, else note.
std::string_view sarif_level(int score);

// A finding's byte columns as 1-based UTF-16 code unit columns (what SARIF and GitHub count),
// from the matched lines it carries; `end` is exclusive and clamped to its line's end + 1.
struct Columns {
  std::uint32_t start = 1;
  std::uint32_t end = 1;
};
Columns utf16_columns(const Finding& finding);

struct SarifOptions {
  std::string base_dir;              // artifact URIs relative to it (uriBaseId %SRCROOT%); empty: cwd
  std::string tool_version;          // cli::version() (report/emit.cpp passes it)
  std::string information_uri;       // optional, omitted when empty
  std::string automation_id;         // optional runAutomationDetails.id (GitHub's "category")
};

// One run: every loaded rule as a reportingDescriptor (ruleIndex is the rule set index),
// findings as results, inline-suppressed findings with suppressions [{kind: inSource}],
// sweep errors as toolExecutionNotifications; partialFingerprints where a finding carries a
// line_hash (SweepConfig::line_hashes, MergeOptions::line_hashes). Never throws for odd bytes:
// text that is not UTF-8 is written with U+FFFD replacements. Columns are UTF-16 code units
// (SARIF's default).
void print_sarif(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                 const SarifOptions& options);
// The same, handed to `write` about a megabyte of results at a time (a log of 100,000s of
// results is never held whole, as Json or as text). False: `write` failed.
bool print_sarif(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                 const SarifOptions& options);

struct GithubOptions {
  std::string base_dir;  // file= paths relative to it when below it; empty: cwd
};

// One `::error|warning|notice file=...,line=...,endLine=...,col=...,title=...::message` line
// per finding (same score bands as SARIF) and one `::error` per sweep error.
void print_github(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                  const GithubOptions& options = {});
// The same, handed to `write` about a megabyte at a time. False: `write` failed.
bool print_github(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                  const GithubOptions& options = {});

// Workflow command escaping as @actions/core does it: data escapes %, CR, LF; property values
// additionally ':' and ','.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

struct MarkdownOptions {
  std::string base_dir;  // links and the per-directory summary relative to it; empty: cwd
};

// A reviewer checklist: summary tables (per rule, per top-level directory), then one section
// per rule (highest score first) with a checkbox, link, snippet and reasons per finding.
void print_markdown(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                    const MarkdownOptions& options = {});
// The same, handed to `write` about a megabyte at a time. False: `write` failed.
bool print_markdown(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                    const MarkdownOptions& options = {});

// Backslash-escapes the characters that would start Markdown/HTML constructs inline (and
// flattens line breaks), for paths, titles and reasons.
std::string markdown_escape(std::string_view text);

}  // namespace asyncsweep::report
