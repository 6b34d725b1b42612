// Async-scope rules search only the lines of async function bodies (analyze::async_regions).
// That must never change a result: differential test against a whole-file search, both
// annotated alike, on hand-written corner cases and on real asyncio code from the machine.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyze/python_features.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"
#include "test_python.hpp"

using namespace asyncsweep;
namespace fs = std::filesystem;

namespace {

struct Key {
  std::string rule;
  std::uint32_t line, column;
  bool operator==(const Key& o) const { return rule == o.rule && line == o.line && column == o.column; }
};

std::ostream& operator<<(std::ostream& os, const Key& k) { return os << k.rule << ":" << k.line << ":" << k.column; }

std::vector<Key> findings(const search::RuleSet& rules, const std::string& text, bool restrict) {
  search::Searcher searcher(rules, search::SearchOptions{});
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  python::LineModel model = python::LineModel::build(text);
  std::vector<search::TextRange> regions = analyze::async_regions(model);
  search::AsyncRegions provider;
  if (restrict) provider = [&]() { return &regions; };
  search::FileOutcome outcome;
  searcher.search("pkg/mod.py", text, all, outcome, provider);
  analyze::annotate_python("pkg/mod.py", text, model, rules, outcome.findings);
  std::vector<Key> keys;
  for (const auto& f : outcome.findings) keys.push_back({rules[f.rule].rule.id, f.line, f.column});
  return keys;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("async regions cover the lines from the first decorator to the body's last line") {
  std::string text =
      "import os\n"                      // 1
      "@deco(open('x'))\n"               // 2: decorator: the enclosing scope's code
      "async def f(a=open('y')):\n"      // 3
      "    # open() in a comment\n"      // 4
      "    x = 1\n"                      // 5
      "    return x\n"                   // 6
      "def g():\n"                       // 7
      "    pass\n";                      // 8
  python::LineModel model = python::LineModel::build(text);
  auto regions = analyze::async_regions(model);
  REQUIRE(regions.size() == 1);
  CHECK(text.substr(regions[0].begin, regions[0].end - regions[0].begin) ==
        "@deco(open('x'))\nasync def f(a=open('y')):\n    # open() in a comment\n    x = 1\n    return x\n");
  CHECK(analyze::async_regions(python::LineModel::build("def f():\n    open(x)\n")).empty());
}

TEST_CASE("restricting async-scope rules to async regions changes no finding: corner cases") {
  search::RuleSet rules(rules::load_default_pack());
  std::vector<std::string> cases = {
      "async def f(): return open(p)\n",
      "async def f(a=open('x')):\n    # time.sleep(1) in a comment first\n    time.sleep(1)\n",
      "async def f():\n    def g():\n        open(p)\n    class C:\n        x = open(q)\n    return g\n"
      "open(r)\n",
      "async def f():\n    pass\nasync def g():\n    os.read(fd, 1)\n\n\nx = os.read(fd, 2)\n",
      "class A:\n    async def m(self):\n        sock.recv(1)\n    def n(self):\n        sock.recv(2)\n",
      "async def f():\r\n    open(p)\r\nopen(q)\r\n",
      "async def f():\r    open(p)\ropen(q)\n",  // lone CR: Python's line breaks, not rg's
      "async def f():\n    x = (\nopen(p))\nopen(q)",
      "async def f():\n    s = '''\nopen(p)\n'''\n    time.sleep(0)",
      "@deco  # time.sleep(1) beside a decorator\nasync def f():\n    pass\n",
  };
  for (const auto& text : cases) {
    INFO(text);
    CHECK(findings(rules, text, true) == findings(rules, text, false));
  }
}

TEST_CASE("restricting async-scope rules to async regions changes no finding: real asyncio code") {
  search::RuleSet rules(rules::load_default_pack());
  const std::string stdlib = test_support::python_stdlib();
  const std::vector<std::string> roots = {
      test_support::require_dir(stdlib + "/asyncio", "python3"),
      test_support::require_dir(stdlib + "/test/test_asyncio", "libpython3.11-testsuite"),
      test_support::python_package_dir("trio", "python3-trio"),
      test_support::python_package_dir("aiohttp", "python3-aiohttp")};
  int files = 0;
  std::size_t total = 0;
  for (const auto& root : roots) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
      std::string text = read(entry.path());
      if (text.find("async") == std::string::npos) continue;
      INFO(entry.path().string());
      auto restricted = findings(rules, text, true);
      REQUIRE(restricted == findings(rules, text, false));
      ++files;
      total += restricted.size();
    }
  }
  CHECK(files > 50);
  CHECK(total > 100);
}

namespace {

bool model_has_async_function(const std::string& text) {
  python::LineModel model = python::LineModel::build(text);
  for (const auto& scope : model.scopes()) {
    if (scope.kind == python::ScopeKind::AsyncFunction) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("may_define_async_function never denies an async function the model sees") {
  // Every way the lexer lets `async` and `def` be adjacent tokens.
  for (const std::string text :
       {"async def f(): pass\n", "async \t\fdef f(): pass\n", "async\\\ndef f(): pass\n",
        "async\\\r\ndef f(): pass\n", "x = (async # c\n # d\n def f(): pass)\n",
        "class C:\n    async   def m(self): pass\n"}) {
    INFO(text);
    REQUIRE(model_has_async_function(text));
    CHECK(analyze::may_define_async_function(text));
  }
  // The model sees none here, and the text says so without it.
  for (const std::string text : {"import asyncio\nasyncio.run(main())\n", "def async_def(): pass\n",
                                 "async_def = 1\n", "x = async\ny = 1; def_ = 2\n", ""}) {
    INFO(text);
    REQUIRE_FALSE(model_has_async_function(text));
    CHECK_FALSE(analyze::may_define_async_function(text));
  }
  // Looser than the tokenizer: a string may say it, and that is allowed (never the reverse).
  CHECK(analyze::may_define_async_function("doc = 'async def f(): pass'\n"));
}

TEST_CASE("may_define_async_function against the line model on the standard library") {
  int denied = 0, files = 0;
  const std::string stdlib = test_support::python_stdlib();
  for (const std::string& root :
       {test_support::require_dir(stdlib + "/asyncio", "python3"),
        test_support::require_dir(stdlib + "/test/test_asyncio", "libpython3.11-testsuite"),
        test_support::require_dir(stdlib + "/unittest", "python3"),
        test_support::require_dir(stdlib + "/email", "python3")}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
      std::string text = read(entry.path());
      INFO(entry.path().string());
      ++files;
      if (analyze::may_define_async_function(text)) continue;
      ++denied;
      REQUIRE_FALSE(model_has_async_function(text));
    }
  }
  CHECK(files > 100);
  CHECK(denied > 10);  // files that mention asyncio without defining coroutines exist there
}
