// Where a report's bytes go: the chosen printer's output to stdout or --output FILE, sweep
// errors and --stats to stderr. The printers (output.hpp, formats.hpp) only format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/file_descriptor.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

// Output formats and their names, each named once. `rules` and `inventory` know the first two.
enum class Format { text, json, sarif, github, markdown, rg };
struct FormatName {
  Format format;
  const char* name;
};
inline constexpr FormatName kFormatNames[] = {{Format::text, "text"},
                                              {Format::json, "json"},
                                              {Format::sarif, "sarif"},
                                              {Format::github, "github"},
                                              {Format::markdown, "markdown"},
                                              {Format::rg, "rg"}};
constexpr const char* format_name(Format format) {
  for (const auto& entry : kFormatNames) {
    if (entry.format == format) return entry.name;
  }
  return "";
}

// What a sweep prints instead of the report, in rg's and Ruff's shapes (listing_output.hpp).
enum class Listing { report, vimgrep, count, files_with_matches, statistics, quiet };

struct OutputOptions {
  Format format = Format::text;
  std::string path;          // --output FILE; empty: stdout
  bool color = false;        // text: ANSI colors (--color, and whether stdout is a terminal)
  bool stats = false;        // --stats: the summary record on stderr
  bool list_files = false;   // --files
  Listing listing = Listing::report;  // --vimgrep, -c, -l, --statistics, -q
  int threads = 0;           // JSON Lines are formatted on up to this many threads (0: all)
  std::string tool_version;  // SARIF's tool.driver.semanticVersion
};

// Writes everything; false when the reader went away (EPIPE), which ends the program quietly.
using io::write_all;
// Writes a whole file or throws naming it: a full disk must not pass for a short report.
void write_file(const std::string& path, const std::vector<std::string>& pieces);

// Each sweep error on stderr, one per line naming the file, as rg would.
void emit_errors(const SweepResult& result);
// The report (and --stats); false when stdout's reader went away (`| head`): the caller ends
// quietly. Throws std::runtime_error when a write fails otherwise.
bool emit_report(const SweepResult& result, const search::RuleSet& rules,
                 const OutputOptions& options);
// `asyncsweep inventory`, `asyncsweep rules`, `--type-list`.
void emit_inventory(const SweepResult& result, const OutputOptions& options);
void emit_rules(const search::RuleSet& rules, const OutputOptions& options);
void emit_type_list();

}  // namespace asyncsweep::report
