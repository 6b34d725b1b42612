// check = finally-closes decided from the text alone (no line model) must agree with the model:
// corner cases by hand, then every file of the stdlib and Debian's asyncio packages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyze/finally_block.hpp"
#include "analyze/python_features.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"
#include "test_python.hpp"

using namespace asyncsweep;
namespace fs = std::filesystem;

namespace {

// Findings (rule, line) after annotation, with or without the text-only pass first; `dropped`
// counts what the text-only pass took away.
std::vector<std::pair<std::string, std::uint32_t>> annotated(const search::RuleSet& rules, const std::string& text,
                                                             bool text_first, std::size_t* dropped = nullptr) {
  search::Searcher searcher(rules, search::SearchOptions{});
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  search::FileOutcome outcome;
  searcher.search("pkg/mod.py", text, all, outcome);
  if (text_first) {
    std::size_t before = outcome.findings.size();
    analyze::drop_without_model(text, rules, outcome.findings);
    if (dropped != nullptr) *dropped += before - outcome.findings.size();
  }
  analyze::annotate_python("pkg/mod.py", text, rules, outcome.findings);
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const auto& f : outcome.findings) out.emplace_back(rules[f.rule].rule.id, f.line);
  return out;
}

}  // namespace

TEST_CASE("the plain finally block ends where the model's does, or says it cannot tell") {
  auto end_of = [](const std::string& text) {
    std::size_t end = analyze::plain_finally_block_end(text, 0);
    return end == std::string::npos ? std::string("?") : text.substr(0, end);
  };
  CHECK(end_of("finally:\n    a = 1\n\n    # c\n# left comment\n    b = f(\nx)\nafter()\n") ==
        "finally:\n    a = 1\n\n    # c\n# left comment\n    b = f(\nx)\n");
  CHECK(end_of("finally:\n    x = 1\n") == "finally:\n    x = 1\n");          // to the end
  CHECK(end_of("finally:\n    s = 'str'\nafter\n") == "?");                    // a string
  CHECK(end_of("finally:\n    x = 1 + \\\n2\nafter\n") == "?");                // a continuation
  CHECK(end_of("finally:\r    x = 1\nafter\n") == "?");                        // a lone CR
  CHECK(end_of("finally:\n    x = ))\nafter\n") == "?");                       // unbalanced
  CHECK(end_of("finally:\n    x = 1  # it's fine\nafter\n") == "finally:\n    x = 1  # it's fine\n");
}

TEST_CASE("text-only finally checks drop exactly what the model drops: corner cases") {
  search::RuleSet rules(rules::load_default_pack());
  std::vector<std::string> cases = {
      "try:\n    f = open(p)\nfinally:\n    f.close()\n",
      "try:\n    pass\nfinally:\n    log('done')\nf.close()\n",
      "try:\n    pass\nfinally:\n    x = (\nf.close())\n",
      "try:\n    pass\nfinally:\n    # f.close()\n    pass\nf.close()\n",
      "try:\n    pass\nfinally:\n    s = '''\nf.close()\n'''\n",
      "x = (\nfinally:\n    pass\n)\nf.close()\n",                   // invalid: finally inside brackets
      "x = (\nfinally:\n    pass\nf.close()\n",
      "s = '''\nfinally:\n    pass\n'''\nf.close()\n",               // in a string
      "try:\n  pass\nfinally: f.close()\n",
      "try:\r\n    pass\r\nfinally:\r\n    f.close()\r\n",
  };
  for (const auto& text : cases) {
    INFO(text);
    CHECK(annotated(rules, text, true) == annotated(rules, text, false));
  }
}

TEST_CASE("text-only finally checks drop exactly what the model drops: real code") {
  search::RuleSet rules(rules::load_default_pack());
  // The same rules without their declared prefilter literals (finally-closes rules declare
  // ".close(" and ".aclose(", which the regex does not require): they must change nothing.
  rules::RulePack pack = rules::load_default_pack();
  std::size_t declared = 0;
  for (auto& rule : pack.rules) {
    declared += !rule.literals.empty();
    rule.literals.clear();
  }
  REQUIRE(declared > 0);
  search::RuleSet undeclared(std::move(pack));
  int files = 0;
  std::size_t dropped = 0;
  for (const std::string& root : {test_support::python_stdlib(),
                                  test_support::python_package_dir("aiohttp", "python3-aiohttp"),
                                  test_support::python_package_dir("trio", "python3-trio")}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      if (text.find("finally") == std::string::npos || text.find('\0') != std::string::npos) continue;
      INFO(entry.path().string());
      const auto expected = annotated(rules, text, false);
      REQUIRE(annotated(rules, text, true, &dropped) == expected);
      REQUIRE(annotated(undeclared, text, false) == expected);
      ++files;
    }
  }
  CHECK(files > 100);
  CHECK(dropped > 100);  // the text-only pass does take work away from the model
}
