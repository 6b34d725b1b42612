// keep_fixes_of: a plan keeps the edits of shown findings only, one plan per file.
#include "result/fix_plan.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace asyncsweep;

namespace {

FixEdit edit_for(std::uint32_t rule, std::uint32_t line, std::uint32_t column, std::uint64_t offset) {
  FixEdit edit;
  edit.rule = rule;
  edit.finding_line = line;
  edit.finding_column = column;
  edit.offset = offset;
  edit.content = "x" + std::to_string(offset);
  return edit;
}

Finding shown(const char* path, std::uint32_t rule, std::uint32_t line, std::uint32_t column) {
  Finding finding;
  finding.path = path;
  finding.rule = rule;
  finding.line = line;
  finding.column = column;
  return finding;
}

}  // namespace

TEST_CASE("keep_fixes_of keeps the edits of shown findings, by path, rule, line and column") {
  std::vector<FilePlan> plans;
  plans.push_back({"b.py", "", {edit_for(1, 3, 5, 10), edit_for(1, 4, 5, 20), edit_for(2, 4, 5, 21)}});
  plans.push_back({"a.py", "", {edit_for(1, 3, 5, 7)}});
  plans.push_back({"c.py", "", {edit_for(1, 1, 1, 0)}});
  // The same key in another file, another rule or column does not keep an edit.
  const std::vector<Finding> findings = {shown("b.py", 2, 4, 5), shown("b.py", 1, 3, 5), shown("a.py", 1, 3, 6),
                                         shown("d.py", 1, 1, 1), shown("b.py", 1, 3, 5)};
  keep_fixes_of(plans, findings);
  REQUIRE(plans.size() == 1);  // a.py's and c.py's edits had no shown finding: plans dropped
  CHECK(plans[0].path == "b.py");
  REQUIRE(plans[0].edits.size() == 2);
  CHECK(plans[0].edits[0].content == "x10");  // in their order, the unshown one gone
  CHECK(plans[0].edits[1].content == "x21");
  CHECK(count_fixes(plans) == 2);
}

TEST_CASE("keep_fixes_of with no findings drops every plan") {
  std::vector<FilePlan> plans;
  plans.push_back({"a.py", "", {edit_for(1, 3, 5, 7)}});
  keep_fixes_of(plans, {});
  CHECK(plans.empty());
}
