// The order findings are reported in, in one place: the sweep sorts by it and `asyncsweep merge`
// re-sorts shard outputs by it, so that a merged result reads exactly like an unsharded one.
#pragma once

#include <string>
#include <vector>

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

// Sorts by finding_before, findings that compare equal kept in the order given (a file's
// findings, which arrive together, in the order they were found). Compares integers, not
// paths: each run of findings sharing a path gets the rank of its path first, so that
// thousands of findings cost a sort of a few hundred paths and one move each.
void sort_findings(std::vector<search::Finding>& findings, const search::RuleSet& rules,
                   FindingOrder order);

}  // namespace asyncsweep::sweep
