// Scores candidates 0..100 with human-readable reasons, from the rule and the features the
// Python-aware stage found. Every weight lives in kWeights (scorer.cpp) so that the ranking
// can be read and tuned in one place; README's "Ranking" section documents them.
#pragma once

#include <cstddef>

#include "search/rule_set.hpp"
#include "sweep/sweep.hpp"

namespace asyncsweep::score {

enum class SortOrder { score, path };

struct ScoreOptions {
  bool seed_exact = false;      // --seed-exact: the rg stage only: no adjustment, no filter
  int min_score = 30;           // findings below are dropped (counted in stats.below_min_score)
  std::size_t top = 0;          // keep only the N best (0: all)
  SortOrder sort = SortOrder::score;
};

inline constexpr int kDefaultMinScore = 30;

// Fills score and reasons, moves inline-suppressed findings to result.suppressed, applies
// --min-score and --top, and sorts. May read pytest configs near findings.
void score_findings(sweep::SweepResult& result, const search::RuleSet& rules, const ScoreOptions& options);

// Deterministic order: score descending, then path, line, rule id (or path first).
void sort_findings(std::vector<search::Finding>& findings, const search::RuleSet& rules, SortOrder order);

}  // namespace asyncsweep::score
