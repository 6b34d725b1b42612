// pyconfig/config_tree: which configuration each file follows (Ruff's hierarchical lookup) and
// what its exclude globs take out.
#include "pyconfig/config_tree.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "temp_tree.hpp"

using namespace asyncsweep::pyconfig;

using Tree = asyncsweep::test_support::TempTree;

namespace {

std::string origin(const ConfigTree& tree, const std::string& file) {
  ConfigLookup lookup = tree.for_file(file);
  REQUIRE(lookup.error.empty());
  return lookup.config ? lookup.config->config.path : "";
}

}  // namespace

TEST_CASE(
    "config tree: nearest file wins, asyncsweep.toml before pyproject.toml, git top ends it") {
  Tree t;
  const std::string outer = t.write("pyproject.toml", "[tool.asyncsweep]\nselect = [\"ASW106\"]\n");
  t.write("repo/.git/HEAD", "");
  const std::string repo = t.write("repo/pyproject.toml", "[tool.asyncsweep]\nmin-score = 10\n");
  t.write("repo/sub/pyproject.toml", "[project]\nname = 'no table'\n");
  const std::string own = t.write("repo/own/asyncsweep.toml", "min-score = 20\n");
  t.write("repo/own/pyproject.toml", "[tool.asyncsweep]\nmin-score = 30\n");
  t.write("other/.git/HEAD", "");
  ConfigTree tree("", nullptr);
  CHECK(origin(tree, (t.root / "repo/a.py").string()) == repo);
  CHECK(origin(tree, (t.root / "repo/sub/deep/b.py").string()) == repo);  // no table: passed by
  CHECK(origin(tree, (t.root / "repo/own/c.py").string()) == own);
  CHECK(tree.for_file((t.root / "repo/own/c.py").string()).config->config.min_score == 20);
  CHECK(origin(tree, (t.root / "other/d.py").string())
            .empty());  // the outer one is above its git top
  CHECK(origin(tree, (t.root / "e.py").string()) == outer);

  ConfigTree fixed(own, nullptr);
  CHECK(origin(fixed, (t.root / "repo/sub/deep/b.py").string()) == own);
}

TEST_CASE("config tree: errors name the file, and the check rejects values") {
  Tree t;
  t.write("a/pyproject.toml", "[tool.asyncsweep]\nselect = 3\n");
  t.write("b/pyproject.toml", "[tool.asyncsweep]\nselect = [\"X\"]\n");
  t.write("c/pyproject.toml", "not toml at all [\n");  // not ours: passed by
  ConfigTree tree("", [](const ProjectConfig& config) {
    return config.select == std::vector<std::string>{"X"} ? "no X" : "";
  });
  CHECK_THAT(tree.for_file((t.root / "a/m.py").string()).error,
             Catch::Contains("a/pyproject.toml:2:"));
  CHECK_THAT(tree.for_file((t.root / "b/m.py").string()).error,
             Catch::Contains("b/pyproject.toml: [tool.asyncsweep]: no X"));
  CHECK(tree.for_file((t.root / "c/m.py").string()).error.empty());
  CHECK_THROWS_WITH(ConfigTree((t.root / "missing.toml").string(), nullptr),
                    Catch::Contains("missing.toml"));
}

TEST_CASE("config tree: exclude globs are gitignore lines relative to the configuration") {
  Tree t;
  t.write("repo/.git/HEAD", "");
  t.write("repo/pyproject.toml",
          "[tool.asyncsweep]\nexclude = [\"vendor\", \"*_pb2.py\", \"/top.py\"]\n");
  ConfigTree tree("", nullptr);
  auto loaded = tree.for_file((t.root / "repo/x.py").string()).config;
  REQUIRE(loaded);
  CHECK(ConfigTree::excludes(*loaded, (t.root / "repo/vendor/lib/a.py").string()));
  CHECK(ConfigTree::excludes(*loaded, (t.root / "repo/pkg/m_pb2.py").string()));
  CHECK(ConfigTree::excludes(*loaded, (t.root / "repo/top.py").string()));
  CHECK_FALSE(ConfigTree::excludes(*loaded, (t.root / "repo/pkg/top.py").string()));
  CHECK_FALSE(ConfigTree::excludes(*loaded, (t.root / "repo/pkg/vendored.py").string()));
  CHECK_FALSE(ConfigTree::excludes(*loaded, (t.root / "elsewhere/vendor/a.py").string()));
}
