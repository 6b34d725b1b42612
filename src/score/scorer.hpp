// Scores candidates 0..100 with human-readable reasons, from the rule and the features the
// Python-aware stage found. Every weight lives in kWeights (scorer.cpp) so that the ranking
// can be read and tuned in one place; docs/rules.md's "Ranking" section documents them.
#pragma once

#include <memory>
#include <vector>

#include "result/finding.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::score {

struct ScoreOptions {
  bool seed_exact = false;  // --seed-exact: the rg stage only: the rule's severity, no adjustment
};

// Scores the findings of one file at a time, so that a sweep can triage them as it goes
// (triage/triage.hpp: a dense tree has more findings below --min-score than shown ones). One
// per thread: it caches the pytest configs it reads.
class FileScorer {
 public:
  FileScorer(const search::RuleSet& rules, const ScoreOptions& options);
  ~FileScorer();
  FileScorer(FileScorer&&) noexcept;
  FileScorer& operator=(FileScorer&&) = delete;
  // `findings` are one file's: fills in each one's Assessment (score 0..100, reasons) from its
  // MatchSite and Features. Hides nothing.
  void score_file(std::vector<Finding>& findings);

 private:
  struct Caches;
  const search::RuleSet& rules_;
  ScoreOptions options_;
  std::unique_ptr<Caches> caches_;
};

}  // namespace asyncsweep::score
