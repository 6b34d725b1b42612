// Scores candidates 0..100 with human-readable reasons, from the rule and the features the
// Python-aware stage found. Every weight lives in kWeights (scorer.cpp) so that the ranking
// can be read and tuned in one place; README's "Ranking" section documents them.
#pragma once

#include <cstddef>

#include <cstdint>
#include <memory>
#include <vector>

#include "result/sweep_result.hpp"
#include "score/score_options.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::score {

// Scores the findings of one file at a time, so that a sweep can drop those below --min-score
// as it goes (a dense tree has more of those than of the shown ones). One per thread: it
// caches the pytest configs it reads.
class FileScorer {
 public:
  FileScorer(const search::RuleSet& rules, const ScoreOptions& options);
  ~FileScorer();
  FileScorer(FileScorer&&) noexcept;
  FileScorer& operator=(FileScorer&&) = delete;
  // `findings` are one file's: fills score and reasons, moves inline-suppressed ones to
  // `suppressed`, and drops those below min_score (counted in `below_min_score`).
  void score_file(std::vector<Finding>& findings, std::vector<Finding>& suppressed,
                  std::uint64_t& below_min_score);

 private:
  struct Caches;
  const search::RuleSet& rules_;
  ScoreOptions options_;
  std::unique_ptr<Caches> caches_;
};

// After every file went through a FileScorer: sorts, and applies --top.
void finish_scoring(SweepResult& result, const search::RuleSet& rules, const ScoreOptions& options);

}  // namespace asyncsweep::score
