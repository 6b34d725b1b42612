#include "search/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncsweep::search {

namespace {

regex::Regex compile_or_throw(const rules::Rule& rule, std::string_view field, const std::string& pattern) {
  regex::CompileError error;
  auto compiled = regex::Regex::compile(pattern, {}, &error);
  if (!compiled) {
    throw rules::RuleError(fmt::format("{}: rule {}: invalid regex in '{}' at offset {}: {}",
                                       rule.origin, rule.id, field, error.offset, error.message));
  }
  return std::move(*compiled);
}

}  // namespace

RuleSet::RuleSet(rules::RulePack pack) {
  rules_.reserve(pack.rules.size());
  for (auto& rule : pack.rules) {
    regex::Regex main = compile_or_throw(rule, "regex", rule.regex);
    CompiledRule compiled{std::move(rule), std::move(main), {}, {}, {}, {}};
    for (const auto& p : compiled.rule.exclude_line)
      compiled.exclude_line.push_back(compile_or_throw(compiled.rule, "exclude_line", p));
    for (const auto& p : compiled.rule.exclude_path)
      compiled.exclude_path.push_back(compile_or_throw(compiled.rule, "exclude_path", p));
    for (const auto& p : compiled.rule.unless_within)
      compiled.unless_within.push_back(compile_or_throw(compiled.rule, "unless_within", p));
    rules_.push_back(std::move(compiled));
  }
  // Declared literals (any of them) replace what the regex yields; both feed one automaton.
  std::vector<std::string> all;
  auto index_of = [&all](const std::string& literal) {
    auto it = std::find(all.begin(), all.end(), literal);
    if (it == all.end()) {
      all.push_back(literal);
      return static_cast<std::uint32_t>(all.size() - 1);
    }
    return static_cast<std::uint32_t>(it - all.begin());
  };
  for (auto& compiled : rules_) {
    std::vector<Requirement> requirements = compiled.rule.literals.empty()
                                                ? required_literals(compiled.rule.regex)
                                                : std::vector<Requirement>{compiled.rule.literals};
    // No `async def` without the word: async-scope rules cannot fire in a file lacking it.
    if (compiled.rule.scope == rules::Scope::async) requirements.push_back({"async"});
    for (const auto& alternatives : requirements) {
      std::vector<std::uint32_t> indices;
      for (const auto& literal : alternatives) indices.push_back(index_of(literal));
      compiled.requirements.push_back(std::move(indices));
    }
  }
  literal_set_ = std::make_unique<LiteralSet>(all);
}

bool RuleSet::all_jit() const {
  for (const auto& rule : rules_) {
    if (!rule.regex.jit()) return false;
  }
  return true;
}

}  // namespace asyncsweep::search
