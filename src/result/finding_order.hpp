// The order findings are reported in, in one place: the sweep and the triage stage sort by it,
// and `asyncsweep merge` re-sorts shard outputs by it, so that a merged result reads exactly
// like an unsharded one.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "result/finding.hpp"

namespace asyncsweep {

enum class FindingOrder {
  location,  // path, line, rule id: the sweep's order (--sort path)
  ranked,    // score descending, then by location: a ranked list (--sort score, the default)
};

// The last key of the order, rule ids, as ranks of rule indices (equal ids share a rank).
// Built from the rule set's ids (search::RuleSet::order()): findings only carry indices.
class RuleOrder {
 public:
  explicit RuleOrder(const std::vector<std::string_view>& ids);
  std::uint32_t rank(std::uint32_t rule) const { return rank_[rule]; }

 private:
  std::vector<std::uint32_t> rank_;
};

inline bool finding_before(const Finding& a, const Finding& b, const RuleOrder& rules,
                           FindingOrder order = FindingOrder::location) {
  if (order == FindingOrder::ranked && a.score != b.score) return a.score > b.score;
  if (a.path != b.path) return a.path < b.path;
  if (a.line != b.line) return a.line < b.line;
  return rules.rank(a.rule) < rules.rank(b.rule);
}

// Sorts by finding_before, findings that compare equal kept in the order given (a file's
// findings, which arrive together, in the order they were found). Compares integers, not
// paths: each run of findings sharing a path gets the rank of its path first, so that
// thousands of findings cost a sort of a few hundred paths and one move each.
void sort_findings(std::vector<Finding>& findings, const RuleOrder& rules, FindingOrder order);

}  // namespace asyncsweep
