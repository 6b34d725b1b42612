#include <catch2/catch.hpp>
#include <algorithm>
#include <random>

#include "search/rule_set.hpp"

#include "regex/pcre.hpp"
#include "rules/rule.hpp"
#include "search/literal_scan.hpp"
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
  // Groups with more than literal alternatives contribute what their body requires.
  CHECK(search::required_literals("x(socket\\..*\\.connect|socket\\..*\\.recv)\\(") ==
        std::vector<Requirement>{{".connect", "socket."}});
  CHECK(search::required_literals("(foo\\d+bar)") == std::vector<Requirement>{{"foo"}, {"bar"}});
  CHECK(search::required_literals("(foo\\d+bar)?baz") == std::vector<Requirement>{{"baz"}});  // optional
  CHECK(search::required_literals("(?!foo.*bar)baz") == std::vector<Requirement>{{"baz"}});      // lookaround
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

TEST_CASE("simplify drops alternatives that contain another one") {
  CHECK(search::simplify({"lstat", "stat", "statvfs", "open", "open"}) == Requirement{"open", "stat"});
  CHECK(search::simplify({"recv_into", "send", "recv"}) == Requirement{"recv", "send"});
}

TEST_CASE("estimated frequency orders requirements by what they rule out") {
  CHECK(search::estimated_frequency("record_error") < search::estimated_frequency("except"));
  CHECK(search::estimated_frequency("async") < search::estimated_frequency(Requirement{"open", "stat"}));
  CHECK(search::estimated_frequency(Requirement{"send", "recv"}) > search::estimated_frequency("send"));
}

namespace {

std::vector<std::uint8_t> naive_scan(const std::vector<std::string>& literals, std::string_view text) {
  std::vector<std::uint8_t> found;
  for (const auto& literal : literals) found.push_back(text.find(literal) != std::string_view::npos);
  return found;
}

// Both kernels against a plain find, for scan() and contains_any().
void check_kernels(const search::LiteralSet& fast, const search::LiteralSet& portable,
                   const std::vector<std::string>& literals, const std::string& text) {
  std::vector<std::uint8_t> a, b;
  fast.scan(text, a);
  portable.scan(text, b);
  auto expected = naive_scan(literals, text);
  REQUIRE(a == expected);
  REQUIRE(b == expected);
  bool any = std::find(expected.begin(), expected.end(), 1) != expected.end();
  REQUIRE(fast.contains_any(text) == any);
  REQUIRE(portable.contains_any(text) == any);
}

}  // namespace

TEST_CASE("both scan kernels agree with a plain find on random texts and literal sets") {
  // Small alphabets make partial matches, repeated anchors and full buckets common; lengths
  // around 32 and 34 exercise the vector loop's end and the scalar tail.
  std::mt19937 rng(11);
  const std::string alphabet = "abcd_(.)\n ";
  auto random_string = [&](std::size_t n, std::size_t letters) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % letters];
    return s;
  };
  int simd_sets = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    std::vector<std::string> literals;
    std::size_t count = 1 + rng() % 60;
    for (std::size_t i = 0; i < count; ++i) literals.push_back(random_string(1 + rng() % 8, letters));
    search::LiteralSet fast(literals);
    search::LiteralSet portable(literals, search::ScanKernel::portable);
    simd_sets += fast.simd();
    for (int t = 0; t < 20; ++t) check_kernels(fast, portable, literals, random_string(rng() % 200, letters));
  }
  // Where the CPU has AVX2 the SIMD kernel must have been the one compared.
  if (__builtin_cpu_supports("avx2")) CHECK(simd_sets == 400);
}

TEST_CASE("the scan finds literals of real source at any position") {
  search::RuleSet set(rules::load_default_pack());
  std::vector<std::string> literals;
  for (std::size_t i = 0; i < set.literals().size(); ++i) literals.push_back(set.literals().literal(i));
  search::LiteralSet fast(literals);
  search::LiteralSet portable(literals, search::ScanKernel::portable);
  const std::string code = "async def f():\n    await asyncio.gather(a, b)\n    x = os.pipe()\n";
  for (std::size_t pad = 0; pad < 70; ++pad) {
    check_kernels(fast, portable, literals, std::string(pad, ' ') + code + std::string(pad % 7, '#'));
  }
}

TEST_CASE("the single-literal finder agrees with a plain find from any offset") {
  std::mt19937 rng(5);
  const std::string alphabet = "ab_(.\n";
  for (int trial = 0; trial < 3000; ++trial) {
    std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    std::string needle, text;
    for (std::size_t i = 0, n = 1 + rng() % 6; i < n; ++i) needle += alphabet[rng() % letters];
    for (std::size_t i = 0, n = rng() % 120; i < n; ++i) text += alphabet[rng() % letters];
    search::LiteralFinder finder(needle);
    for (std::size_t from = 0; from <= text.size() + 1; from += 1 + rng() % 9) {
      INFO("needle '" << needle << "' text '" << text << "' from " << from);
      std::size_t expected = from <= text.size() ? std::string_view(text).find(needle, from) : std::string_view::npos;
      REQUIRE(finder.find(text, from) == expected);
    }
  }
}
