// The order findings are reported in, in one place: the sweep sorts by it and `asyncsweep merge`
// re-sorts shard outputs by it, so that a merged result reads exactly like an unsharded one.
#pragma once

#include <string>

#include "search/finding.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::sweep {

enum class FindingOrder {
  location,  // path, line, rule id: the sweep's order
  ranked,    // score descending, then by location: a ranked list
};

inline bool finding_before(const search::Finding& a, const search::Finding& b,
                           const search::RuleSet& rules,
                           FindingOrder order = FindingOrder::location) {
  if (order == FindingOrder::ranked && a.score != b.score) return a.score > b.score;
  if (a.path != b.path) return a.path < b.path;
  if (a.line != b.line) return a.line < b.line;
  return rules[a.rule].rule.id < rules[b.rule].rule.id;
}

}  // namespace asyncsweep::sweep
