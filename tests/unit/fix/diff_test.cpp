// --diff's unified diffs (src/fix/diff.hpp), checked against the project's own diff reader
// (change/diff.hpp, what --changed-lines reads) and by hand for the header arithmetic.
#include "fix/diff.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "change/diff.hpp"

using namespace asyncsweep;

namespace {

FixEdit edit_at(std::string_view text, std::string_view find, std::size_t length,
                std::string content) {
  FixEdit edit;
  edit.offset = text.find(find);
  edit.length = length;
  edit.content = std::move(content);
  return edit;
}

}  // namespace

TEST_CASE("fix diff: one hunk with three lines of context, paths as patch -p1 takes them") {
  FilePlan plan;
  plan.path = "./pkg/a.py";
  plan.original = "1\n2\n3\n4\nx = old\n6\n7\n8\n9\n";
  plan.edits.push_back(edit_at(plan.original, "old", 3, "new"));
  CHECK(fix::unified_diff(plan, fix::diff_path(plan.path, "/w")) ==
        "--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-x = old\n+x = new\n 6\n 7\n "
        "8\n");
}

TEST_CASE("fix diff: a removed line shifts the next hunk's new numbers; far edits make two hunks") {
  FilePlan plan;
  plan.path = "m.py";
  for (int i = 1; i <= 20; ++i) plan.original += "line" + std::to_string(i) + "\n";
  plan.edits.push_back(edit_at(plan.original, "line2\n", 6, ""));
  plan.edits.push_back(edit_at(plan.original, "line15", 6, "fifteen"));
  const std::string diff = fix::unified_diff(plan, "m.py");
  CHECK(diff.find("@@ -1,5 +1,4 @@\n line1\n-line2\n line3\n") != std::string::npos);
  CHECK(diff.find("@@ -12,7 +11,7 @@\n") != std::string::npos);
  auto files = change::parse_unified_diff(diff, "fix.diff");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "m.py");
}

TEST_CASE("fix diff: a last line without a line break is marked as diff -u marks it") {
  FilePlan plan;
  plan.path = "/w/m.py";
  plan.original = "a\nb = old";
  plan.edits.push_back(edit_at(plan.original, "old", 3, "new"));
  CHECK(fix::unified_diff(plan, fix::diff_path(plan.path, "/w")) ==
        "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a\n-b = old\n\\ No newline at end of file\n+b = "
        "new\n"
        "\\ No newline at end of file\n");
}
