// What one sweep is asked to do: immutable, built once by cli/resolve from the command line,
// [tool.asyncsweep], the environment and the defaults, and read by the driver (sweep/). Here,
// not in sweep/, so that cli/ builds it without including the driver; like result/'s types it
// lives in namespace asyncsweep itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "result/shard_spec.hpp"
#include "search/searcher.hpp"
#include "triage/triage.hpp"
#include "walk/filter.hpp"
#include "walk/walker.hpp"

namespace asyncsweep {

struct SweepConfig {
  std::vector<std::string> paths;  // empty: the current directory (unless stdin_path is set)
  // `-` on the command line: standard input is swept as one file, reported as this path
  // (--stdin-filename; "-" when not given, then taken for Python).
  std::string stdin_path;
  walk::FilterOptions filter;
  walk::WalkOptions walk;
  std::uint64_t max_filesize = 100ull << 20;
  search::SearchOptions search;
  bool list_files_only = false;  // --files: record the files that would be searched
  bool read_only = false;        // benchmark floor: walk and read every file, run no rule
  ShardSpec shard;               // --shard I/N: search only this shard's files
  bool inventory = false;        // Step 0: count async constructs in every Python file, no rules
  bool report_unused_suppressions = false;
  // Each shown finding's line_hash (SARIF's primaryLocationLineHash), computed while its file is
  // in memory: only when a SARIF report is asked for, so other sweeps pay nothing.
  bool line_hashes = false;
  // Safe fixes (fix/edits.hpp) for the shown findings of the fixable rules: computed while the
  // file is in memory (a scored Python sweep); with keep_fix_sources also the bytes read, which
  // --fix compares before writing and --diff diffs against.
  bool fixes = false;
  bool keep_fix_sources = false;
  // Score each file's findings as soon as they are known and run the per-file stages of the
  // triage (memory stays with what can be shown); unset: findings come back unscored, by location.
  std::optional<triage::TriageOptions> triage;
  bool progress = false;        // a progress line on stderr (set when it is a terminal, not in CI)
  int progress_delay_ms = 500;  // quiet before the first line, so short sweeps never flicker
};

}  // namespace asyncsweep
