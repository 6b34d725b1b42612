// `asyncsweep merge`: the JSON Lines outputs of a sharded sweep (`--shard I/N --format json`)
// turned back into one SweepResult, as if one machine had swept everything, for any printer.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "result/finding_order.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

// One input: JSON Lines holding one or more shard outputs (finding, config and file records,
// each output ended by its summary record), e.g. one file per shard or GNU parallel's stdout.
struct MergeInput {
  std::string name;  // for messages: the file name, "<stdin>" for "-"
  std::string text;
};

// Reads a whole file ("-": standard input). Throws std::runtime_error naming it.
MergeInput read_merge_input(const std::string& path);

// Thrown for anything that keeps the merge from being exact: a record that is not what
// `--format json` writes (named FILE:LINE), a finding whose rule the loaded rule set lacks,
// output cut short (records after the last summary, a summary whose finding count does not
// match its records), and a shard set that is not 0..N-1 exactly once with one N (every
// missing and duplicated index named). The message may hold several lines.
class MergeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --top is not merge's: triage applies it to the merged list as to a sweep's (each shard kept
// its own best N, and the best N of all are among those: give shards and merge the same N).
struct MergeOptions {
  // --sort: the order the shards listed their findings in (the sweep's default: by score).
  FindingOrder order = FindingOrder::ranked;
  // For SARIF: line hashes the shards' JSON does not carry, from the files as they are now.
  bool line_hashes = false;
};

// Merges. The result: findings re-sorted in options.order, which each shard's list must already
// follow (see result/finding_order.hpp); config hits, inline-
// suppressed findings, unused suppressions and --files records merged in order; counts added
// field by field (findings dropped by --min-score, --top or a baseline included; walk-level
// counts come from shard 0 alone, see ShardSpec::counts_walk); errors concatenated, with the
// copies that every shard reports for one walk problem (an unreadable root) kept once;
// elapsed_seconds the slowest shard's; files_other_shards 0 and stats.shards_merged N. An
// output without a shard record (an unsharded sweep) counts as shard 0 of 1. `rules` must be
// the shards' rule set (same --rules/--select/--ignore): rule ids are resolved against it.
SweepResult merge_shards(const std::vector<MergeInput>& inputs, const search::RuleSet& rules,
                                const MergeOptions& options = {});

// read_merge_input() for each path, then merge_shards().
SweepResult merge_shard_files(const std::vector<std::string>& paths,
                                     const search::RuleSet& rules,
                                     const MergeOptions& options = {});

}  // namespace asyncsweep::report
