// The triage stage (src/triage): each stage's effect, its counter, and the order of the stages
// (inline suppressions, --min-score, order and --top, per-file-ignores, baseline).
#include "triage/triage.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "report/baseline.hpp"
#include "rules/rule.hpp"

using namespace asyncsweep;

namespace {

search::RuleSet triage_rules() {
  return search::RuleSet(rules::parse_pack(R"(
[[rule]]
id = "T1"
title = "open"
category = "blocking-io"
regex = 'open\('
severity = "high"

[[rule]]
id = "T2"
title = "sleep"
category = "context-manager"
regex = 'sleep\('
severity = "medium"
)",
                                           "triage.toml"));
}

Finding finding(std::uint32_t rule, const std::string& path, std::uint32_t line, int score,
                const std::string& suppressed_by = "") {
  Finding f;
  f.rule = rule;
  f.path = path;
  f.line = f.end_line = line;
  f.column = 1;
  f.text = "open(x)  # " + path + ":" + std::to_string(line);
  f.score = score;
  if (!suppressed_by.empty()) f.features.edit().suppressed_by = suppressed_by;
  return f;
}

std::vector<std::string> where(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.path + ":" + std::to_string(f.line));
  return out;
}

triage::TriageOptions options_with(int min_score, std::size_t top = 0) {
  triage::TriageOptions options;
  options.min_score = min_score;
  options.top = top;
  return options;
}

}  // namespace

TEST_CASE("triage_file: inline suppressions come first, then --min-score") {
  std::vector<Finding> findings = {
      finding(0, "a.py", 1, 90),
      finding(0, "a.py", 2, 10, "# asyncsweep: ignore"),  // suppressed and below min-score
      finding(0, "a.py", 3, 29),
      finding(0, "a.py", 4, 30),
      finding(1, "a.py", 5, 80, "# asyncsweep: ignore[T2]"),
  };
  std::vector<Finding> suppressed;
  std::uint64_t below = 0;
  std::uint64_t outside = 0;
  triage::triage_file(findings, triage_rules(), options_with(30), nullptr, suppressed, below, outside);
  CHECK(where(findings) == std::vector<std::string>{"a.py:1", "a.py:4"});  // 30 is not below 30
  CHECK(where(suppressed) == std::vector<std::string>{"a.py:2", "a.py:5"});
  CHECK(below == 1);  // the suppressed 10 counts as suppressed only
}

TEST_CASE("triage_file: stage 0 keeps findings on changed lines only, before suppressions") {
  auto changed = std::make_shared<change::ChangedLines>();
  (*changed)["a.py"].add(3, 4);
  (*changed)["new.py"] = change::LineRanges::whole_file();
  triage::TriageOptions options = options_with(30);
  options.changed = changed;
  Finding multi_line = finding(0, "a.py", 1, 90);
  multi_line.end_line = 3;  // its last line is changed: it intersects
  std::vector<Finding> findings = {
      finding(0, "a.py", 2, 90),
      multi_line,
      finding(0, "a.py", 4, 90, "# asyncsweep: ignore"),
      finding(0, "a.py", 5, 10, "# asyncsweep: ignore"),  // outside and suppressed: outside
      finding(0, "b.py", 3, 90),                          // a file the change did not touch
      finding(0, "new.py", 700, 90),
  };
  std::vector<Finding> suppressed;
  std::uint64_t below = 0;
  std::uint64_t outside = 0;
  triage::triage_file(findings, triage_rules(), options, nullptr, suppressed, below, outside);
  CHECK(where(findings) == std::vector<std::string>{"a.py:1", "new.py:700"});
  CHECK(where(suppressed) == std::vector<std::string>{"a.py:4"});
  CHECK(outside == 3);
  CHECK(below == 0);
}

TEST_CASE("triage_file: --seed-exact hides nothing") {
  std::vector<Finding> findings = {finding(0, "a.py", 1, 0), finding(0, "a.py", 2, 5, "# noqa")};
  std::vector<Finding> suppressed;
  std::uint64_t below = 0;
  std::uint64_t outside = 0;
  triage::TriageOptions options = options_with(30);
  options.seed_exact = true;
  pyconfig::ProjectConfig project;
  project.path = "/repo/pyproject.toml";
  project.per_file_ignores = {{"*.py", {"T1"}}};
  project.select = {"T2"};
  triage::triage_file(findings, triage_rules(), options, &project, suppressed, below, outside);
  CHECK(findings.size() == 2);
  CHECK(suppressed.empty());
  CHECK(below == 0);
}

TEST_CASE("triage_file: the file's configuration selects rules, sets min-score, per-file-ignores last") {
  auto rules = triage_rules();
  auto findings_of = [] {
    return std::vector<Finding>{finding(0, "gen_x.py", 1, 95), finding(1, "gen_x.py", 2, 95),
                                finding(1, "gen_x.py", 3, 45), finding(1, "gen_x.py", 4, 10, "# asyncsweep: ignore"),
                                finding(1, "gen_x.py", 5, 60)};
  };
  pyconfig::ProjectConfig project;
  project.path = "/repo/pyproject.toml";
  project.select = {"context-manager"};  // T2 only
  project.min_score = 50;
  project.per_file_ignores = {{"*.py", {"T1"}}};
  std::vector<Finding> findings = findings_of();
  std::vector<Finding> suppressed;
  std::uint64_t below = 0;
  std::uint64_t outside = 0;
  triage::TriageOptions options = options_with(30);
  triage::triage_file(findings, rules, options, &project, suppressed, below, outside);
  // T1 is not selected: gone, uncounted. 45 is below the file's 50. The T1 ignore is moot.
  CHECK(where(findings) == std::vector<std::string>{"gen_x.py:2", "gen_x.py:5"});
  CHECK(where(suppressed) == std::vector<std::string>{"gen_x.py:4"});
  CHECK(below == 1);

  // Per-file-ignores come after min-score, and name the file they came from.
  project.per_file_ignores = {{"gen_*.py", {"context-manager"}}};
  findings = findings_of();
  suppressed.clear();
  below = 0;
  triage::triage_file(findings, rules, options, &project, suppressed, below, outside);
  CHECK(findings.empty());
  CHECK(where(suppressed) == std::vector<std::string>{"gen_x.py:2", "gen_x.py:4", "gen_x.py:5"});
  CHECK(suppressed[0].features->suppressed_by == "per-file-ignores in /repo/pyproject.toml");
  CHECK(below == 1);

  // The command line wins: --select given (the pack is narrowed already), --min-score given.
  options.select_given = true;
  options.min_score_given = true;
  project.per_file_ignores.clear();
  findings = findings_of();
  suppressed.clear();
  below = 0;
  triage::triage_file(findings, rules, options, &project, suppressed, below, outside);
  CHECK(where(findings) == std::vector<std::string>{"gen_x.py:1", "gen_x.py:2", "gen_x.py:3", "gen_x.py:5"});
  CHECK(below == 0);
}

TEST_CASE("triage: --top on what is left, in ranked order") {
  auto rules = triage_rules();
  SweepResult result;
  result.findings = {finding(0, "b.py", 1, 50), finding(1, "a.py", 3, 70), finding(0, "a.py", 3, 70),
                     finding(0, "c.py", 2, 40)};
  triage::TriageOptions options = options_with(30, 3);
  triage::triage_sweep(result, rules, options);
  // Score descending, then path, line, rule id.
  CHECK(where(result.findings) == std::vector<std::string>{"a.py:3", "a.py:3", "b.py:1", "c.py:2"});
  CHECK(result.findings[0].rule == 0);  // T1 before T2 at one line
  triage::triage_top(result, rules, options);
  CHECK(where(result.findings) == std::vector<std::string>{"a.py:3", "a.py:3", "b.py:1"});
  CHECK(result.beyond_top == 1);
}

TEST_CASE("triage: --sort path, and --seed-exact neither cuts nor ignores") {
  auto rules = triage_rules();
  SweepResult result;
  result.findings = {finding(0, "b.py", 1, 90), finding(0, "a.py", 2, 10),
                     finding(0, "a.py", 1, 50)};
  triage::TriageOptions options = options_with(0, 2);
  options.order = FindingOrder::location;
  SweepResult by_path = result;
  triage::triage_sweep(by_path, rules, options);
  triage::triage_top(by_path, rules, options);
  // The 2 best scores (90, 50), then in path order: --sort orders, it does not choose.
  CHECK(where(by_path.findings) == std::vector<std::string>{"a.py:1", "b.py:1"});
  CHECK(by_path.beyond_top == 1);

  options.seed_exact = true;
  options.order = FindingOrder::ranked;
  triage::triage_sweep(result, rules, options);
  triage::triage_top(result, rules, options);
  CHECK(where(result.findings) == std::vector<std::string>{"a.py:1", "a.py:2", "b.py:1"});
  CHECK(result.beyond_top == 0);
  CHECK(result.suppressed.empty());
}

TEST_CASE("triage_baseline: hides what the baseline knows, as often as it knows it") {
  auto rules = triage_rules();
  SweepResult result;
  Finding known = finding(0, "a.py", 4, 80);
  known.text = "open(path)";
  Finding copy = known;
  copy.line = copy.end_line = 9;
  result.findings = {known, finding(1, "a.py", 5, 60), copy};
  report::Baseline baseline;
  baseline.origin = "baseline.json";
  baseline.counts[{"T1", "a.py", report::finding_text_hash(known)}] = 1;
  triage::triage_baseline(result, rules, baseline, "");
  CHECK(where(result.findings) == std::vector<std::string>{"a.py:5", "a.py:9"});
  CHECK(result.baselined == 1);
}

// The join's findings (transitive/join) are triaged after the walk, and in `merge` without the
// tree, from what file_triage recorded where the file was swept: for every combination of the
// settings below, that must hide, count and label exactly what triage_file (and then
// --exclude-tests) does.
TEST_CASE("triage_joined with file_triage decides as triage_file and --exclude-tests do") {
  const auto rules = triage_rules();
  const std::string path = "pkg/gen_x.py";
  auto findings_of = [&](std::uint32_t rule) {
    std::vector<Finding> out;
    int n = 0;
    for (int score : {10, 49, 50, 95}) {
      for (bool suppressed : {false, true}) {
        for (bool test_file : {false, true}) {
          const std::uint32_t line = static_cast<std::uint32_t>(++n);
          Finding f = finding(rule, path, line, score, suppressed ? "# asyncsweep: ignore" : "");
          if (n % 3 == 0) f.end_line = line + 2;  // reaches into the next changed range
          f.features.edit().test_file = test_file;
          out.push_back(std::move(f));
        }
      }
    }
    return out;
  };
  std::vector<std::shared_ptr<const change::ChangedLines>> changes = {nullptr};
  for (int variant = 0; variant < 3; ++variant) {
    auto changed = std::make_shared<change::ChangedLines>();
    if (variant == 0) (*changed)[path].add(3, 5), (*changed)[path].add(9, 9);
    if (variant == 1) (*changed)[path] = change::LineRanges::whole_file();
    if (variant == 2) (*changed)["other.py"].add(1, 100);
    changes.push_back(changed);
  }
  std::vector<std::optional<pyconfig::ProjectConfig>> configs = {std::nullopt};
  for (int variant = 0; variant < 6; ++variant) {
    pyconfig::ProjectConfig project;
    project.path = "/repo/pyproject.toml";
    if (variant == 1) project.select = {"context-manager"};
    if (variant == 2) project.ignore = {"T1"};
    if (variant == 3) project.min_score = 50;
    if (variant == 4) project.per_file_ignores = {{"gen_*.py", {"T1", "T2"}}};
    if (variant == 5) project.per_file_ignores = {{"other_*.py", {"T1"}}}, project.min_score = 11;
    configs.push_back(project);
  }
  // Every stage must hide something somewhere in the grid, or the comparison proves little.
  std::uint64_t kept = 0, by_config = 0, per_file = 0, below = 0, outside = 0, excluded = 0;
  for (std::uint32_t rule : {0u, 1u}) {
    for (const auto& changed : changes) {
      for (const auto& config : configs) {
        for (int flags = 0; flags < 16; ++flags) {
          triage::TriageOptions options = options_with(30);
          options.changed = changed;
          options.exclude_tests = (flags & 1) != 0;
          options.select_given = (flags & 2) != 0;
          options.ignore_given = (flags & 2) != 0;
          options.min_score_given = (flags & 4) != 0;
          options.min_score = (flags & 8) != 0 ? 0 : 30;
          const pyconfig::ProjectConfig* project = config ? &*config : nullptr;

          SweepResult expected;
          expected.findings = findings_of(rule);
          triage::triage_file(expected.findings, rules, options, project, expected.suppressed,
                              expected.below_min_score, expected.outside_change);
          if (options.exclude_tests) {
            const auto before = expected.findings.size();
            std::erase_if(expected.findings,
                          [](const Finding& f) { return f.features->test_file; });
            expected.excluded_tests = before - expected.findings.size();
          }

          SweepResult joined;
          std::vector<Finding> findings = findings_of(rule);
          triage::triage_joined(
              findings, triage::file_triage(rules[rule].rule, path, options, project), joined);
          INFO("rule " << rule << ", change " << (changed ? changed->size() : 0) << ", config "
                       << (config ? "yes" : "none") << ", flags " << flags);
          CHECK(where(findings) == where(expected.findings));
          CHECK(where(joined.suppressed) == where(expected.suppressed));
          for (std::size_t i = 0;
               i < std::min(joined.suppressed.size(), expected.suppressed.size()); ++i)
            CHECK(joined.suppressed[i].features->suppressed_by ==
                  expected.suppressed[i].features->suppressed_by);
          CHECK(joined.below_min_score == expected.below_min_score);
          CHECK(joined.outside_change == expected.outside_change);
          CHECK(joined.excluded_tests == expected.excluded_tests);
          kept += expected.findings.size();
          by_config += findings_of(rule).size() - expected.findings.size() -
                       expected.suppressed.size() - expected.below_min_score -
                       expected.outside_change - expected.excluded_tests;
          per_file += std::count_if(
              expected.suppressed.begin(), expected.suppressed.end(), [](const Finding& f) {
                return f.features->suppressed_by.starts_with("per-file-ignores");
              });
          below += expected.below_min_score;
          outside += expected.outside_change;
          excluded += expected.excluded_tests;
        }
      }
    }
  }
  CHECK(kept > 0);
  CHECK(by_config > 0);
  CHECK(per_file > 0);
  CHECK(below > 0);
  CHECK(outside > 0);
  CHECK(excluded > 0);
}
