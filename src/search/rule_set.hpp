// Rules compiled once for a sweep: immutable, shared by const reference by every thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "regex/pcre.hpp"
#include "result/finding_order.hpp"
#include "rules/rule.hpp"
#include "search/literal_scan.hpp"
#include "search/literals.hpp"

namespace asyncsweep::search {

struct CompiledRule {
  rules::Rule rule;
  regex::Regex regex;
  std::vector<regex::Regex> exclude_line;
  std::vector<regex::Regex> exclude_path;
  std::vector<regex::Regex> unless_within;
  // Prefilter: each inner list needs one of its literals present. `requirements` index
  // RuleSet::literals(), found in one pass over the file: the rule's most selective requirement
  // (so that the pass looks for few literals), plus any other whose literals the pass looks for
  // anyway. `secondary` (one or two literals each) index
  // RuleSet::secondary_literals(), looked up one by one only when the first requirement holds.
  // Both empty: the rule always runs.
  std::vector<std::vector<std::uint32_t>> requirements;
  std::vector<std::vector<std::uint32_t>> secondary;
  // Line-mode rules: literals of the regex one of which every match's line holds (empty: none
  // known). Lets the searcher go from occurrence to occurrence.
  std::vector<LiteralFinder> line_literals;
  // Async-scope line-mode rules without line literals whose regex opens with a lookbehind: the
  // regex's literal requirement, too many literals to jump between, but one Teddy pass tells
  // whether an async region can hold a match at all before PCRE2 runs the lookbehinds at every
  // candidate start in it (ASW112 on the dense tree: 35.4M -> 14.3M instructions in PCRE2).
  // Where PCRE2 skips ahead cheaply (ASW105, ASW107, ASW111) the pass measured dearer than
  // what it saved. Null: none.
  std::shared_ptr<const LiteralSet> region_literals;
  // Async-scope line-mode rules: their line literals' indices in
  // RuleSet::region_line_literals() (empty: none, or another kind of rule).
  std::vector<std::uint32_t> region_line_ids;
};

class RuleSet {
 public:
  // Compiles every rule. Throws rules::RuleError naming the rule's pack and the offset.
  explicit RuleSet(rules::RulePack pack);

  const std::vector<CompiledRule>& rules() const { return rules_; }
  std::size_t size() const { return rules_.size(); }
  const CompiledRule& operator[](std::size_t index) const { return rules_[index]; }
  // True when every rule's regex was JIT-compiled.
  bool all_jit() const;
  // The literals of the one pass over each file (see CompiledRule::requirements).
  const LiteralSet& literals() const { return *literal_set_; }
  bool has_prefilter() const { return literal_set_->size() > 0; }
  const std::vector<LiteralFinder>& secondary_literals() const { return secondary_finders_; }
  // The line literals of every async-scope line-mode rule, each once: one pass of this set
  // over an async region says which of them it holds, and a rule's finders skip the absent
  // ones instead of each scanning the region to its end (most of them, on async code: ASW109's
  // six). See CompiledRule::region_line_ids.
  const LiteralSet& region_line_literals() const { return *region_line_set_; }
  // Rule indices ranked by rule id: the last key of the finding order.
  RuleOrder order() const;

 private:
  std::vector<CompiledRule> rules_;
  std::unique_ptr<LiteralSet> literal_set_;
  std::vector<LiteralFinder> secondary_finders_;
  std::unique_ptr<LiteralSet> region_line_set_;
};

}  // namespace asyncsweep::search
