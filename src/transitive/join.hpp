// The transitive join (issue #20): after the walk, with every file's function summaries
// (analyze/summaries), a sync function of the project blocks when it blocks directly or calls
// one that blocks, up to kMaxDepth functions deep; each call of such a function in an async def
// becomes a finding of the calls-blocking rule, with the chain as reasons and Features::chain.
// The sweep joins its own summaries; `asyncsweep merge` joins the summaries the shards carry,
// so that the two give the same findings.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "result/finding.hpp"
#include "result/summary.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"
#include "triage/triage.hpp"

namespace asyncsweep::transitive {

// A call four functions away from the blocking call still blocks, but a reader of the chain
// no longer believes it; deeper chains are not followed.
inline constexpr int kMaxDepth = 4;

// The rule set's calls-blocking rule, if it runs.
std::optional<std::uint32_t> calls_blocking_rule(const search::RuleSet& rules);

// Findings of `rule` (scored, with reasons; those under a suppression comment carry it in
// features.suppressed_by), in the summaries' path and line order. `files` in any order.
std::vector<Finding> join(std::vector<const FileSummary*> files, const search::RuleSet& rules,
                          std::uint32_t rule);

// Joins `summaries` into `result`. When `triaged` (the sweep's stages ran: not --seed-exact
// or a --fix re-sweep), each finding goes through the triage its file's summary carries
// (FileTriage; a file without one was not swept, and its findings are not shown); otherwise the
// findings are added as they are and result.findings is sorted by location.
void join_into(SweepResult& result, const std::vector<FileSummary>& summaries,
               const search::RuleSet& rules, bool triaged);

}  // namespace asyncsweep::transitive
