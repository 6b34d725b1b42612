// Printers in the shapes rg and Ruff users already read with their tools: rg's matching lines
// (path:line:text, --vimgrep's path:line:column:text), rg's -c and -l, and Ruff's --statistics.
// They print the findings that triage left, nothing about the sweep; like output.hpp's
// printers they append to a std::string.
#pragma once

#include <string>

#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

// rg's default output with --no-heading: each matched line once, `path:line:text`; with
// `column`, rg --vimgrep's `path:line:column:text`, one line per match.
void print_rg_lines(const SweepResult& result, bool column, std::string& out);
// rg -c: `path:count` for each file with findings, in the order the files first appear.
void print_counts(const SweepResult& result, std::string& out);
// rg -l: each file with findings once, in the order they first appear.
void print_files_with_matches(const SweepResult& result, std::string& out);
// Ruff --statistics: `count<TAB>ID<TAB>title` per rule, most frequent first, then by id.
void print_statistics(const SweepResult& result, const search::RuleSet& rules, std::string& out);

}  // namespace asyncsweep::report
