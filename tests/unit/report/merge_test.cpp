#include "report/merge.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "report/output.hpp"
#include "result/finding_order.hpp"
#include "rules/rule.hpp"
#include "triage/triage.hpp"

using namespace asyncsweep;

namespace {

search::RuleSet merge_rules() {
  return search::RuleSet(rules::parse_pack(R"(
[[rule]]
id = "M1"
title = "open"
category = "blocking-io"
regex = 'open\('
severity = "high"

[[rule]]
id = "M2"
title = "sleep"
category = "blocking-io"
regex = 'sleep\('
severity = "medium"

[[rule]]
id = "M9"
title = "count"
category = "inventory"
kind = "inventory"
regex = 'async'
severity = "info"
)",
                                           "merge.toml"));
}

Finding finding(std::uint32_t rule, const std::string& path, std::uint32_t line,
                        int score = 50) {
  Finding f;
  f.rule = rule;
  f.path = path;
  f.line = f.end_line = line;
  f.column = 1;
  f.end_column = 5;
  f.text = "open(x)";
  f.score = score;
  f.reasons = {"because"};
  return f;
}

// One shard's --format json output.
std::string shard_output(std::vector<Finding> findings, std::uint32_t index,
                         std::uint32_t count, const search::RuleSet& rules,
                         std::vector<SweepError> errors = {}, std::uint64_t walked = 1) {
  SweepResult result;
  result.findings = std::move(findings);
  result.errors = std::move(errors);
  result.stats.files_walked = walked;
  result.stats.files_scanned = walked;
  result.stats.files_other_shards = 7;
  result.stats.ignored_dirs[0] = index == 0 ? 2 : 0;
  result.stats.matched_lines = {0, 0, 3 + index};
  result.stats.elapsed_seconds = 1.0 + index;
  if (count != 0) result.stats.shard = ShardSpec{index, count};
  std::string out;
  report::print_json(result, rules, out);
  return out;
}

std::string merge_error(const std::vector<report::MergeInput>& inputs,
                        const search::RuleSet& rules) {
  try {
    report::merge_shards(inputs, rules);
  } catch (const report::MergeError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("merge: shards come back as one result, sorted, with counts added") {
  auto rules = merge_rules();
  std::vector<report::MergeInput> inputs = {
      {"s1", shard_output({finding(0, "b.py", 3), finding(1, "d.py", 1)}, 1, 3, rules)},
      {"s0", shard_output({finding(1, "a.py", 9), finding(0, "c.py", 2)}, 0, 3, rules)},
      {"s2", shard_output({finding(1, "a.py", 2, 90), finding(0, "a.py", 9)}, 2, 3, rules)},
  };
  SweepResult merged = report::merge_shards(inputs, rules);
  std::vector<std::pair<std::string, std::uint32_t>> order;
  for (const auto& f : merged.findings)
    order.emplace_back(f.path + ":" + rules[f.rule].rule.id, f.line);
  CHECK(order == std::vector<std::pair<std::string, std::uint32_t>>{{"a.py:M2", 2},
                                                                    {"a.py:M1", 9},
                                                                    {"a.py:M2", 9},
                                                                    {"b.py:M1", 3},
                                                                    {"c.py:M1", 2},
                                                                    {"d.py:M2", 1}});
  CHECK(merged.findings[0].score == 90);
  CHECK(merged.findings[0].reasons == std::vector<std::string>{"because"});
  CHECK(merged.stats.files_walked == 3);
  CHECK(merged.stats.ignored_dirs[0] == 2);
  CHECK(merged.stats.matched_lines == std::vector<std::uint64_t>{0, 0, 3 + 4 + 5});
  CHECK(merged.stats.elapsed_seconds == 3.0);  // the slowest shard
  CHECK(merged.stats.files_other_shards == 0);
  CHECK(!merged.stats.shard.active());
  CHECK(merged.stats.shards_merged == 3);

  // Printed again, it reads like one sweep: findings then a summary without a shard record.
  std::string out;
  report::print_json(merged, rules, out);
  CHECK_THAT(out, Catch::Contains("\"shards_merged\":3"));
  CHECK_THAT(out, !Catch::Contains("\"shard\":"));
  CHECK_THAT(out, Catch::Contains("\"findings_by_rule\":{\"M1\":3,\"M2\":3}"));
}

TEST_CASE("merge: one input may hold several shard outputs (GNU parallel's stdout)") {
  auto rules = merge_rules();
  std::string all =
      shard_output({finding(0, "x.py", 1)}, 1, 2, rules) + shard_output({}, 0, 2, rules);
  auto merged = report::merge_shards({{"all.jsonl", all}}, rules);
  CHECK(merged.findings.size() == 1);
  CHECK(merged.stats.shards_merged == 2);
}

TEST_CASE("merge: an unsharded output is shard 0 of 1") {
  auto rules = merge_rules();
  auto merged =
      report::merge_shards({{"one", shard_output({finding(0, "x.py", 1)}, 0, 0, rules)}}, rules);
  CHECK(merged.findings.size() == 1);
  CHECK(merged.stats.shards_merged == 1);
}

TEST_CASE("merge: missing, duplicated and mismatched shards are named") {
  auto rules = merge_rules();
  auto s = [&](std::uint32_t i, std::uint32_t n) { return shard_output({}, i, n, rules); };
  CHECK(merge_error({{"a", s(0, 4)}, {"b", s(2, 4)}}, rules) ==
        "merge: shards 1/4, 3/4 are missing");
  CHECK(merge_error({{"a", s(0, 2)}}, rules) == "merge: shard 1/2 is missing");
  CHECK(merge_error({{"a", s(0, 2)}, {"b", s(1, 2)}, {"c", s(1, 2)}}, rules) ==
        "merge: shard 1/2 is duplicated: b:1, c:1");
  CHECK(merge_error({{"a", s(0, 3)}, {"b", s(1, 3)}, {"c", s(1, 3)}}, rules) ==
        "merge: shard 2/3 is missing; shard 1/3 is duplicated: b:1, c:1");
  CHECK_THAT(merge_error({{"a", s(0, 2)}, {"b", s(1, 3)}}, rules),
             Catch::Contains("different shard counts: 2 shards (a:1); 3 shards (b:1)"));
  CHECK_THAT(merge_error({{"a", s(0, 2)}, {"b", s(0, 0)}}, rules),
             Catch::Contains("unsharded (b:1)"));
}

TEST_CASE("merge: output that is cut short or not ours is an error naming file and line") {
  auto rules = merge_rules();
  std::string whole = shard_output({finding(0, "x.py", 1), finding(0, "y.py", 1)}, 0, 1, rules);
  std::string first_line = whole.substr(0, whole.find('\n') + 1);
  CHECK_THAT(merge_error({{"f", first_line}}, rules),
             Catch::Contains("f: 1 record(s) after the last summary"));
  CHECK_THAT(
      merge_error({{"f", whole.substr(whole.find('\n') + 1)}}, rules),
      Catch::Contains("f:2: the summary counts 2 findings but 1 finding records precede it"));
  CHECK_THAT(merge_error({{"f", whole.substr(0, whole.size() - 10)}}, rules),
             Catch::Contains("f:3: not a JSON object"));
  CHECK_THAT(merge_error({{"f", ""}}, rules), Catch::Contains("f: no summary record"));
  CHECK_THAT(merge_error({{"f", "{\"type\":\"inventory\"}\n" + whole}}, rules),
             Catch::Contains("f:1: record type 'inventory' cannot be merged"));
  // Another rule set: ids are resolved against the one merge loaded.
  auto other = search::RuleSet(
      rules::parse_pack("[[rule]]\nid = 'Z'\ntitle = 'z'\ncategory = 'blocking-io'\n"
                        "regex = 'z'\nseverity = 'low'\n",
                        "other.toml"));
  CHECK_THAT(merge_error({{"f", whole}}, other),
             Catch::Contains("f:1: rule 'M1' is not in the loaded rule set"));
}

TEST_CASE("merge: a walk error every shard saw is kept once; file errors are concatenated") {
  auto rules = merge_rules();
  SweepError walk_error{"/gone", "", "No such file or directory"};
  std::vector<report::MergeInput> inputs = {
      {"a", shard_output({}, 0, 2, rules, {walk_error, {"a.py", "", "Permission denied"}})},
      {"b", shard_output({}, 1, 2, rules,
                         {walk_error,
                          {"b.py", "M1", "match limit exceeded"},
                          {"b.py", "M1", "match limit exceeded"}})},
  };
  auto merged = report::merge_shards(inputs, rules);
  REQUIRE(merged.errors.size() == 4);
  CHECK(merged.errors[0].path == "/gone");
  CHECK(merged.errors[1].path == "a.py");
  CHECK(merged.errors[2].rule == "M1");
  CHECK(merged.errors[3].rule == "M1");
}

TEST_CASE("merge: bytes that are not UTF-8 survive the round trip") {
  auto rules = merge_rules();
  auto f = finding(0, "caf\xe9.py", 1);
  f.text = "open(\xff)";
  auto merged =
      report::merge_shards({{"a", shard_output({f}, 0, 1, rules, {{"d\xfe", "", "x"}})}}, rules);
  REQUIRE(merged.findings.size() == 1);
  CHECK(merged.findings[0].path == "caf\xe9.py");
  CHECK(merged.findings[0].text == "open(\xff)");
  CHECK(merged.errors[0].path == "d\xfe");
}

TEST_CASE("merge: the shards' order is the one asked for, or merge says so") {
  auto rules = merge_rules();
  // By path (--sort path): a.py before z.py though z.py scores higher.
  std::vector<report::MergeInput> inputs = {
      {"a", shard_output({finding(0, "a.py", 1, 10), finding(0, "z.py", 1, 90)}, 0, 2, rules)},
      {"b", shard_output({finding(0, "m.py", 1, 50)}, 1, 2, rules)},
  };
  CHECK_THAT(merge_error(inputs, rules),
             Catch::Contains("a:3: the shard's findings are not in score order"));
  auto merged = report::merge_shards(inputs, rules, {FindingOrder::location});
  std::vector<std::string> paths;
  for (const auto& f : merged.findings) paths.push_back(f.path.str());
  CHECK(paths == std::vector<std::string>{"a.py", "m.py", "z.py"});
}

TEST_CASE("merge: ranked shard outputs stay ranked") {
  auto rules = merge_rules();
  // Each shard's findings are in score order (as a ranking scorer would leave them).
  std::vector<report::MergeInput> inputs = {
      {"a", shard_output({finding(0, "z.py", 1, 90), finding(0, "a.py", 1, 10)}, 0, 2, rules)},
      {"b", shard_output({finding(0, "m.py", 1, 50)}, 1, 2, rules)},
  };
  auto merged = report::merge_shards(inputs, rules);
  std::vector<int> scores;
  for (const auto& f : merged.findings) scores.push_back(f.score);
  CHECK(scores == std::vector<int>{90, 50, 10});
  CHECK(finding_before(finding(0, "z.py", 1, 90), finding(0, "a.py", 1, 10),
                       rules.order(), FindingOrder::ranked));
  CHECK(!finding_before(finding(0, "z.py", 1, 90), finding(0, "a.py", 1, 10), rules.order()));
}

TEST_CASE("merge: suppressed findings, unused suppressions, dropped counts and --top") {
  auto rules = merge_rules();
  auto output = [&](std::uint32_t index, std::vector<Finding> findings,
                    std::uint64_t below) {
    SweepResult result;
    result.findings = std::move(findings);
    auto hidden = finding(0, fmt::format("s{}.py", index), 4);
    hidden.features.edit().suppressed_by = "# asyncsweep: ignore";
    result.suppressed.push_back(hidden);
    result.unused_suppressions.push_back({fmt::format("u{}.py", index), 2, "# noqa"});
    result.below_min_score = below;
    result.beyond_top = 1;
    result.stats.matched_lines = {0, 0, 0};
    result.stats.shard = ShardSpec{index, 2};
    std::string out;
    report::print_json(result, rules, out);
    return out;
  };
  std::vector<report::MergeInput> inputs = {
      {"a", output(0, {finding(0, "a.py", 1, 80), finding(0, "b.py", 1, 40)}, 3)},
      {"b", output(1, {finding(0, "c.py", 1, 60), finding(0, "d.py", 1, 20)}, 4)},
  };
  CHECK_THAT(inputs[0].text, Catch::Contains("\"type\":\"suppressed\""));
  // The shards were cut with --top: merge must be told so, or it refuses.
  CHECK_THROWS_WITH(report::merge_shards(inputs, rules), Catch::Contains("a:") && Catch::Contains("cut with --top"));
  report::MergeOptions told;
  told.top_given = true;
  auto merged = report::merge_shards(inputs, rules, told);
  // --top is triage's last stage, after a merge as after a sweep.
  triage::TriageOptions top;
  top.top = 3;
  triage::triage_top(merged, rules, top);
  std::vector<std::string> paths;
  for (const auto& f : merged.findings) paths.push_back(f.path.str());
  CHECK(paths == std::vector<std::string>{"a.py", "c.py", "b.py"});  // ranked, cut to 3
  CHECK(merged.beyond_top == 1 + 1 + 1);
  CHECK(merged.below_min_score == 7);
  REQUIRE(merged.suppressed.size() == 2);
  CHECK(merged.suppressed[0].path == "s0.py");
  CHECK(merged.suppressed[1].features->suppressed_by == "# asyncsweep: ignore");
  REQUIRE(merged.unused_suppressions.size() == 2);
  CHECK(merged.unused_suppressions[1].path == "u1.py");
  // The merged output is a whole result: it counts the suppressed findings, lists none.
  std::string out;
  report::print_json(merged, rules, out);
  CHECK_THAT(out, !Catch::Contains("\"type\":\"suppressed\""));
  CHECK_THAT(out, Catch::Contains("\"suppressed\":2"));
  // ... so it cannot be merged again without losing them, and merge says so.
  CHECK_THAT(merge_error({{"m", out}}, rules), Catch::Contains("counted but not listed"));
}
