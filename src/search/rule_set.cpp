#include "search/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncsweep::search {

namespace {

constexpr std::size_t kMaxSecondaryAlternatives = 2;
// Each line literal is one more finder the searcher restarts at every occurrence: up to three
// always pay (one PCRE2 pass saved per region), up to six only when the requirement is rare in
// source code (ASW109's five, `request`, `httpx`, ..., cut its PCRE2 work by nine tenths on
// async code; ASW107's `send`, `recv`, ... cost more to hop between than PCRE2 costs).
constexpr std::size_t kMaxLineLiterals = 3;
constexpr std::size_t kMaxRareLineLiterals = 6;
constexpr double kRareLineLiterals = 1e-7;  // estimated_frequency of the whole requirement
constexpr std::size_t kMaxPassAlternatives = 4;

regex::Regex compile_or_throw(const rules::Rule& rule, std::string_view field,
                              const std::string& pattern,
                              const regex::CompileOptions& options = {}) {
  regex::CompileError error;
  auto compiled = regex::Regex::compile(pattern, options, &error);
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
    // Line mode searches from one literal's line to the next and bounds where a match starts.
    regex::CompileOptions options;
    options.offset_limit = !rule.multiline;
    regex::Regex main = compile_or_throw(rule, "regex", rule.regex, options);
    CompiledRule compiled{std::move(rule), std::move(main), {}, {}, {}, {}, {}, {}, {}, {}};
    for (const auto& p : compiled.rule.exclude_line)
      compiled.exclude_line.push_back(compile_or_throw(compiled.rule, "exclude_line", p));
    for (const auto& p : compiled.rule.exclude_path)
      compiled.exclude_path.push_back(compile_or_throw(compiled.rule, "exclude_path", p));
    for (const auto& p : compiled.rule.unless_within)
      compiled.unless_within.push_back(compile_or_throw(compiled.rule, "unless_within", p));
    rules_.push_back(std::move(compiled));
  }
  // Declared literals (any of them) replace what the regex yields.
  std::vector<std::vector<Requirement>> per_rule;
  for (auto& compiled : rules_) {
    std::vector<Requirement> derived = required_literals(compiled.rule.regex);
    for (auto& alternatives : derived) alternatives = simplify(std::move(alternatives));
    auto by_frequency = [](const Requirement& a, const Requirement& b) {
      return estimated_frequency(a) < estimated_frequency(b);
    };
    std::stable_sort(derived.begin(), derived.end(), by_frequency);
    // Every match of a line-mode rule holds one of these on its line: the searcher jumps from
    // one occurrence to the next instead of letting PCRE2 try every line.
    const bool few_literals =
        !derived.empty() && (derived.front().size() <= kMaxLineLiterals ||
                             (derived.front().size() <= kMaxRareLineLiterals &&
                              estimated_frequency(derived.front()) < kRareLineLiterals));
    if (!compiled.rule.multiline && few_literals) {
      for (const auto& literal : derived.front()) compiled.line_literals.emplace_back(literal);
    } else if (!compiled.rule.multiline && !derived.empty() &&
               compiled.rule.scope == rules::Scope::async &&
               compiled.rule.regex.starts_with("(?<")) {
      compiled.region_literals = std::make_shared<const LiteralSet>(derived.front());
    }
    std::vector<Requirement> requirements =
        compiled.rule.literals.empty() ? derived : std::vector<Requirement>{simplify(compiled.rule.literals)};
    // No `async def` without the word: async-scope rules cannot fire in a file lacking it.
    if (compiled.rule.scope == rules::Scope::async) requirements.push_back({"async"});
    std::stable_sort(requirements.begin(), requirements.end(), by_frequency);
    // A long list of alternatives widens the literal pass's buckets for every byte of every
    // file: lead with a short requirement when the rule has one.
    auto short_one = std::find_if(requirements.begin(), requirements.end(),
                                  [](const Requirement& r) { return r.size() <= kMaxSecondaryAlternatives; });
    if (!requirements.empty() && requirements.front().size() > kMaxPassAlternatives && short_one != requirements.end()) {
      std::rotate(requirements.begin(), short_one, short_one + 1);
    }
    per_rule.push_back(std::move(requirements));
  }
  // The literal pass looks for each rule's most selective requirement only.
  std::vector<std::string> primary;
  std::vector<std::string> secondary;
  auto index_in = [](std::vector<std::string>& table, const std::string& literal) {
    auto it = std::find(table.begin(), table.end(), literal);
    if (it == table.end()) {
      table.push_back(literal);
      return static_cast<std::uint32_t>(table.size() - 1);
    }
    return static_cast<std::uint32_t>(it - table.begin());
  };
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (per_rule[r].empty()) continue;
    std::vector<std::uint32_t> indices;
    for (const auto& literal : per_rule[r].front()) indices.push_back(index_in(primary, literal));
    rules_[r].requirements.push_back(std::move(indices));
  }
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    for (std::size_t k = 1; k < per_rule[r].size(); ++k) {
      const Requirement& alternatives = per_rule[r][k];
      bool in_pass = std::all_of(alternatives.begin(), alternatives.end(), [&](const std::string& literal) {
        return std::find(primary.begin(), primary.end(), literal) != primary.end();
      });
      // Another rule's pass literals are known for free. Otherwise a later requirement costs
      // one memmem per alternative where it fails, to save one PCRE2 pass: worth it for one or
      // two literals, not for a list of method names.
      if (!in_pass && alternatives.size() > kMaxSecondaryAlternatives) continue;
      // An async-scope rule with line literals searches only async bodies, jumping from one
      // of its literals to the next: a look for another literal through the whole file first
      // costs more than it saves (ASW101, 103, 110: the dense tree 524.3 M -> 518.3 M
      // instructions, stdlib+6 838.3 M -> 830.5 M).
      if (!in_pass && rules_[r].rule.scope == rules::Scope::async && !rules_[r].rule.multiline &&
          !rules_[r].line_literals.empty())
        continue;
      std::vector<std::uint32_t> indices;
      for (const auto& literal : alternatives) {
        indices.push_back(in_pass ? index_in(primary, literal) : index_in(secondary, literal));
      }
      (in_pass ? rules_[r].requirements : rules_[r].secondary).push_back(std::move(indices));
    }
  }
  literal_set_ = std::make_unique<LiteralSet>(primary);
  for (auto& literal : secondary) secondary_finders_.emplace_back(std::move(literal));
  std::vector<std::string> region_line;
  for (auto& compiled : rules_) {
    if (compiled.rule.scope != rules::Scope::async || compiled.rule.multiline) continue;
    for (const LiteralFinder& finder : compiled.line_literals) {
      compiled.region_line_ids.push_back(index_in(region_line, finder.literal()));
    }
  }
  region_line_set_ = std::make_unique<LiteralSet>(std::move(region_line));
}

bool RuleSet::all_jit() const {
  for (const auto& rule : rules_) {
    if (!rule.regex.jit()) return false;
  }
  return true;
}

RuleOrder RuleSet::order() const {
  std::vector<std::string_view> ids;
  ids.reserve(rules_.size());
  for (const auto& compiled : rules_) ids.push_back(compiled.rule.id);
  return RuleOrder(ids);
}

}  // namespace asyncsweep::search
