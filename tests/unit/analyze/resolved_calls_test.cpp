// Resolved calls trace a callee through the module's imports; what the rules say of each
// qualified name is kept across files (analyze::QualifiedNames). Kept answers must be the
// rules' own, in the candidates' order, whichever files asked first.
#include "analyze/resolved_calls.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "python/model.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"

using namespace asyncsweep;

namespace {

std::vector<std::uint32_t> resolvable(const search::RuleSet& rules) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    if (analyze::resolves(rules[r].rule)) out.push_back(r);
  }
  return out;
}

bool matches_whole(const search::RuleSet& rules, std::uint32_t r, const std::string& qualified) {
  regex::MatchScratch scratch;
  const std::string subject = qualified + "(";
  regex::MatchResult m = scratch.find(rules[r].regex, subject, 0);
  return m.status == regex::MatchStatus::match && m.start == 0 && m.end == subject.size();
}

}  // namespace

TEST_CASE("qualified names: kept answers are the rules' own, in the candidates' order") {
  search::RuleSet rules(rules::load_default_pack());
  const std::vector<std::uint32_t> all = resolvable(rules);
  REQUIRE(all.size() > 1);
  std::vector<std::uint32_t> reversed(all.rbegin(), all.rend());
  analyze::QualifiedNames names(rules);
  const std::vector<std::string> qualified = {"time.sleep",  "subprocess.run", "os.path.exists",
                                              "typing.Any",  "asyncio.sleep",  "open",
                                              "requests.get"};
  bool any = false;
  for (int round = 0; round < 2; ++round) {  // the second round answers from what the first kept
    for (const std::string& q : qualified) {
      for (std::uint32_t r : all) {
        const bool whole = matches_whole(rules, r, q);
        any = any || whole;
        CHECK(names.first_match({r}, q) == (whole ? static_cast<std::int64_t>(r) : -1));
      }
      for (const auto& order : {all, reversed}) {
        auto first = std::find_if(order.begin(), order.end(),
                                  [&](std::uint32_t r) { return matches_whole(rules, r, q); });
        CHECK(names.first_match(order, q) ==
              (first == order.end() ? -1 : static_cast<std::int64_t>(*first)));
      }
    }
  }
  CHECK(any);
  CHECK(names.first_match(all, "time.sleep") >= 0);
  CHECK(names.first_match(all, "typing.Any") == -1);
  CHECK(names.parts_named(all, "time.sleep"));
  CHECK_FALSE(names.parts_named(all, "zqzq.qzqz"));
}

TEST_CASE("resolved calls: one QualifiedNames serves file after file") {
  search::RuleSet rules(rules::load_default_pack());
  std::vector<std::uint32_t> applicable(rules.size());
  for (std::uint32_t r = 0; r < rules.size(); ++r) applicable[r] = r;
  analyze::QualifiedNames names(rules);
  const std::string first = "from time import sleep\n\nasync def f():\n    sleep(1)\n";
  const std::string second = "import time as t\n\nasync def g():\n    t.sleep(2)\n    sleep(3)\n";
  for (int round = 0; round < 2; ++round) {
    python::LineModel a = python::LineModel::build(first);
    auto calls = analyze::resolved_calls(a, rules, applicable, names);
    REQUIRE(calls.size() == 1);
    CHECK(first.substr(calls[0].begin, calls[0].end - calls[0].begin) == "sleep(");
    CHECK(calls[0].reason.find("time.sleep") != std::string::npos);

    python::LineModel b = python::LineModel::build(second);
    calls = analyze::resolved_calls(b, rules, applicable, names);
    REQUIRE(calls.size() == 1);  // `sleep` is no import in this file
    CHECK(second.substr(calls[0].begin, calls[0].end - calls[0].begin) == "t.sleep(");
  }
}
