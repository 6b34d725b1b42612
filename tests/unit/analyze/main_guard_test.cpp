// Findings under `if __name__ == "__main__":` are entry points (features.main_guard): the
// annotation must see the guard however deep the finding sits, and only above the finding.
// And the file-wide facts the annotation takes from one literal pass, in every combination.
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
    if (rules[f.rule].rule.id == "ASW041") out.emplace_back(f.line, f.features->main_guard);
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

TEST_CASE(
    "file-wide markers (imports, non-blocking setup, guards, directives) in every combination") {
  search::RuleSet rules(rules::load_default_pack());
  search::Searcher searcher(rules, search::SearchOptions{});
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  for (int mask = 0; mask < 16; ++mask) {
    const bool imports = mask & 1, nonblocking = mask & 2, guard = mask & 4, directive = mask & 8;
    std::string text;
    // Two members of each group present: a pass that miscounts found literals shows here.
    if (imports) text += "import trio\nfrom anyio import run\n";
    text += "def f():\n    r, w = os.pipe()\n";  // ASW121: kept unless the function sets O_NONBLOCK
    if (nonblocking) text += "    os.set_blocking(r, False)  # EAGAIN\n";
    text += "    asyncio.run(main())";
    text += directive ? "  # noqa: ASW041 asyncsweep: nothing\n" : "\n";
    if (guard) text += "if __name__ == '__main__':\n    asyncio.run(main())\n";
    INFO("markers " << mask << ":\n" << text);
    search::FileOutcome outcome;
    searcher.search("pkg/mod.py", text, all, outcome);
    analyze::annotate_python("pkg/mod.py", text, rules, outcome.findings);
    int pipes = 0, runs = 0, guarded = 0, suppressed = 0;
    for (const auto& f : outcome.findings) {
      const std::string& id = rules[f.rule].rule.id;
      CHECK(f.features->imports_async == imports);
      if (id == "ASW121") ++pipes;
      if (id != "ASW041") continue;
      ++runs;
      guarded += f.features->main_guard ? 1 : 0;
      suppressed += f.features->suppressed_by.empty() ? 0 : 1;
    }
    CHECK(pipes == (nonblocking ? 0 : 1));
    CHECK(runs == (guard ? 2 : 1));
    CHECK(guarded == (guard ? 1 : 0));
    CHECK(suppressed == (directive ? 1 : 0));
  }
}
