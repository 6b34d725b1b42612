#include "search/rule_set.hpp"

#include <fmt/format.h>

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
    compiled.literals = compiled.rule.literals;
    rules_.push_back(std::move(compiled));
  }
}

bool RuleSet::all_jit() const {
  for (const auto& rule : rules_) {
    if (!rule.regex.jit()) return false;
  }
  return true;
}

}  // namespace asyncsweep::search
