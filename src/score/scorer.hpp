// Scores candidates 0..100 with human-readable reasons. Every weight lives in kWeights
// (scorer.cpp) so that the ranking can be read and tuned in one place.
#pragma once

#include "search/rule_set.hpp"
#include "sweep/sweep.hpp"

namespace asyncsweep::score {

struct ScoreOptions {
  bool seed_exact = false;  // --seed-exact: no pipeline semantics, so no config-based adjustment
};

// Fills score and reasons of every finding; may consult files near them (pytest configs).
// A pytest config that cannot be read is mentioned in the reasons, never fatal.
void score_findings(sweep::SweepResult& result, const search::RuleSet& rules, const ScoreOptions& options);

}  // namespace asyncsweep::score
