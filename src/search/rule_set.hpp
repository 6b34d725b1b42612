// Rules compiled once for a sweep: immutable, shared by const reference by every thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "regex/pcre.hpp"
#include "search/literals.hpp"
#include "rules/rule.hpp"

namespace asyncsweep::search {

struct CompiledRule {
  rules::Rule rule;
  regex::Regex regex;
  std::vector<regex::Regex> exclude_line;
  std::vector<regex::Regex> exclude_path;
  std::vector<regex::Regex> unless_within;
  // Prefilter: indices into RuleSet::literals(); every inner list needs one present literal.
  // Empty: the rule always runs.
  std::vector<std::vector<std::uint32_t>> requirements;
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
  // Every distinct prefilter literal of every rule, in one automaton.
  const LiteralSet& literals() const { return *literal_set_; }
  bool has_prefilter() const { return literal_set_->size() > 0; }

 private:
  std::vector<CompiledRule> rules_;
  std::unique_ptr<LiteralSet> literal_set_;
};

}  // namespace asyncsweep::search
