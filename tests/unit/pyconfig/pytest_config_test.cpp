#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "pyconfig/pytest_config.hpp"
#include "temp_tree.hpp"

using namespace asyncsweep::pyconfig;

using Tree = asyncsweep::test_support::TempTree;

TEST_CASE("each of pytest's four config files is recognised with its own section") {
  Tree t;
  auto pyproject = t.write("a/pyproject.toml", "[tool.pytest.ini_options]\nminversion = \"6.0\"\nasyncio_mode = \"auto\"\n");
  auto config = read_pytest_config(pyproject);
  REQUIRE(config);
  CHECK(config->auto_mode());
  CHECK(config->mode_line == 3);
  auto ini = t.write("b/pytest.ini", "[pytest]\nasyncio_mode = auto\n");
  REQUIRE(read_pytest_config(ini));
  CHECK(read_pytest_config(ini)->auto_mode());
  auto cfg = t.write("c/setup.cfg", "[metadata]\nname = x\n[tool:pytest]\nasyncio_mode: auto\n");
  REQUIRE(read_pytest_config(cfg));
  CHECK(read_pytest_config(cfg)->mode_line == 4);
  auto tox = t.write("d/tox.ini", "[tox]\nenvlist = py311\n[pytest]\n# asyncio_mode = strict\nasyncio_mode = auto\n");
  REQUIRE(read_pytest_config(tox));
  CHECK(read_pytest_config(tox)->auto_mode());
  // Files without a pytest section are not pytest configs (except pytest.ini).
  CHECK_FALSE(read_pytest_config(t.write("e/pyproject.toml", "[tool.black]\nline-length = 100\n")));
  CHECK_FALSE(read_pytest_config(t.write("e/tox.ini", "[tox]\n")));
  CHECK_FALSE(read_pytest_config(t.write("e/setup.cfg", "[pytest]\nasyncio_mode = auto\n")));
  auto bare = read_pytest_config(t.write("f/pytest.ini", "# empty\n"));
  REQUIRE(bare);
  CHECK_FALSE(bare->auto_mode());
  std::string problem;
  CHECK_FALSE(read_pytest_config(t.write("g/pyproject.toml", "[tool.pytest.ini_options\n"), &problem));
  CHECK_THAT(problem, Catch::Contains("pyproject.toml:1:"));
}

TEST_CASE("the nearest config up the tree governs, as pytest's inifile search does") {
  Tree t;
  t.write("pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n");
  t.write("services/api/tests/test_a.py", "");
  t.write("services/legacy/pytest.ini", "[pytest]\nasyncio_mode = strict\n");
  t.write("services/legacy/tests/test_b.py", "");
  t.write("services/other/pyproject.toml", "[tool.ruff]\n");  // not a pytest config: look further up
  t.write("services/other/test_c.py", "");
  t.write("services/cfg/setup.cfg", "[tool:pytest]\naddopts = -q\n");  // a pytest config without the mode
  PytestConfigResolver resolver;
  const PytestConfig* a = resolver.governing((t.root / "services/api/tests/test_a.py").string());
  REQUIRE(a != nullptr);
  CHECK(a->auto_mode());
  CHECK(a->path == (t.root / "pyproject.toml").string());
  const PytestConfig* b = resolver.governing((t.root / "services/legacy/tests/test_b.py").string());
  REQUIRE(b != nullptr);
  CHECK_FALSE(b->auto_mode());
  const PytestConfig* c = resolver.governing((t.root / "services/other/test_c.py").string());
  REQUIRE(c != nullptr);
  CHECK(c->auto_mode());
  const PytestConfig* d = resolver.governing((t.root / "services/cfg/test_d.py").string());
  REQUIRE(d != nullptr);
  CHECK(d->asyncio_mode.empty());
  // Within one directory pytest.ini wins over pyproject.toml.
  t.write("both/pytest.ini", "[pytest]\n");
  t.write("both/pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n");
  const PytestConfig* e = resolver.governing((t.root / "both/test_e.py").string());
  REQUIRE(e != nullptr);
  CHECK(e->path == (t.root / "both/pytest.ini").string());
  CHECK_FALSE(e->auto_mode());
}
