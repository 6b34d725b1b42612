// sort_findings must order exactly as a stable sort by finding_before does (the order
// `asyncsweep merge` re-sorts shards by), whatever the input order.
#include "result/finding_order.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
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
  for (const auto& f : findings) out.push_back({f.path, f.line, f.rule, f.score, f.offset});
  return out;
}

}  // namespace

TEST_CASE("sort_findings orders like a stable sort by finding_before") {
  search::RuleSet rules(rules::load_default_pack());
  const RuleOrder rule_order = rules.order();
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
      std::vector<Finding> expected = findings;
      std::stable_sort(expected.begin(), expected.end(), [&](const auto& a, const auto& b) {
        return finding_before(a, b, rule_order, order);
      });
      std::vector<Finding> ours = findings;
      sort_findings(ours, rule_order, order);
      REQUIRE(identities(ours) == identities(expected));
    }
  }
}
