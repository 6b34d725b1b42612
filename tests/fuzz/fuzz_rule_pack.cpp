// libFuzzer target: rule pack loading (TOML → validated rules → compiled rule set → a search).
// Any input must either load or fail with a RuleError that names the origin; anything else
// (another exception, a crash, a sanitizer report, a hang in PCRE2) is a bug. Loaded packs are
// compiled as a sweep would (including the literal prefilter) and run over the input itself,
// with a small match limit so that a fuzzed catastrophic regex costs little.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"
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
  for (const auto& rule : pack.rules) {
    if (rule.id.empty() || rule.origin != origin) std::abort();
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
  for (const auto& finding : outcome.findings) {
    if (finding.line < 1 || finding.end_line < finding.line || finding.offset > size) std::abort();
  }
  return 0;
}
