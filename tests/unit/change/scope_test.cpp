// change/scope.hpp: a change's paths (below the diff's base) as the walker displays them below
// each root as given, with the directories on the way.
#include "change/scope.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "temp_tree.hpp"

using namespace asyncsweep;

TEST_CASE("scope: changed files below each root, named as the walker names them") {
  test_support::TempTree tree;
  tree.write("src/pkg/a.py", "x\n");
  tree.write("src/b.py", "x\n");
  tree.write("docs/c.py", "x\n");
  std::filesystem::create_directory_symlink(tree.root / "src", tree.root / "link");
  change::LineRanges lines;
  lines.add(2, 3);
  const std::vector<change::ChangedFile> files = {
      {"src/pkg/a.py", lines}, {"src/b.py", lines}, {"docs/c.py", lines}, {"gone/d.py", lines}};
  const std::string base = tree.root.string();
  const std::string src = base + "/src";

  auto scope = change::scope_for_roots(base, files, {src + "/", base + "/link", src + "/b.py"});
  CHECK(scope.walk->files ==
        std::unordered_set<std::string>{src + "/pkg/a.py", src + "/b.py",  // root "src/"
                                        base + "/link/pkg/a.py",
                                        base + "/link/b.py"});  // through the link
  CHECK(scope.walk->directories ==
        std::unordered_set<std::string>{src + "/pkg", base + "/link/pkg"});
  REQUIRE(scope.lines->count(src + "/b.py") == 1);
  CHECK(scope.lines->at(src + "/b.py").ranges() == lines.ranges());
  CHECK(scope.lines->count(base + "/docs/c.py") == 0);  // below no root

  // A root that is itself a changed file keeps its name; one the change did not touch is empty.
  scope = change::scope_for_roots(base, files, {src + "/b.py", base + "/missing"});
  CHECK(scope.walk->files == std::unordered_set<std::string>{src + "/b.py"});
  CHECK(scope.walk->directories.empty());
}
