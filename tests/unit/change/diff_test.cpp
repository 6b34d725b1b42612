// The unified-diff parser behind --changed-lines and --changed-since (src/change/diff.hpp):
// git's and GNU diff's shapes, odd headers, and the malformed diffs it must name by line.
#include "change/diff.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using namespace asyncsweep;
using Ranges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

namespace {

std::vector<change::ChangedFile> parse(const std::string& text) {
  return change::parse_unified_diff(text, "p.diff");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("diff: git --unified=0 hunks give the added lines of the new path") {
  auto files = parse(
      "diff --git a/pkg/a.py b/pkg/a.py\n"
      "index 1111111..2222222 100644\n"
      "--- a/pkg/a.py\n"
      "+++ b/pkg/a.py\n"
      "@@ -3 +3 @@ def f():\n"
      "-    x = 1\n"
      "+    x = 2\n"
      "@@ -10,0 +11,2 @@\n"
      "+a\n"
      "+b\n"
      "@@ -20,2 +22,0 @@\n"
      "-gone\n"
      "-gone too\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "pkg/a.py");
  CHECK(files[0].lines.ranges() == Ranges{{3, 3}, {11, 12}});
}

TEST_CASE("diff: context lines advance the new side, a No-newline marker counts as no line") {
  auto files = parse(
      "--- old/m.py\t2024-01-01 00:00:00\n"
      "+++ new/m.py\t2024-01-02 00:00:00\n"
      "@@ -1,4 +1,5 @@\n"
      " one\n"
      "-two\n"
      "+TWO\n"
      "+extra\n"
      "\n"  // a context line whose space an editor trimmed
      " four\n"
      "\\ No newline at end of file\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "m.py");  // -p1 and the timestamp after the tab dropped
  CHECK(files[0].lines.ranges() == Ranges{{2, 3}});
}

TEST_CASE("diff: renames follow the new path, deleted, binary and pure renames give nothing") {
  auto files = parse(
      "diff --git a/old name.py b/new name.py\n"
      "similarity index 90%\n"
      "rename from old name.py\n"
      "rename to new name.py\n"
      "--- a/old name.py\t\n"
      "+++ b/new name.py\t\n"
      "@@ -2 +2 @@\n"
      "-a\n"
      "+b\n"
      "diff --git a/gone.py b/gone.py\n"
      "deleted file mode 100644\n"
      "--- a/gone.py\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-x\n"
      "-y\n"
      "diff --git a/img.png b/img.png\n"
      "Binary files a/img.png and b/img.png differ\n"
      "diff --git a/p.py b/q.py\n"
      "similarity index 100%\n"
      "rename from p.py\n"
      "rename to q.py\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "new name.py");
  CHECK(files[0].lines.ranges() == Ranges{{2, 2}});
}

TEST_CASE("diff: a diff saved with CRLF line ends reads the same") {
  auto files = parse("--- a/w.py\r\n+++ b/w.py\r\n@@ -1,0 +2,2 @@\r\n+a\r\n+b\r\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "w.py");
  CHECK(files[0].lines.ranges() == Ranges{{2, 3}});
}

TEST_CASE("diff: git's C-quoted paths") {
  auto files = parse(
      "--- \"a/caf\\303\\251 \\\"q\\\".py\"\n"
      "+++ \"b/caf\\303\\251 \\\"q\\\".py\"\n"
      "@@ -0,0 +1 @@\n"
      "+x\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].path == "caf\xc3\xa9 \"q\".py");
  std::string out;
  CHECK(change::unquote_git_path("\"tab\\there\"", out));
  CHECK(out == "tab\there");
  CHECK_FALSE(change::unquote_git_path("\"bad\\9\"", out));
  CHECK_FALSE(change::unquote_git_path("\"open", out));
}

TEST_CASE("diff: a path seen twice has its lines merged, prose around patches is skipped") {
  auto files = parse(
      "From abc Mon Sep 17 00:00:00 2001\n"
      "Subject: [PATCH] +++ not a header inside a message? no: only at a line start\n"
      "--- a/a.py\n+++ b/a.py\n@@ -5 +5,2 @@\n-x\n+y\n+z\n"
      "-- \n2.39.2\n"
      "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-p\n+q\n");
  REQUIRE(files.size() == 1);
  CHECK(files[0].lines.ranges() == Ranges{{1, 1}, {5, 6}});
}

TEST_CASE("diff: malformed diffs are named by file and line") {
  CHECK(error_of("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n") ==
        "p.diff:4: malformed diff: the diff ends inside a hunk (its header promised more lines)");
  CHECK(error_of("@@ -1 +1 @@\n-a\n+b\n") ==
        "p.diff:1: malformed diff: a hunk before any `+++` file header");
  CHECK(error_of("--- a/x\n+++ b/x\n@@ -1 +x @@\n")
            .starts_with("p.diff:3: malformed diff: bad hunk header"));
  CHECK(
      error_of("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n*b\n") ==
      "p.diff:5: malformed diff: a line inside a hunk starts with `*`, not ' ', '+', '-' or '\\'");
  CHECK(error_of("--- a/x\n+++ b/x\n@@ -1 +1 @@\n+a\n+b\n") ==
        "p.diff:5: malformed diff: more added lines than the hunk header counts");
  CHECK(error_of("--- a/x\n+++ \"b/x\n") ==
        "p.diff:2: malformed diff: a quoted path that does not end or has a bad escape");
  CHECK(parse("").empty());
  CHECK(parse("\n  \n").empty());  // an empty diff: nothing changed
}

TEST_CASE("diff: what is not a unified diff is an error, never 'nothing changed'") {
  const std::string not_a_diff =
      "p.diff:1: malformed diff: no `--- a/PATH` / `+++ b/PATH` file header: this is not a unified diff "
      "(`git diff --stat` and `--name-only` output are not)";
  CHECK(error_of("garbage\n") == not_a_diff);
  CHECK(error_of(" a.py | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n") == not_a_diff);  // --stat
  CHECK(error_of("a.py\nb/c.py\n") == not_a_diff);                                                  // --name-only
  CHECK(error_of("diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n") ==
        "p.diff:3: malformed diff: a `---` file header without its `+++` line (is the diff cut short?)");
  // git's headers of changes without hunks are a diff, with nothing added.
  CHECK(parse("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n").empty());
}

TEST_CASE("line ranges: merged, whole files, intersection with multi-line findings") {
  change::LineRanges lines;
  lines.add(10, 12);
  lines.add(1, 1);
  lines.add(13, 13);  // adjacent: merged
  lines.add(5, 6);
  lines.add(2, 5);  // bridges 1 and 5..6
  CHECK(lines.ranges() == Ranges{{1, 6}, {10, 13}});
  CHECK(lines.intersects(7, 10));
  CHECK_FALSE(lines.intersects(7, 9));
  CHECK_FALSE(lines.intersects(14, 20));
  CHECK(lines.intersects(0, 1));
  const change::LineRanges whole = change::LineRanges::whole_file();
  CHECK(whole.intersects(1000, 1000));
  lines.add(whole);
  CHECK(lines.whole());
}
