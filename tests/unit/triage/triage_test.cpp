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
