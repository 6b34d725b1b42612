// One sweep: walk → read → match, every file accounted for. Owns no global state; the
// result is a value the printers turn into output.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "python/model.hpp"
#include "score/score_options.hpp"
#include "search/finding.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"
#include "sweep/shard.hpp"
#include "walk/filter.hpp"
#include "walk/walker.hpp"

namespace asyncsweep::sweep {

struct SweepConfig {
  std::vector<std::string> paths;  // empty: the current directory
  walk::FilterOptions filter;
  walk::WalkOptions walk;
  std::uint64_t max_filesize = 100ull << 20;
  search::SearchOptions search;
  bool list_files_only = false;  // --files: record the files that would be searched
  bool read_only = false;        // benchmark floor: walk and read every file, run no rule
  ShardSpec shard;               // --shard I/N: search only this shard's files
  bool inventory = false;        // Step 0: count async constructs in every Python file, no rules
  bool report_unused_suppressions = false;
  // Score each file's findings as soon as they are known, keeping only those at or above
  // --min-score (memory stays with what will be shown); unset: findings come back unscored.
  std::optional<score::ScoreOptions> scoring;
  bool progress = false;         // a progress line on stderr (set when it is a terminal, not in CI)
  int progress_delay_ms = 500;   // quiet before the first line, so short sweeps never flicker
};

struct Stats {
  std::uint64_t files_walked = 0;   // handed over by the walker with at least one rule to run
  std::uint64_t files_scanned = 0;
  std::uint64_t files_errored = 0;  // could not be read
  std::array<std::uint64_t, static_cast<std::size_t>(search::SkipReason::count_)> skipped{};
  std::array<std::uint64_t, static_cast<std::size_t>(walk::IgnoreReason::count_)> ignored_files{};
  std::array<std::uint64_t, static_cast<std::size_t>(walk::IgnoreReason::count_)> ignored_dirs{};
  std::uint64_t files_without_rule = 0;  // walked past: no rule's types/globs fit the name
  std::uint64_t bytes_scanned = 0;
  std::uint64_t files_incomplete = 0;    // a PCRE2 limit cut a rule short
  std::vector<std::uint64_t> matched_lines;  // per rule: inventory/config counts
  double elapsed_seconds = 0;
  std::uint64_t files_other_shards = 0;  // --shard: files another shard searches (not walked here)
  ShardSpec shard;                       // which shard this is (count 0: not sharded); not added
  std::uint32_t shards_merged = 0;       // asyncsweep merge: how many shard outputs were merged

  std::uint64_t skipped_total() const;
  void add(const Stats& other);
};

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
  std::vector<search::Finding> findings;      // by path, line, rule (unsorted when scored:
                                              // score::finish_scoring orders them)
  std::vector<search::Finding> config_hits;   // config rules' matches (default mode)
  std::vector<search::SweepError> errors;     // in a deterministic order
  std::vector<std::string> files;             // --files
  std::vector<FileInventory> inventories;     // inventory mode: files with any async construct
  std::vector<search::Finding> suppressed;    // hidden by inline suppression comments
  std::vector<UnusedSuppression> unused_suppressions;
  std::uint64_t baselined = 0;                // hidden because the baseline knows them
  std::uint64_t below_min_score = 0;          // dropped by --min-score
  std::uint64_t beyond_top = 0;               // dropped by --top
  Stats stats;
};

// Runs the sweep. Errors about individual paths are collected, never thrown; throws only for
// setup problems (bad glob, unknown type) as std::runtime_error.
SweepResult run_sweep(const SweepConfig& config, const search::RuleSet& rules);

}  // namespace asyncsweep::sweep
