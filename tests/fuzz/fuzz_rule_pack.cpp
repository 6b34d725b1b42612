// libFuzzer target: rule pack loading (TOML → validated rules → compiled rule set → a search).
// Any input must either load or fail with a RuleError that names the origin; anything else
// (another exception, a crash, a sanitizer report, a hang in PCRE2) is a bug. Loaded packs are
// compiled as a sweep would (including the literal prefilter) and run over the input itself,
// with a small match limit so that a fuzzed catastrophic regex costs little.
// Properties checked on every pack that loads (abort on violation):
//  - rule ids are unique, and merging the pack with itself is refused (duplicate ids);
//  - parsing is deterministic: the same text loads the same rules again;
//  - the compiled regex (JIT where PCRE2 could) finds what PCRE2's interpreter finds on the
//    same compiled code, whenever neither hits a limit;
//  - the prefilter is sound: every match holds, inside the matched text, one literal of each
//    requirement of required_literals(), and one of a line-mode rule's line literals.
// The interpreter is the oracle for the JIT here, so this target calls PCRE2 itself (the
// product's headers keep pcre2.h inside src/regex).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
#include "search/literals.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"

using namespace asyncsweep;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string origin = "fuzz.toml";
  rules::RulePack pack;
  try {
    pack = rules::parse_pack(text, origin);
  } catch (const rules::RuleError& error) {
    if (std::string_view(error.what()).substr(0, origin.size()) != origin) std::abort();
    return 0;
  }
  std::set<std::string> ids;
  for (const auto& rule : pack.rules) {
    if (rule.id.empty() || rule.origin != origin) std::abort();
    if (!ids.insert(rule.id).second) std::abort();
  }
  if (!pack.rules.empty()) {
    bool refused = false;
    try {
      (void)rules::merge_packs({pack, pack});
    } catch (const rules::RuleError&) {
      refused = true;
    }
    if (!refused) std::abort();
  }
  {
    const rules::RulePack again = rules::parse_pack(text, origin);
    if (again.rules.size() != pack.rules.size()) std::abort();
    for (std::size_t i = 0; i < pack.rules.size(); ++i) {
      const auto& a = pack.rules[i];
      const auto& b = again.rules[i];
      if (a.id != b.id || a.regex != b.regex || a.multiline != b.multiline ||
          a.literals != b.literals || a.exclude_line != b.exclude_line ||
          a.unless_within != b.unless_within || a.kind != b.kind || a.scope != b.scope ||
          a.check != b.check || a.before != b.before || a.after != b.after) {
        std::abort();
      }
    }
  }
  // parse_pack validated every regex: compiling them again must not fail.
  search::RuleSet rules(std::move(pack));
  search::SearchOptions options;
  options.limits.match_limit = 20000;
  options.limits.jit_stack_max = 256u << 10;
  search::Searcher searcher(rules, options);
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  search::FileOutcome outcome;
  searcher.search("fuzz.py", text, all, outcome);

  regex::MatchScratch scratch(options.limits);
  const std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> match_data(
      pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
  const std::unique_ptr<pcre2_match_context, void (*)(pcre2_match_context*)> context(
      pcre2_match_context_create(nullptr), &pcre2_match_context_free);
  if (!match_data || !context) std::abort();
  pcre2_set_match_limit(context.get(), options.limits.match_limit);
  for (const auto& rule : rules.rules()) {
    const auto m = scratch.find(rule.regex, text, 0);
    const int rc = pcre2_match(rule.regex.code(), reinterpret_cast<PCRE2_SPTR>(text.data()),
                               text.size(), 0, PCRE2_NO_JIT, match_data.get(), context.get());
    const bool interpreted = rc >= 0 || rc == PCRE2_ERROR_NOMATCH;
    const bool jitted =
        m.status == regex::MatchStatus::match || m.status == regex::MatchStatus::no_match;
    if (interpreted && jitted) {
      if ((rc >= 0) != (m.status == regex::MatchStatus::match)) std::abort();
      if (rc >= 0) {
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data.get());
        const std::size_t end =
            ovector[1] < ovector[0] ? ovector[0] : ovector[1];  // \K, as find() does
        if (ovector[0] != m.start || end != m.end) std::abort();
      }
    }
    if (m.status != regex::MatchStatus::match) continue;
    // The prefilter looks at the whole file: each requirement must have a literal in it.
    auto present = [&](const std::string& literal) {
      return text.find(literal) != std::string_view::npos;
    };
    for (const auto& alternatives : search::required_literals(rule.rule.regex)) {
      if (!std::any_of(alternatives.begin(), alternatives.end(), present)) std::abort();
    }
    // A line-mode rule runs on one line at a time, jumping between its line literals: where
    // the regex matches the match's line alone, one of them is on that line.
    if (rule.rule.multiline || rule.line_literals.empty()) continue;
    const std::size_t previous = text.rfind('\n', m.start == 0 ? 0 : m.start - 1);
    const std::size_t begin = m.start == 0 || previous == std::string_view::npos ? 0 : previous + 1;
    const std::string_view line = text.substr(begin, text.find('\n', begin) - begin);
    if (scratch.find(rule.regex, line, 0).status != regex::MatchStatus::match) continue;
    if (!std::any_of(rule.line_literals.begin(), rule.line_literals.end(),
                     [&](const search::LiteralFinder& f) {
                       return f.find(line) != std::string_view::npos;
                     })) {
      std::abort();
    }
  }
  for (const auto& finding : outcome.findings) {
    if (finding.line < 1 || finding.end_line < finding.line || finding.offset > size) std::abort();
  }
  return 0;
}
