#include <catch2/catch.hpp>
#include <random>

#include "regex/pcre.hpp"
#include "rules/rule.hpp"
#include "search/literals.hpp"

using namespace asyncsweep;
using search::Requirement;

TEST_CASE("required literals of the document's regexes") {
  CHECK(search::required_literals("asyncio\\.gather\\(") == std::vector<Requirement>{{"asyncio.gather("}});
  CHECK(search::required_literals("try:.*finally:.*\\.(close|aclose)\\(") ==
        std::vector<Requirement>{{"try:"}, {"finally:"}, {"close", "aclose"}});
  CHECK(search::required_literals("\\bawait\\b") == std::vector<Requirement>{{"await"}});
  CHECK(search::required_literals("connect_(read|write)_pipe") ==
        std::vector<Requirement>{{"connect_"}, {"read", "write"}, {"_pipe"}});
}

TEST_CASE("required literals stay conservative") {
  // A top-level alternation needs one literal from some branch.
  CHECK(search::required_literals("foo|bar") == std::vector<Requirement>{{"foo", "bar"}});
  CHECK(search::required_literals("foo|b.r").empty());            // a branch without a literal
  CHECK(search::required_literals("(?<![\\w.])open\\(|\\bio\\.open_code") ==
        std::vector<Requirement>{{"open(", "io.open_code"}});  // lookbehinds are zero-width
  CHECK(search::required_literals("abc(?i)def").empty());         // inline options anywhere
  CHECK(search::required_literals("(?i)asyncio").empty());        // inline flags
  CHECK(search::required_literals("ab").empty());                 // too short to pay
  CHECK(search::required_literals("(abc)?def") == std::vector<Requirement>{{"def"}});
  CHECK(search::required_literals("abcd*e") == std::vector<Requirement>{{"abc"}});
  CHECK(search::required_literals("x(abc|de)y").empty());          // an alternative too short
  CHECK(search::required_literals("(ab+c|xyz)tail") == std::vector<Requirement>{{"tail"}});
}

TEST_CASE("the literal set finds exactly the literals present") {
  search::LiteralSet set({"asyncio.gather(", "await", "open(", "(", "zz", "os.pipe()"});
  std::vector<std::uint8_t> found;
  set.scan("x = await asyncio.gather(a)\n", found);
  CHECK(found == std::vector<std::uint8_t>{1, 1, 0, 1, 0, 0});
  set.scan("zz", found);
  CHECK(found == std::vector<std::uint8_t>{0, 0, 0, 0, 1, 0});
  set.scan("", found);
  CHECK(found == std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0});
  set.scan("r, w = os.pipe()", found);
  CHECK(found[5] == 1);
}

TEST_CASE("the prefilter is sound: whenever a rule's regex matches, its literals are present") {
  // Random texts built from fragments of the rules' own literals, so that matches happen.
  rules::RulePack pack = rules::load_default_pack();
  std::vector<std::string> fragments = {"async def f():\n", "    open(x)\n", "asyncio.gather(", "await ",
                                        "\n", "try: a\nfinally: b.close()\n", "os.read(", "os.fdopen(",
                                        "socket.s.connect(", "subprocess.run(", "TaskGroup(", "xyz "};
  std::mt19937 rng(7);
  regex::MatchScratch scratch;
  int matches = 0;
  for (const auto& rule : pack.rules) {
    auto requirements = search::required_literals(rule.regex);
    std::vector<std::string> all;
    for (const auto& r : requirements) all.insert(all.end(), r.begin(), r.end());
    search::LiteralSet set(all);
    auto compiled = regex::Regex::compile(rule.regex, {}, nullptr);
    REQUIRE(compiled);
    for (int trial = 0; trial < 300; ++trial) {
      std::string text;
      for (int k = 0; k < 8; ++k) text += fragments[rng() % fragments.size()];
      if (scratch.find(*compiled, text, 0).status != regex::MatchStatus::match) continue;
      ++matches;
      std::vector<std::uint8_t> found;
      set.scan(text, found);
      std::size_t at = 0;
      for (const auto& alternatives : requirements) {
        bool any = false;
        for (std::size_t i = 0; i < alternatives.size(); ++i) any = any || found[at + i];
        at += alternatives.size();
        CHECK(any);
      }
    }
  }
  CHECK(matches > 100);
}
