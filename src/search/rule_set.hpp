// Rules compiled once for a sweep: immutable, shared by const reference by every thread.
#pragma once

#include <string>
#include <vector>

#include "regex/pcre.hpp"
#include "rules/rule.hpp"

namespace asyncsweep::search {

struct CompiledRule {
  rules::Rule rule;
  regex::Regex regex;
  std::vector<regex::Regex> exclude_line;
  std::vector<regex::Regex> exclude_path;
  std::vector<regex::Regex> unless_within;
  std::vector<std::string> literals;  // prefilter; empty means "always run"
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

 private:
  std::vector<CompiledRule> rules_;
};

}  // namespace asyncsweep::search
