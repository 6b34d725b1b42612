// Function summaries for the transitive join: module names from paths, what a call's target
// resolves to (imports absolute and relative, module-level names, self methods), the calls
// that do not count (awaited, handed to a thread, under TYPE_CHECKING, in nested defs), and
// the blocking calls of sync functions with their suppressions and receiver hints.
#include "analyze/summaries.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "python/model.hpp"
#include "rules/rule.hpp"

using namespace asyncsweep;

namespace {

const search::RuleSet& default_rules() {
  static const search::RuleSet rules(rules::load_default_pack());
  return rules;
}

FileSummary summarize(const std::string& source, const std::string& path = "pkg/sub/mod.py",
                      const std::string& module = "pkg.sub.mod",
                      const analyze::Coverage& coverage = {}) {
  static analyze::BlockingNames blocking(default_rules());
  python::LineModel model = python::LineModel::build(source);
  return analyze::summarize(path, module, model, blocking, "ASW130", coverage);
}

const FunctionSummary& function(const FileSummary& summary, const std::string& name) {
  for (const auto& f : summary.functions) {
    if (f.name == name) return f;
  }
  FAIL("no function " << name);
  throw;
}

std::set<std::string> targets(const FunctionSummary& f) {
  std::set<std::string> out;
  for (const auto& call : f.calls) out.insert(call.target);
  return out;
}

}  // namespace

TEST_CASE("module names follow the __init__.py chain above the file", "[summaries]") {
  const std::set<std::string> packages = {"src/pkg", "src/pkg/sub"};
  auto is_package = [&](std::string_view dir) { return packages.count(std::string(dir)) != 0; };
  CHECK(analyze::module_name("src/pkg/sub/mod.py", is_package) == "pkg.sub.mod");
  CHECK(analyze::module_name("src/pkg/__init__.py", is_package) == "pkg");
  CHECK(analyze::module_name("src/tool.py", is_package) == "tool");
  CHECK(analyze::module_name("mod.py", is_package) == "mod");
}

TEST_CASE("call targets resolve through imports, module names and self", "[summaries]") {
  const std::string source =
      "import pkg.store as store\n"
      "from pkg.util import helper as h\n"
      "from . import sibling\n"
      "from ..top import load\n"
      "\n"
      "def local():\n"
      "    pass\n"
      "\n"
      "class Store(Base):\n"
      "    def _read(self):\n"
      "        pass\n"
      "\n"
      "    async def run(self):\n"
      "        store.open_db()\n"
      "        h()\n"
      "        sibling.f()\n"
      "        load()\n"
      "        local()\n"
      "        self._read()\n"
      "        unknown()\n";
  const FileSummary summary = summarize(source);
  CHECK(targets(function(summary, "Store.run")) ==
        std::set<std::string>{"pkg.store.open_db", "pkg.util.helper", "pkg.sub.sibling.f",
                              "pkg.top.load", "pkg.sub.mod.local", "pkg.sub.mod.Store._read"});
  REQUIRE(summary.classes.size() == 1);
  CHECK(summary.classes[0].bases == std::vector<std::string>{"Base"});
}

TEST_CASE("awaited, offloaded, nested and TYPE_CHECKING calls do not count", "[summaries]") {
  const std::string source =
      "import asyncio\n"
      "from typing import TYPE_CHECKING\n"
      "\n"
      "def helper():\n"
      "    pass\n"
      "\n"
      "if TYPE_CHECKING:\n"
      "    helper()\n"
      "\n"
      "async def run(loop):\n"
      "    await helper()\n"
      "    await asyncio.to_thread(helper)\n"
      "    await loop.run_in_executor(None, lambda: helper())\n"
      "    await asyncio.to_thread(helper())\n"
      "    def inner():\n"
      "        helper()\n"
      "    helper()  # the one that counts\n";
  const FileSummary summary = summarize(source);
  const FunctionSummary& run = function(summary, "run");
  REQUIRE(run.calls.size() == 1);
  CHECK(run.calls[0].line == 17);
  CHECK(run.calls[0].text == "helper");
  CHECK(run.calls[0].column == 5);
  CHECK(run.calls[0].line_text == "    helper()  # the one that counts");
}

TEST_CASE("sync functions record their blocking calls, minus suppressed ones", "[summaries]") {
  const std::string source =
      "import subprocess as sp\n"
      "import time\n"
      "\n"
      "def work(path, queue, sock):\n"
      "    sp.run(['ls'])\n"
      "    time.sleep(1)  # asyncsweep: ignore[ASW106]\n"
      "    path.exists()\n"
      "    queue.send(1)\n"
      "    sock.send(b'x')\n"
      "    open('f')\n";
  const FileSummary summary = summarize(source);
  const FunctionSummary& work = function(summary, "work");
  std::vector<std::pair<std::uint32_t, std::string>> blocks;
  for (const auto& b : work.blocks) blocks.emplace_back(b.line, b.rule);
  CHECK(blocks == std::vector<std::pair<std::uint32_t, std::string>>{
                      {5, "ASW105"}, {7, "ASW112"}, {9, "ASW107"}, {10, "ASW101"}});
}

TEST_CASE("a method called on a call's result blocks as the callee's name suggests", "[summaries]") {
  const std::string source =
      "import json\n"
      "from pathlib import Path\n"
      "\n"
      "def work(value, name):\n"
      "    json.dumps(value).replace('</', '<\\\\/')\n"
      "    name.strip().replace('a', 'b')\n"
      "    Path(name).read_text()\n"
      "    get_paths()[0].exists()\n"
      "    (name + '.txt').replace('x', 'y')\n";
  const FileSummary summary = summarize(source);
  const FunctionSummary& work = function(summary, "work");
  std::vector<std::uint32_t> lines;
  for (const auto& b : work.blocks) lines.push_back(b.line);
  // str results (dumps, strip) do not; Path(...) does; a receiver that names nothing (an item
  // of a call's result, a parenthesized expression) stays a candidate.
  CHECK(lines == std::vector<std::uint32_t>{7, 8, 9});
}

TEST_CASE("a call site under a suppression comment carries it", "[summaries]") {
  const std::string source =
      "def helper():\n"
      "    pass\n"
      "\n"
      "async def run():\n"
      "    helper()  # asyncsweep: ignore[ASW130]\n"
      "    helper()  # asyncsweep: ignore[ASW101]\n";
  const FileSummary summary = summarize(source);
  const FunctionSummary& run = function(summary, "run");
  REQUIRE(run.calls.size() == 2);
  CHECK(run.calls[0].suppressed_by == "# asyncsweep: ignore[ASW130]");
  CHECK(run.calls[1].suppressed_by.empty());
}

namespace {

std::vector<std::string> function_names(const FileSummary& summary) {
  std::vector<std::string> names;
  for (const auto& f : summary.functions) names.push_back(f.name);
  return names;
}

// A partial summary's functions say exactly what the whole file's say of them.
void check_same_as_whole(const FileSummary& partial, const FileSummary& whole) {
  for (const auto& f : partial.functions) {
    const FunctionSummary& same = function(whole, f.name);
    CHECK(targets(f) == targets(same));
    CHECK(f.blocks.size() == same.blocks.size());
    REQUIRE(f.calls.size() == same.calls.size());
    for (std::size_t i = 0; i < f.calls.size(); ++i)
      CHECK(f.calls[i].offset == same.calls[i].offset);
  }
}

const std::string kReachSource =
    "from .store import load\n"
    "import os\n"
    "\n"
    "def unrelated():\n"
    "    os.stat('never asked for')\n"
    "\n"
    "def _read(path):\n"
    "    return open(path).read()\n"
    "\n"
    "def helper(path):\n"
    "    return _read(path)\n"
    "\n"
    "class Base:\n"
    "    def _sync(self):\n"
    "        os.stat('x')\n"
    "\n"
    "class Handler(Base):\n"
    "    def other(self):\n"
    "        unrelated()\n"
    "\n"
    "    async def get(self):\n"
    "        load()\n"
    "        self._sync()\n"
    "\n"
    "async def main():\n"
    "    Handler().get\n"
    "    helper('p')\n";

}  // namespace

TEST_CASE("a summary of the async functions has them and what they reach in the file",
          "[summaries]") {
  const FileSummary whole = summarize(kReachSource);
  const FileSummary partial =
      summarize(kReachSource, "pkg/sub/mod.py", "pkg.sub.mod", analyze::Coverage::of_async_functions());
  CHECK(partial.partial);
  CHECK_FALSE(whole.partial);
  // Every class, for its bases; `Handler()` reaches Handler's methods (other -> unrelated),
  // `self._sync()` the def of that name in any class, `helper` -> `_read`.
  CHECK(partial.classes.size() == whole.classes.size());
  CHECK(function_names(partial) == std::vector<std::string>{"unrelated", "_read", "helper", "Base._sync",
                                                            "Handler.other", "Handler.get", "main"});
  check_same_as_whole(partial, whole);
}

TEST_CASE("a summary of named functions has them and what they reach, no async function",
          "[summaries]") {
  const FileSummary whole = summarize(kReachSource);
  const FileSummary partial =
      summarize(kReachSource, "pkg/sub/mod.py", "pkg.sub.mod", analyze::Coverage::of_names({"helper"}));
  CHECK(function_names(partial) == std::vector<std::string>{"_read", "helper"});
  check_same_as_whole(partial, whole);
  const FileSummary methods =
      summarize(kReachSource, "pkg/sub/mod.py", "pkg.sub.mod", analyze::Coverage::of_names({"Base"}));
  CHECK(function_names(methods) == std::vector<std::string>{"Base._sync"});
  const FileSummary none =
      summarize(kReachSource, "pkg/sub/mod.py", "pkg.sub.mod", analyze::Coverage::of_names({"absent"}));
  CHECK(none.functions.empty());
}

TEST_CASE("a summary from the whole file's tokens is the one the summarizer tokenizes itself",
          "[summaries]") {
  // The sweep hands over the tokens its resolved calls made. Sources where a function's range
  // starts inside brackets the whole file's tokenizer left open, ends in a string running past
  // the range, or ends the file without a line break. In the last one the tokenizer and the
  // model disagree: the `(` in the f-string's nested format field is a bracket to the
  // tokenizer, which then never ends a line again, and the model pops it with the field; the
  // functions after it must be tokenized on their own (this source fails without that guard).
  const std::vector<std::string> sources = {
      kReachSource,
      "from os import stat\nx = f\"{x:{(}}\"\nasync def f():\n    stat('a')\n    g()\n"
      "def g():\n    if TYPE_CHECKING:\n        pass\n    stat('b')\n    h(\n        1)\n"
      "def h(a):\n    open(a)\n",
      "import os\nx = (1,\n]\nasync def f():\n    os.stat('a')\n    g()\n"
      "def g():\n    os.stat('b')\n",
      "import os\nasync def f():\n    s = \'\'\'x\ndef g(): pass\n\'\'\'\n    g()\n"
      "def g():\n    os.stat('b')",
      "import os\r\nasync def f():\r\n    g(\r\n     1)\r\n"
      "def g(a):\r\n    return os.stat(a)\\\n\r\n"};
  for (const std::string& source : sources) {
    INFO(source);
    static analyze::BlockingNames blocking(default_rules());
    const python::LineModel model = python::LineModel::build(source);
    const std::vector<analyze::CodeToken> tokens = analyze::code_tokens(model);
    const FileSummary own = analyze::summarize("pkg/mod.py", "pkg.mod", model, blocking, "ASW130",
                                               analyze::Coverage::of_async_functions());
    const FileSummary given =
        analyze::summarize("pkg/mod.py", "pkg.mod", model, blocking, "ASW130",
                           analyze::Coverage::of_async_functions(), nullptr, &tokens);
    REQUIRE(given.functions.size() == own.functions.size());
    CHECK_FALSE(own.functions.empty());
    for (std::size_t i = 0; i < own.functions.size(); ++i) {
      const FunctionSummary& a = own.functions[i];
      const FunctionSummary& b = given.functions[i];
      CHECK(a.name == b.name);
      REQUIRE(a.calls.size() == b.calls.size());
      for (std::size_t c = 0; c < a.calls.size(); ++c) {
        CHECK(a.calls[c].target == b.calls[c].target);
        CHECK(a.calls[c].text == b.calls[c].text);
        CHECK(a.calls[c].offset == b.calls[c].offset);
        CHECK(a.calls[c].end_column == b.calls[c].end_column);
      }
      REQUIRE(a.blocks.size() == b.blocks.size());
      for (std::size_t k = 0; k < a.blocks.size(); ++k) {
        CHECK(a.blocks[k].line == b.blocks[k].line);
        CHECK(a.blocks[k].rule == b.blocks[k].rule);
      }
    }
    CHECK(given.defines == own.defines);
  }
}

TEST_CASE("blocking names: the rules without line literals still answer through the regex",
          "[summaries]") {
  // ASW105, 107, 111 and 112 have too many alternatives for line literals: their names are
  // told by the regex alone (a prefilter for them must keep these answers).
  analyze::BlockingNames blocking(default_rules());
  auto id = [&](std::string_view name) {
    const std::int64_t rule = blocking.rule_for(name);
    return rule < 0 ? std::string() : blocking.id(rule);
  };
  CHECK(id("subprocess.check_output") == "ASW105");
  CHECK(id("proc.communicate") == "ASW105");
  CHECK(id("sock.sendall") == "ASW107");
  CHECK(id("os.listdir") == "ASW111");
  CHECK(id("os.path.exists") == "ASW111");
  CHECK(id("Path.is_file") == "ASW112");
  CHECK(id("helper").empty());
  CHECK(id("self.load").empty());
  CHECK(id("subprocess").empty());
}

TEST_CASE("a package __init__'s top-level imports from the package are its re-exports",
          "[summaries]") {
  const std::string source =
      "import os\n"
      "from json import loads\n"
      "from . import store\n"  // pkg/__init__: the submodule itself, no alias
      "from .store import load, Store as S\n"
      "from .util.files import (\n"
      "    read_all,\n"
      "    write_all as save,\n"
      ")\n"
      "from pkg.http import fetch\n"
      "from other.pkg import thing\n"
      "import pkg.api as api\n"  // the submodule itself again
      "import pkg.http as client\n"
      "\n"
      "def local():\n"
      "    from .inner import hidden\n"
      "    return hidden()\n";
  for (const auto& coverage : {analyze::Coverage{}, analyze::Coverage::of_names({"nothing"})}) {
    const FileSummary summary = summarize(source, "src/pkg/__init__.py", "pkg", coverage);
    CHECK(summary.reexports ==
          std::vector<std::pair<std::string, std::string>>{{"S", "pkg.store.Store"},
                                                           {"client", "pkg.http"},
                                                           {"fetch", "pkg.http.fetch"},
                                                           {"load", "pkg.store.load"},
                                                           {"read_all", "pkg.util.files.read_all"},
                                                           {"save", "pkg.util.files.write_all"}});
  }
  // A module outside any package, or a package's other modules, re-export nothing.
  CHECK(summarize(source, "tool.py", "").reexports.empty());
  CHECK(summarize(source, "src/pkg/api.py", "pkg.api").reexports.empty());
}
