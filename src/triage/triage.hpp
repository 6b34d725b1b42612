// Which findings are shown, decided here and only here, in this order. Each stage hides some
// findings and counts them in the result; the printers print what is left, and the counts,
// and never filter.
//
//   0. the change          --changed-since/--changed-lines: a finding none of whose lines the
//                           change added or changed -> result.outside_change  per file, in the sweep
//   1. inline suppressions  `# asyncsweep: ignore` comments (analyze/ finds them)
//                           -> result.suppressed                         per file, in the sweep
//   2. --min-score          a score below it -> result.below_min_score   per file, in the sweep
//   3. per-file-ignores     [tool.asyncsweep] globs -> result.suppressed  per file, in the sweep
//      --exclude-tests      findings in test code -> result.excluded_tests  after the sweep
//      (--write-baseline records the findings left at this point)
//   4. --baseline           findings it knows -> result.baselined        after the sweep
//   5. order and --top      the N best scores of what is left, in --sort order
//                           -> result.beyond_top                         last
//
// A finding outside the change is not the reviewer's to see, so it counts there even when a
// comment also suppresses it; unused suppressions and config rules' hits outside it are dropped.
// So a suppressed finding that also scores below --min-score counts as suppressed, and
// `--top N` shows N findings that no suppression, ignore or baseline hides (as Ruff's and rg's
// limits apply to what would be printed). Stages 1 to 3 run per file as the sweep goes
// (SweepConfig::triage), so that memory holds only findings that can be shown.
// --seed-exact (the document's rg stage alone) hides nothing: stages 1, 2, 3 and 5 are off and
// findings come in path order. `asyncsweep merge` takes the shards' stages 1 to 3 as done and
// applies stages 4 and 5. The findings of the transitive join, made after the walk (in the
// sweep, or in merge from the shards' summaries), go through stages 0 to 3 and --exclude-tests
// as the sweep that swept their file decided them (file_triage, triage_joined).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "change/scope.hpp"
#include "pyconfig/config_tree.hpp"
#include "report/baseline.hpp"
#include "result/finding_order.hpp"
#include "result/summary.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::triage {

struct TriageOptions {
  bool seed_exact = false;                    // --seed-exact: hide nothing, path order
  int min_score = 0;                          // stage 2: findings scoring below are hidden
  std::size_t top = 0;                        // stage 5: keep the N first (0: all)
  FindingOrder order = FindingOrder::ranked;  // --sort
  bool exclude_tests = false;                 // stage 3: --exclude-tests
  // Where each file's [tool.asyncsweep] comes from (null: --isolated). A value given on the
  // command line wins over every file's configuration, as in Ruff.
  std::shared_ptr<const pyconfig::ConfigTree> configs;
  bool min_score_given = false;  // --min-score
  bool select_given = false;     // --select: the rule pack is already narrowed
  bool ignore_given = false;     // --ignore
  rules::Preview preview;        // the preview rules the command line enables
  // Stage 0: the lines a change added or changed, by path as displayed (null: every line).
  std::shared_ptr<const change::ChangedLines> changed;
};

// Stages 1 to 3 for one file's scored findings, with `config` the file's configuration (null:
// none): findings of rules it does not select leave uncounted (as if the rule had not run);
// those outside the change leave and are counted in `outside_change`; inline-suppressed ones move to `suppressed`; those below the file's min-score leave and are
// counted in `below_min_score`; per-file-ignores move the matching ones to `suppressed`.
void triage_file(std::vector<Finding>& findings, const search::RuleSet& rules,
                 const TriageOptions& options, const pyconfig::ProjectConfig* config,
                 std::vector<Finding>& suppressed, std::uint64_t& below_min_score,
                 std::uint64_t& outside_change);

// What triage_file would decide for `rule`'s findings in the file at `path` (as displayed),
// whatever their lines: the sweep records it in the file's summary (FileTriage), for the join.
FileTriage file_triage(const rules::Rule& rule, const std::string& path,
                       const TriageOptions& options, const pyconfig::ProjectConfig* config);

// The join's findings in one file (transitive/join), through the stages triage_file runs and
// --exclude-tests, as `triage` (that file's file_triage) says; counted in `result`.
void triage_joined(std::vector<Finding>& findings, const FileTriage& triage, SweepResult& result);

// Once every file went through triage_file: unused suppressions and config hits outside the
// change leave; --exclude-tests; sorts the findings in --sort
// order and the suppressed ones by location.
void triage_sweep(SweepResult& result, const search::RuleSet& rules, const TriageOptions& options);

// Stage 4 (report/baseline.hpp says what a finding's identity is).
void triage_baseline(SweepResult& result, const search::RuleSet& rules,
                     const report::Baseline& baseline, const std::string& project_root);

// Stage 5: the --top highest-scoring findings stay, in --sort order.
void triage_top(SweepResult& result, const search::RuleSet& rules, const TriageOptions& options);

}  // namespace asyncsweep::triage
