// The command line as typed (ripgrep's LowArgs): CLI11 fills these flat fields and checks
// ranges and choices, nothing more. cli/resolve.hpp turns them, with [tool.asyncsweep], the
// environment and the defaults, into what they mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "regex/pcre.hpp"
#include "report/emit.hpp"

namespace asyncsweep::cli {

enum class Command { sweep, rules, type_list, import_doc, inventory, merge, explain };

// --min-score: findings below are hidden (triage/triage.hpp). The default hides comment and
// string hits, awaited and nested calls.
inline constexpr int kDefaultMinScore = 30;

struct Args {
  Command command = Command::sweep;
  std::string format = report::format_name(report::Format::text);  // of the command given
  std::vector<std::string> paths;
  std::vector<std::string> rule_files;
  std::vector<std::string> select;  // as typed: comma-separated lists
  std::vector<std::string> extend_select;
  bool preview = false;  // --preview: run the rules not yet stable too
  std::vector<std::string> ignore;
  std::string output;
  std::string baseline;
  std::string write_baseline;
  std::string color = "auto";
  int after_context = -1;
  int before_context = -1;
  int context = -1;
  bool isolated = false;
  std::string config;         // --config FILE
  std::string show_settings;  // --show-settings PATH
  bool exclude_tests = false;
  int min_score = kDefaultMinScore;
  bool min_score_given = false;
  std::size_t top = 0;
  std::string sort = "score";
  bool report_unused_suppressions = false;
  bool seed_exact = false;
  bool exit_zero = false;
  std::string stdin_filename;
  bool vimgrep = false;
  bool count = false;
  bool files_with_matches = false;
  bool statistics = false;
  bool quiet = false;
  int threads = 0;
  bool hidden = false;
  bool no_ignore = false;
  std::vector<std::string> globs;
  std::vector<std::string> types;
  bool follow_links = false;
  std::string max_filesize = "100M";
  std::uint32_t match_limit = regex::MatchLimits{}.match_limit;
  std::string jit_stack_size = "8M";
  bool files = false;
  bool stats = false;
  bool bench_read_only = false;
  std::string shard;
  std::string roots_from;
  std::string changed_since;  // --changed-since REF
  std::string changed_lines;  // --changed-lines FILE (a unified diff; - is stdin)
  bool fix = false;           // --fix: write the safe fixes
  bool diff = false;          // --diff: print them as a unified diff, write nothing
  bool fix_only = false;      // --fix-only: write them, report only the counts
  std::string document;                  // import-doc
  std::string explain_id;                // explain
  bool explain_all = false;               // explain --all
  std::vector<std::string> merge_files;  // merge
};

struct ParseOutcome {
  std::optional<Args> args;  // set when the program should go on
  int exit_code = 0;         // otherwise: --help, --version or a usage error (already printed)
};

ParseOutcome parse_args(int argc, const char* const* argv);

}  // namespace asyncsweep::cli
