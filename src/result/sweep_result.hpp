// What a sweep (or `asyncsweep merge`) produces, and all that the triage stage and the printers
// read: findings, the config rules' hits, errors, counts. A value: no printer changes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "python/model.hpp"
#include "result/finding.hpp"
#include "result/fix_plan.hpp"
#include "result/stats.hpp"
#include "result/summary.hpp"

namespace asyncsweep {

// Step 0 counts of one file (code only: comments and strings never count).
struct FileInventory {
  std::string path;
  python::Inventory counts;
};

// A `# asyncsweep: ignore` comment that suppressed nothing.
struct UnusedSuppression {
  std::string path;
  std::uint32_t line = 0;
  std::string text;
};

struct SweepResult {
  std::vector<Finding> findings;           // by path, line, rule (unsorted when scored:
                                           // the triage stage orders them)
  std::vector<Finding> config_hits;        // config rules' matches (default mode)
  std::vector<SweepError> errors;          // in a deterministic order
  std::vector<std::string> files;          // --files
  std::vector<FileInventory> inventories;  // inventory mode: files with any async construct
  std::vector<Finding> suppressed;  // hidden by inline suppression comments or per-file-ignores
  std::vector<UnusedSuppression> unused_suppressions;
  // A shard's function summaries, for `merge` to join (transitive/join); empty otherwise: an
  // unsharded sweep joins them into findings itself.
  std::vector<FileSummary> summaries;
  std::uint64_t baselined = 0;        // hidden because the baseline knows them
  std::uint64_t below_min_score = 0;  // dropped by --min-score
  std::uint64_t excluded_tests = 0;   // in test code, dropped by --exclude-tests
  std::uint64_t beyond_top = 0;       // dropped by --top
  std::uint64_t outside_change = 0;   // on lines --changed-since/--changed-lines did not touch
  // The shown findings' safe fixes (fix/edits), by path; what --fix wrote is gone from here and
  // from `findings`, and counted in `fixed`.
  std::vector<FilePlan> fixes;
  std::uint64_t fixed = 0;
  Stats stats;
};

}  // namespace asyncsweep
