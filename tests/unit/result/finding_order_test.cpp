// sort_findings and finding_before (the order `asyncsweep merge` re-sorts shards by)
// against the documented order, written out here without either: by location (path bytes,
// line, rule id), ranked (score descending, then by location), ties in the order given.
#include "result/finding_order.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rules/rule.hpp"
#include "search/rule_set.hpp"

using namespace asyncsweep;

namespace {

struct Identity {
  std::string path;
  std::uint32_t line, rule;
  int score;
  std::size_t serial;  // tells apart findings equal under finding_before
  bool operator==(const Identity& o) const {
    return path == o.path && line == o.line && rule == o.rule && score == o.score &&
           serial == o.serial;
  }
};

std::vector<Identity> identities(const std::vector<Finding>& findings) {
  std::vector<Identity> out;
  for (const auto& f : findings) out.push_back({f.path.str(), f.line, f.rule, f.score, f.offset});
  return out;
}

Finding finding(const std::string& path, std::uint32_t line, std::uint32_t rule, int score,
                        std::size_t serial) {
  Finding f;
  f.path = path;
  f.line = line;
  f.rule = rule;
  f.score = score;
  f.offset = serial;
  return f;
}

std::uint32_t rule_index(const search::RuleSet& rules, const std::string& id) {
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rule.id == id) return i;
  }
  FAIL("no rule " << id << " in the default pack");
  return 0;
}

// The serials of `findings` in the order sort_findings leaves them.
std::vector<std::size_t> sorted_serials(std::vector<Finding> findings,
                                        const search::RuleSet& rules, FindingOrder order) {
  sort_findings(findings, rules.order(), order);
  std::vector<std::size_t> out;
  for (const auto& f : findings) out.push_back(f.offset);
  return out;
}

}  // namespace

TEST_CASE("sort_findings: a hand-ordered example") {
  search::RuleSet rules(rules::load_default_pack());
  // Rule ids compare as strings, whatever the rules' indices in the pack.
  const std::uint32_t r021 = rule_index(rules, "ASW021");
  const std::uint32_t r101 = rule_index(rules, "ASW101");
  const std::uint32_t r110 = rule_index(rules, "ASW110");
  const std::vector<Finding> findings = {
      finding("b.py", 3, r110, 50, 0),   finding("a/x.py", 10, r101, 0, 1),
      finding("a/x.py", 9, r110, 75, 2), finding("b.py", 3, r021, 50, 3),
      finding("A.py", 1, r101, 0, 4),    finding("a.py", 2, r101, 75, 5),
      finding("a/x.py", 10, r101, 0, 6), finding("b.py", 3, r101, 50, 7),
  };
  // Paths: "A.py" < "a.py" < "a/x.py" < "b.py" ('.' is 0x2e, '/' is 0x2f); at b.py:3 the
  // rule ids order ASW021, ASW101, ASW110; serials 1 and 6 tie and keep their order.
  CHECK(sorted_serials(findings, rules, FindingOrder::location) ==
        std::vector<std::size_t>{4, 5, 2, 1, 6, 3, 7, 0});
  // Scores 75 (serials 5, 2 by location), 50 (3, 7, 0), 0 (4, 1, 6).
  CHECK(sorted_serials(findings, rules, FindingOrder::ranked) ==
        std::vector<std::size_t>{5, 2, 3, 7, 0, 4, 1, 6});
}

TEST_CASE("sort_findings orders like a stable sort by the documented key") {
  search::RuleSet rules(rules::load_default_pack());
  const std::vector<std::string> paths = {"b/x.py", "a/y.py", "a/y.py2", "b",
                                          "a/é.py", "A/z.py", "a/y.py"};
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<Finding> findings;
    std::size_t files = 1 + rng() % 6;
    std::size_t serial = 0;
    // Each file's findings arrive together, as a sweep hands them over; sometimes a path comes
    // twice (the same file named twice on the command line).
    for (std::size_t file = 0; file < files; ++file) {
      const std::string& path = paths[rng() % paths.size()];
      for (std::size_t k = 0, count = rng() % 8; k < count; ++k) {
        Finding f;
        f.path = path;
        f.line = 1 + rng() % 5;
        f.rule = static_cast<std::uint32_t>(rng() % rules.size());
        f.score = static_cast<int>(rng() % 4) * 25;
        f.offset = serial++;
        findings.push_back(std::move(f));
      }
    }
    for (auto order : {FindingOrder::location, FindingOrder::ranked}) {
      // The documented order, spelled out with std::tie rather than with finding_before.
      auto key = [&](const Finding& f) {
        return std::make_tuple(order == FindingOrder::ranked ? -f.score : 0,
                               std::string_view(f.path), f.line,
                               std::string_view(rules[f.rule].rule.id));
      };
      std::vector<Finding> expected = findings;
      std::stable_sort(expected.begin(), expected.end(),
                       [&](const auto& a, const auto& b) { return key(a) < key(b); });
      for (std::size_t i = 0; i + 1 < findings.size(); ++i) {
        REQUIRE(finding_before(findings[i], findings[i + 1], rules.order(), order) ==
                (key(findings[i]) < key(findings[i + 1])));
      }
      std::vector<Finding> ours = findings;
      sort_findings(ours, rules.order(), order);
      REQUIRE(identities(ours) == identities(expected));
    }
  }
}
