// libFuzzer target: the searcher with the built-in rule pack over arbitrary bytes, then the
// Python-aware annotation of its findings, as a sweep runs them on a .py file (the first input
// byte picks the options: --seed-exact, context lines, suppression bookkeeping).
// Besides crashes and sanitizer reports it checks what a finding claims (lines and columns
// inside the text) and that the literal prefilter is sound: whenever a rule's regex matches
// anywhere in the text, every literal requirement derived from the regex is present in it;
// that the literal scan finds exactly the literals a plain find does; and that searching
// async-scope rules only in async regions and dropping finally candidates by text first (what
// a sweep does) changes no finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/python_features.hpp"
#include "python/model.hpp"
#include "regex/pcre.hpp"
#include "rules/rule.hpp"
#include "search/literals.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"

using namespace asyncsweep;

namespace {

struct Fixture {
  search::RuleSet set{rules::load_default_pack()};
  std::vector<std::uint32_t> all;
  // Per rule, derived from its regex. A rule's declared `literals` are not checked: they are
  // a filter by design (ASW120 runs only where a close call occurs), not a claim about the regex.
  std::vector<std::vector<search::Requirement>> requirements;
  Fixture() {
    for (std::uint32_t i = 0; i < set.size(); ++i) {
      all.push_back(i);
      requirements.push_back(search::required_literals(set[i].rule.regex));
    }
  }
};

std::size_t count_lines(std::string_view text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  search::SearchOptions options;
  options.seed_exact = (flags & 1) != 0;
  if (flags & 2) options.context_before = flags >> 5;
  if (flags & 4) options.context_after = (flags >> 3) & 3;
  options.limits.match_limit = 200000;
  search::Searcher searcher(fx.set, options);
  search::FileOutcome outcome;
  searcher.search("fuzz/input.py", text, fx.all, outcome);
  if (!options.seed_exact) {
    std::vector<analyze::Suppression> unused;
    python::LineModel model = python::LineModel::build(text);
    analyze::annotate_python("fuzz/input.py", text, model, fx.set, outcome.findings, (flags & 8) ? &unused : nullptr);
    // Async-scope rules searched only in async regions (as a sweep does) find the same.
    std::vector<search::TextRange> regions = analyze::async_regions(model);
    // The text-only precheck that lets a sweep skip the model never denies a real async def.
    if (!regions.empty() && !analyze::may_define_async_function(text)) {
      std::fprintf(stderr, "may_define_async_function denied an async function\n");
      std::abort();
    }
    search::FileOutcome restricted;
    searcher.search("fuzz/input.py", text, fx.all, restricted, [&]() { return &regions; });
    // And the text-only finally check first (as a sweep does) drops nothing the model keeps.
    analyze::drop_without_model(text, fx.set, restricted.findings);
    analyze::annotate_python("fuzz/input.py", text, model, fx.set, restricted.findings);
    bool same = restricted.findings.size() == outcome.findings.size() && restricted.errors.size() == outcome.errors.size();
    for (std::size_t i = 0; same && i < outcome.findings.size(); ++i) {
      same = restricted.findings[i].rule == outcome.findings[i].rule && restricted.findings[i].line == outcome.findings[i].line &&
             restricted.findings[i].column == outcome.findings[i].column;
    }
    if (!same && outcome.errors.empty()) {
      std::fprintf(stderr, "async regions changed the findings: %zu vs %zu\n", restricted.findings.size(),
                   outcome.findings.size());
      std::abort();
    }
  }

  // The literal scan says exactly which literals occur.
  std::vector<std::uint8_t> found;
  fx.set.literals().scan(text, found);
  for (std::size_t i = 0; i < fx.set.literals().size(); ++i) {
    if ((found[i] != 0) != (text.find(fx.set.literals().literal(i)) != std::string_view::npos)) {
      std::fprintf(stderr, "literal scan wrong for '%s'\n", fx.set.literals().literal(i).c_str());
      std::abort();
    }
  }

  const std::size_t lines = count_lines(text);
  for (const auto& f : outcome.findings) {
    if (f.rule >= fx.set.size()) std::abort();
    if (f.line < 1 || f.end_line < f.line || f.end_line > lines) std::abort();
    if (f.column < 1 || f.offset > text.size()) std::abort();
    if (f.text.size() > text.size()) std::abort();
  }
  if (!outcome.errors.empty()) return 0;  // a limit was hit: nothing more to compare

  // Prefilter soundness against PCRE2 itself.
  static regex::MatchScratch scratch(options.limits);
  for (std::uint32_t i = 0; i < fx.set.size(); ++i) {
    regex::MatchResult m = scratch.find(fx.set[i].regex, text, 0);
    if (m.status != regex::MatchStatus::match) continue;
    for (const auto& alternatives : fx.requirements[i]) {
      bool present = false;
      for (const auto& literal : alternatives) present = present || text.find(literal) != std::string_view::npos;
      if (!present) {
        std::fprintf(stderr, "prefilter unsound: rule %s matches at %zu but none of {", fx.set[i].rule.id.c_str(), m.start);
        for (const auto& literal : alternatives) std::fprintf(stderr, " '%s'", literal.c_str());
        std::fprintf(stderr, " } occurs\n");
        std::abort();
      }
    }
  }
  return 0;
}
