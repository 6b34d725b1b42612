#include "search/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncsweep::search {

namespace {

constexpr std::size_t kMaxSecondaryAlternatives = 2;

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
    CompiledRule compiled{std::move(rule), std::move(main), {}, {}, {}, {}, {}};
    for (const auto& p : compiled.rule.exclude_line)
      compiled.exclude_line.push_back(compile_or_throw(compiled.rule, "exclude_line", p));
    for (const auto& p : compiled.rule.exclude_path)
      compiled.exclude_path.push_back(compile_or_throw(compiled.rule, "exclude_path", p));
    for (const auto& p : compiled.rule.unless_within)
      compiled.unless_within.push_back(compile_or_throw(compiled.rule, "unless_within", p));
    rules_.push_back(std::move(compiled));
  }
  // Declared literals (any of them) replace what the regex yields.
  std::vector<std::string> primary;
  auto index_in = [](std::vector<std::string>& table, const std::string& literal) {
    auto it = std::find(table.begin(), table.end(), literal);
    if (it == table.end()) {
      table.push_back(literal);
      return static_cast<std::uint32_t>(table.size() - 1);
    }
    return static_cast<std::uint32_t>(it - table.begin());
  };
  for (auto& compiled : rules_) {
    std::vector<Requirement> requirements = compiled.rule.literals.empty()
                                                ? required_literals(compiled.rule.regex)
                                                : std::vector<Requirement>{compiled.rule.literals};
    // No `async def` without the word: async-scope rules cannot fire in a file lacking it.
    if (compiled.rule.scope == rules::Scope::async) requirements.push_back({"async"});
    for (auto& alternatives : requirements) alternatives = simplify(std::move(alternatives));
    std::stable_sort(requirements.begin(), requirements.end(), [](const Requirement& a, const Requirement& b) {
      return estimated_frequency(a) < estimated_frequency(b);
    });
    for (std::size_t k = 0; k < requirements.size(); ++k) {
      // A later requirement costs one memmem per alternative where it fails, to save one
      // PCRE2 pass: worth it for one or two literals, not for a list of method names.
      if (k > 0 && requirements[k].size() > kMaxSecondaryAlternatives) continue;
      std::vector<std::uint32_t> indices;
      for (const auto& literal : requirements[k]) {
        indices.push_back(k == 0 ? index_in(primary, literal) : index_in(secondary_literals_, literal));
      }
      (k == 0 ? compiled.requirements : compiled.secondary).push_back(std::move(indices));
    }
  }
  literal_set_ = std::make_unique<LiteralSet>(primary);
}

bool RuleSet::all_jit() const {
  for (const auto& rule : rules_) {
    if (!rule.regex.jit()) return false;
  }
  return true;
}

}  // namespace asyncsweep::search
