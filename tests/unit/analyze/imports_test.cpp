// The import table: each import form, the scopes Python gives names, shadowing, and code only
// (imports written in strings and comments bind nothing).
#include "analyze/imports.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "python/model.hpp"
#include "test_python.hpp"

using namespace asyncsweep;

namespace {

// What `name` at the first occurrence of `marker` in `source` refers to ("" when no import).
std::string resolve(const std::string& source, const std::string& marker, const std::string& name) {
  python::LineModel model = python::LineModel::build(source);
  auto tokens = analyze::code_tokens(model);
  analyze::ImportTable table = analyze::ImportTable::build(model, tokens);
  std::size_t at = source.find(marker);
  REQUIRE(at != std::string::npos);
  const analyze::ImportBinding* b = table.resolve(name, at);
  return b == nullptr ? std::string() : b->qualified;
}

}  // namespace

TEST_CASE("import forms bind their local names", "[imports]") {
  const std::string source =
      "import time\n"
      "import subprocess as sp\n"
      "import os.path as osp\n"
      "import os.path\n"
      "import json, shutil as sh\n"
      "from time import sleep\n"
      "from time import sleep as nap\n"
      "from shutil import (\n"
      "    copy,  # a comment\n"
      "    copytree as ct,\n"
      ")\n"
      "from tempfile import \\\n"
      "    TemporaryDirectory\n"
      "from . import local\n"
      "from .pkg import thing\n"
      "async def f():\n"
      "    USE\n";
  CHECK(resolve(source, "USE", "time") == "time");
  CHECK(resolve(source, "USE", "sp") == "subprocess");
  CHECK(resolve(source, "USE", "osp") == "os.path");
  CHECK(resolve(source, "USE", "os") == "os");
  CHECK(resolve(source, "USE", "json") == "json");
  CHECK(resolve(source, "USE", "sh") == "shutil");
  CHECK(resolve(source, "USE", "sleep") == "time.sleep");
  CHECK(resolve(source, "USE", "nap") == "time.sleep");
  CHECK(resolve(source, "USE", "copy") == "shutil.copy");
  CHECK(resolve(source, "USE", "ct") == "shutil.copytree");
  CHECK(resolve(source, "USE", "copytree").empty());
  CHECK(resolve(source, "USE", "TemporaryDirectory") == "tempfile.TemporaryDirectory");
  CHECK(resolve(source, "USE", "local").empty());  // relative: the project's own module
  CHECK(resolve(source, "USE", "thing").empty());
  CHECK(resolve(source, "USE", "USE").empty());
}

TEST_CASE("imports in try, TYPE_CHECKING and one-line compound statements", "[imports]") {
  const std::string source =
      "from typing import TYPE_CHECKING\n"
      "try:\n"
      "    import ujson as json\n"
      "except ImportError:\n"
      "    import json\n"
      "if TYPE_CHECKING:\n"
      "    from subprocess import Popen\n"
      "if True: from time import sleep; import shutil as sh\n"
      "async def f():\n"
      "    USE\n";
  CHECK(resolve(source, "USE", "json") == "json");  // the last import wins at module level
  CHECK(resolve(source, "USE", "Popen") == "subprocess.Popen");
  CHECK(resolve(source, "USE", "sleep") == "time.sleep");
  CHECK(resolve(source, "USE", "sh") == "shutil");
}

TEST_CASE("imports inside functions are local to them", "[imports]") {
  const std::string source =
      "async def f():\n"
      "    from time import sleep\n"
      "    IN_F\n"
      "    def inner():\n"
      "        IN_INNER\n"
      "async def g():\n"
      "    IN_G\n"
      "class C:\n"
      "    import subprocess as sp\n"
      "    async def m(self):\n"
      "        IN_METHOD\n";
  CHECK(resolve(source, "IN_F", "sleep") == "time.sleep");
  CHECK(resolve(source, "IN_INNER", "sleep") == "time.sleep");  // enclosing function
  CHECK(resolve(source, "IN_G", "sleep").empty());
  CHECK(resolve(source, "IN_METHOD", "sp").empty());  // class bodies are invisible to methods
}

TEST_CASE("a local name shadows an import", "[imports]") {
  const std::string source =
      "from time import sleep\n"
      "from shutil import copy, move\n"
      "import subprocess as sp\n"
      "async def param(sleep):\n"
      "    IN_PARAM\n"
      "async def kwonly(*, copy=None, **kw):\n"
      "    IN_KWONLY\n"
      "async def assigned():\n"
      "    IN_ASSIGNED\n"
      "    sleep = fake_sleep\n"
      "async def nested_def():\n"
      "    def sleep(x): pass\n"
      "    IN_NESTED_DEF\n"
      "async def targets():\n"
      "    for copy in things: pass\n"
      "    with ctx() as sp: pass\n"
      "    IN_TARGETS\n"
      "async def walrus():\n"
      "    if (move := other()): pass\n"
      "    IN_WALRUS\n"
      "async def plain():\n"
      "    IN_PLAIN\n"
      "f = lambda sleep: LAMBDA_BODY\n";
  CHECK(resolve(source, "IN_PARAM", "sleep").empty());
  CHECK(resolve(source, "IN_PARAM", "copy") == "shutil.copy");
  CHECK(resolve(source, "IN_KWONLY", "copy").empty());
  CHECK(resolve(source, "IN_ASSIGNED", "sleep").empty());  // local anywhere in the function
  CHECK(resolve(source, "IN_NESTED_DEF", "sleep").empty());
  CHECK(resolve(source, "IN_TARGETS", "copy").empty());
  CHECK(resolve(source, "IN_TARGETS", "sp").empty());
  CHECK(resolve(source, "IN_WALRUS", "move").empty());
  CHECK(resolve(source, "IN_PLAIN", "sleep") == "time.sleep");
  CHECK(resolve(source, "IN_PLAIN", "sp") == "subprocess");
  CHECK(resolve(source, "LAMBDA_BODY", "sleep").empty());
}

TEST_CASE("a module-level definition after the import shadows it", "[imports]") {
  CHECK(resolve("from time import sleep\ndef sleep(x): pass\nasync def f():\n    USE\n", "USE",
                "sleep")
            .empty());
  CHECK(resolve("from time import sleep\nsleep = None\nasync def f():\n    USE\n", "USE", "sleep")
            .empty());
  CHECK(resolve("sleep = None\nfrom time import sleep\nasync def f():\n    USE\n", "USE",
                "sleep") == "time.sleep");
  // `==` compares, it binds nothing.
  CHECK(resolve("from time import sleep\nsleep == 1\nasync def f():\n    USE\n", "USE", "sleep") ==
        "time.sleep");
}

TEST_CASE("imports in strings and comments bind nothing", "[imports]") {
  const std::string source =
      "# from time import sleep\n"
      "DOC = \"\"\"\n"
      "import subprocess as sp\n"
      "\"\"\"\n"
      "x = 'from shutil import copy'\n"
      "async def f():\n"
      "    USE\n";
  CHECK(resolve(source, "USE", "sleep").empty());
  CHECK(resolve(source, "USE", "sp").empty());
  CHECK(resolve(source, "USE", "copy").empty());
}

TEST_CASE("the import-only pass reads the imports the whole table reads, on the stdlib", "[imports]") {
  // ImportTable::imports_of decides whether a file needs the whole table: it must miss none.
  int files = 0;
  std::size_t imports = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test_support::python_stdlib())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    python::LineModel model = python::LineModel::build(text);
    auto whole = analyze::ImportTable::build(model, analyze::code_tokens(model)).imports();
    auto quick = analyze::ImportTable::imports_of(model);
    auto key = [](const analyze::ImportBinding& b) { return std::tie(b.local, b.qualified, b.line, b.scope); };
    INFO(entry.path().string());
    REQUIRE(whole.size() == quick.size());
    for (std::size_t i = 0; i < whole.size(); ++i) REQUIRE(key(whole[i]) == key(quick[i]));
    imports += whole.size();
    ++files;
  }
  CHECK(files > 1000);
  CHECK(imports > 10000);
}

TEST_CASE("import bindings agree with CPython's ast on the stdlib", "[imports]") {
  // The oracle: every absolute import's bound name, what it names, and the statement's line.
  const std::string root = test_support::python_stdlib();
  const std::string listing = test_support::python_says(
      "import ast, os, sys, warnings\n"
      "warnings.simplefilter('ignore')\n"
      "root = '" + root + "'\n"
      "for d, _, names in os.walk(root):\n"
      "    for n in sorted(names):\n"
      "        if not n.endswith('.py'): continue\n"
      "        p = os.path.join(d, n)\n"
      "        try: tree = ast.parse(open(p, 'rb').read())\n"
      "        except Exception: continue\n"
      "        print('F', p)\n"
      "        for node in ast.walk(tree):\n"
      "            if isinstance(node, ast.Import):\n"
      "                for a in node.names:\n"
      "                    local = a.asname or a.name.split('.')[0]\n"
      "                    print('I', node.lineno, local, a.name if a.asname else local)\n"
      "            elif isinstance(node, ast.ImportFrom) and node.level == 0:\n"
      "                for a in node.names:\n"
      "                    if a.name != '*': print('I', node.lineno, a.asname or a.name, node.module + '.' + a.name)\n",
      "the imports of its standard library");
  std::map<std::string, std::multiset<std::string>> expected;
  std::istringstream lines(listing);
  std::string current;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("F ")) current = expected.emplace(line.substr(2), std::multiset<std::string>{}).first->first;
    else if (line.starts_with("I ")) expected[current].insert(line.substr(2));
  }
  REQUIRE(expected.size() > 1000);
  std::size_t compared = 0;
  for (const auto& [path, imports] : expected) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    python::LineModel model = python::LineModel::build(text);
    std::multiset<std::string> ours;
    for (const auto& b : analyze::ImportTable::imports_of(model))
      ours.insert(std::to_string(b.line) + " " + b.local + " " + b.qualified);
    INFO(path);
    CHECK(ours == imports);
    compared += imports.size();
  }
  CHECK(compared > 10000);
}
