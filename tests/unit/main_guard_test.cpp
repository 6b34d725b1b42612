// Findings under `if __name__ == "__main__":` are entry points (features.main_guard): the
// annotation must see the guard however deep the finding sits, and only above the finding.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analyze/python_features.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"

using namespace asyncsweep;

namespace {

// (line, main_guard) of each asyncio.run() finding (ASW041) in `text`.
std::vector<std::pair<std::uint32_t, bool>> run_calls(const std::string& text) {
  const std::string path = "pkg/mod.py";
  search::RuleSet rules(rules::load_default_pack());
  search::Searcher searcher(rules, search::SearchOptions{});
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  search::FileOutcome outcome;
  searcher.search(path, text, all, outcome);
  analyze::annotate_python(path, text, rules, outcome.findings);
  std::vector<std::pair<std::uint32_t, bool>> out;
  for (const auto& f : outcome.findings) {
    if (rules[f.rule].rule.id == "ASW041") out.emplace_back(f.line, f.features.main_guard);
  }
  return out;
}

}  // namespace

TEST_CASE("asyncio.run under a main guard, at any depth, is marked; above or beside it is not") {
  std::string text =
      "import asyncio\n"                   // 1
      "def main():\n"                      // 2
      "    asyncio.run(work())\n"          // 3: a function above the guard
      "if __name__ == '__main__':\n"       // 4
      "    if True:\n"                     // 5
      "        try:\n"                     // 6
      "            asyncio.run(work())\n"  // 7: three blocks deep
      "        finally:\n"                 // 8
      "            pass\n"                 // 9
      "asyncio.run(after())\n";            // 10: after the guard's block
  using P = std::pair<std::uint32_t, bool>;
  CHECK(run_calls(text) == std::vector<P>{{3, false}, {7, true}, {10, false}});

  CHECK(run_calls("if '__main__' == __name__:\n    asyncio.run(main())\n") ==
        std::vector<P>{{2, true}});
  CHECK(run_calls("if \"__main__\" == __name__:\n    asyncio.run(main())\n") ==
        std::vector<P>{{2, true}});
  // The words alone, in a string or a comment, are no guard.
  CHECK(run_calls("x = 'if __name__ == 1'\n# if __name__:\ndef f():\n    asyncio.run(main())\n") ==
        std::vector<P>{{4, false}});
  // A guard that is not a statement start (after `;`) is none either, as before.
  CHECK(run_calls("x = 1; if_ = 2\nif __name__ == '__main__':\n    asyncio.run(main())\n") ==
        std::vector<P>{{3, true}});
}
