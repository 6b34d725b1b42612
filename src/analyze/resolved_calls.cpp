#include "analyze/resolved_calls.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "analyze/imports.hpp"

namespace asyncsweep::analyze {

bool resolves(const rules::Rule& rule) {
  return rule.category == "blocking-io" && rule.scope == rules::Scope::async;
}

QualifiedNames::Answers& QualifiedNames::answers(const std::string& qualified) {
  // Bounded: a tree with more distinct names than this starts over rather than grow.
  constexpr std::size_t kMostNames = 1 << 14;
  if (known_.size() >= kMostNames && known_.find(qualified) == known_.end()) known_.clear();
  Answers& a = known_[qualified];
  if (a.match.empty()) {
    a.match.assign(rules_.size(), unknown);
    a.parts.assign(rules_.size(), unknown);
  }
  return a;
}

std::int64_t QualifiedNames::first_match(const std::vector<std::uint32_t>& candidates,
                                         const std::string& qualified) {
  std::vector<Answer>& known = answers(qualified).match;
  std::string subject;  // `qualified(`, made for the first rule not asked yet
  for (std::uint32_t r : candidates) {
    if (known[r] == unknown) {
      if (subject.empty()) subject = qualified + "(";
      regex::MatchResult m = scratch_.find(rules_[r].regex, subject, 0);
      known[r] = m.status == regex::MatchStatus::match && m.start == 0 && m.end == subject.size()
                     ? yes
                     : no;
    }
    if (known[r] == yes) return r;
  }
  return -1;
}

bool QualifiedNames::parts_named(const std::vector<std::uint32_t>& candidates,
                                 const std::string& qualified) {
  std::vector<Answer>& known = answers(qualified).parts;
  for (std::uint32_t r : candidates) {
    if (known[r] == unknown) {
      std::string_view pattern = rules_[r].rule.regex;
      std::string_view rest = qualified;
      bool all = true;
      while (all && !rest.empty()) {
        std::size_t dot = rest.find('.');
        all = pattern.find(rest.substr(0, dot)) != std::string_view::npos;
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
      }
      known[r] = all ? yes : no;
    }
    if (known[r] == yes) return true;
  }
  return false;
}

std::vector<ResolvedCall> resolved_calls(const python::LineModel& model,
                                         const search::RuleSet& rules,
                                         const std::vector<std::uint32_t>& applicable,
                                         QualifiedNames& names,
                                         const std::vector<ImportBinding>* imports,
                                         std::vector<CodeToken>* made_tokens) {
  std::vector<ResolvedCall> out;
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t r : applicable) {
    if (resolves(rules[r].rule)) candidates.push_back(r);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> bodies;  // async function bodies, merged
  for (const python::Scope& scope : model.scopes()) {
    if (scope.kind != python::ScopeKind::AsyncFunction) continue;
    if (!bodies.empty() && scope.body_begin < bodies.back().second) {
      bodies.back().second = std::max(bodies.back().second, scope.end);
    } else {
      bodies.emplace_back(scope.body_begin, scope.end);
    }
  }
  if (candidates.empty() || bodies.empty()) return out;

  auto rule_for = [&](const std::string& qualified) {
    return names.first_match(candidates, qualified);
  };
  // The whole table costs a pass over every token of the file: only for files that import,
  // under a name of their own, a function a rule matches (`from time import sleep`) or a module
  // whose every part a rule's pattern names (`import subprocess as sp`, `from os import path`).
  // `import os` binds the canonical spelling, which the regexes see already.
  const bool relevant = [&] {
    const std::vector<ImportBinding> own =
        imports ? std::vector<ImportBinding>{} : ImportTable::imports_of(model);
    for (const ImportBinding& b : imports ? *imports : own) {
      if (b.local == b.qualified) continue;
      if (rule_for(b.qualified) >= 0 || names.parts_named(candidates, b.qualified)) return true;
    }
    return false;
  }();
  if (!relevant) return out;

  std::vector<CodeToken> own_tokens;
  std::vector<CodeToken>& tokens = made_tokens ? *made_tokens : own_tokens;
  tokens = code_tokens(model);
  const ImportTable table = ImportTable::build(model, tokens);
  if (table.imports().empty()) return out;
  std::string_view text = model.source();
  auto at = [&](std::size_t i) {
    return i < tokens.size() ? text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin)
                             : std::string_view{};
  };
  auto is_name = [&](std::size_t i) {
    return i < tokens.size() && tokens[i].kind == CodeToken::Kind::name;
  };

  for (const auto& [body_begin, body_end] : bodies) {
    auto first = std::lower_bound(tokens.begin(), tokens.end(), body_begin,
                                  [](const CodeToken& t, std::uint32_t o) { return t.begin < o; });
    for (std::size_t i = static_cast<std::size_t>(first - tokens.begin());
         i < tokens.size() && tokens[i].begin < body_end; ++i) {
      if (!is_name(i)) continue;
      if (i > 0) {
        std::string_view before = at(i - 1);
        if (before == "." || before == "def" || before == "class") continue;
      }
      std::size_t j = i;
      while (at(j + 1) == "." && is_name(j + 2)) j += 2;
      if (at(j + 1) != "(") {
        i = j;
        continue;
      }
      std::string_view head = at(i);
      const ImportBinding* binding = table.resolve(head, tokens[i].begin);
      if (binding == nullptr) {
        i = j;
        continue;
      }
      std::string spelled;
      for (std::size_t k = i; k <= j; k += 2) {
        if (k > i) spelled += '.';
        spelled += at(k);
      }
      std::string qualified = binding->qualified + spelled.substr(head.size());
      if (qualified == spelled) {  // written the canonical way: the rule's regex sees it
        i = j;
        continue;
      }
      const std::int64_t rule = rule_for(qualified);
      if (rule >= 0) {
        out.push_back(ResolvedCall{
            static_cast<std::uint32_t>(rule), tokens[i].begin, tokens[j + 1].end,
            fmt::format("`{}` is {} (imported on line {})", spelled, qualified, binding->line)});
      }
      i = j;
    }
  }
  return out;
}

}  // namespace asyncsweep::analyze
