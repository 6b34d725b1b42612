// The safe fixes' conditions (src/fix/edits.hpp): each fix where the issue allows it, and no
// fix wherever one condition fails. Findings come from the real searcher and Python stage, so
// a test fails when either stops describing a position the way the fixes rely on.
#include "fix/edits.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analyze/python_features.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"

using namespace asyncsweep;

namespace {

const search::RuleSet& default_rules() {
  static const search::RuleSet rules(rules::load_default_pack());
  return rules;
}

std::vector<FixEdit> edits_of(const std::string& text, bool auto_mode = true) {
  const search::RuleSet& rules = default_rules();
  search::Searcher searcher(rules, search::SearchOptions{});
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  python::LineModel model = python::LineModel::build(text);
  search::FileOutcome outcome;
  searcher.search("tests/test_mod.py", text, all, outcome, {});
  analyze::annotate_python("tests/test_mod.py", text, model, rules, outcome.findings);
  fix::FileInput input{text, model, [auto_mode] { return auto_mode; }};
  return fix::compute_edits(input, rules, outcome.findings);
}

std::string fixed(const std::string& text, bool auto_mode = true) {
  return fix::apply_edits(text, edits_of(text, auto_mode));
}

}  // namespace

TEST_CASE(
    "fix: get_event_loop directly in an async def becomes get_running_loop, the module name kept") {
  CHECK(fixed("import asyncio\nasync def f():\n    loop = asyncio.get_event_loop()\n") ==
        "import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n");
  const auto edits =
      edits_of("import asyncio\nasync def f():\n    loop = asyncio.get_event_loop()\n");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].row == 3);
  CHECK(edits[0].column == 20);
  CHECK(edits[0].end_row == 3);
  CHECK(edits[0].end_column == 34);
  CHECK(edits[0].finding_line == 3);
}

TEST_CASE("fix: get_event_loop anywhere else is left alone") {
  const std::vector<std::string> unchanged = {
      // a nested def, lambda or class runs later, maybe without a running loop
      "import asyncio\nasync def f():\n    def g():\n        return asyncio.get_event_loop()\n",
      "import asyncio\nasync def f():\n    g = lambda: asyncio.get_event_loop()\n",
      "import asyncio\nasync def f():\n    class C:\n        loop = asyncio.get_event_loop()\n",
      // sync code: no running loop to return
      "import asyncio\ndef f():\n    return asyncio.get_event_loop()\n",
      // `asyncio` is not the module here
      "import asyncio\nasync def f(asyncio):\n    asyncio.get_event_loop()\n",
      "async def f():\n    asyncio.get_event_loop()\n",
      "import asyncio\nasync def f(x):\n    x.asyncio.get_event_loop()\n",
  };
  for (const auto& text : unchanged) {
    INFO(text);
    CHECK(fixed(text) == text);
  }
}

TEST_CASE("fix: time.sleep as its own statement becomes an await of the imported library's sleep") {
  CHECK(fixed("import asyncio\nimport time\nasync def f():\n    time.sleep(1)\n") ==
        "import asyncio\nimport time\nasync def f():\n    await asyncio.sleep(1)\n");
  CHECK(fixed("import asyncio as aio\nimport time\nasync def f():\n    time.sleep(0.5)\n") ==
        "import asyncio as aio\nimport time\nasync def f():\n    await aio.sleep(0.5)\n");
  CHECK(fixed("import trio, time\nasync def f():\n    time.sleep(1)\n") ==
        "import trio, time\nasync def f():\n    await trio.sleep(1)\n");
  CHECK(fixed("import anyio\nimport time\nasync def f():\n    if x:\n        time.sleep(\n         "
              "   delay)  # wait\n") ==
        "import anyio\nimport time\nasync def f():\n    if x:\n        await anyio.sleep(\n        "
        "    delay)  # wait\n");
}

TEST_CASE("fix: time.sleep that is not a whole statement, or with no one library, is left alone") {
  const std::vector<std::string> unchanged = {
      "import asyncio, time\nasync def f():\n    x = time.sleep(1)\n",
      "import asyncio, time\nasync def f():\n    time.sleep(1); g()\n",
      "import asyncio, time\nasync def f():\n    if x: time.sleep(1)\n",
      "import asyncio, time\nasync def f():\n    time.sleep(1) or g()\n",
      "import asyncio, time\nasync def f():\n    def g():\n        time.sleep(1)\n",
      "import time\nasync def f():\n    time.sleep(1)\n",                 // no event loop library
      "import asyncio, trio, time\nasync def f():\n    time.sleep(1)\n",  // which one runs?
      "import asyncio\nasync def f(time):\n    time.sleep(1)\n",          // not the module
  };
  for (const auto& text : unchanged) {
    INFO(text);
    CHECK(fixed(text) == text);
  }
}

TEST_CASE(
    "fix: a lone @pytest.mark.asyncio on an async def goes, line break included, in auto mode "
    "only") {
  const std::string text = "import pytest\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n";
  CHECK(fixed(text) == "import pytest\n\nasync def test_a():\n    pass\n");
  CHECK(fixed(text, false) == text);
  const auto edits = edits_of(text);
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].row == 3);
  CHECK(edits[0].column == 1);
  CHECK(edits[0].end_row == 4);
  CHECK(edits[0].end_column == 1);
  const std::vector<std::string> unchanged = {
      "import pytest\n@pytest.mark.asyncio  # keep\nasync def test_a():\n    pass\n",
      "import pytest\n@pytest.mark.asyncio(loop_scope='module')\nasync def test_a():\n    pass\n",
      "import pytest\n@pytest.mark.asyncio\ndef test_sync():\n    pass\n",
      "import pytest\n@pytest.mark.asyncio\nclass TestA:\n    pass\n",
      "@pytest.mark.asyncio\nasync def test_a():\n    pass\n",  // `pytest` is no import here
  };
  for (const auto& t : unchanged) {
    INFO(t);
    CHECK(fixed(t) == t);
  }
}

TEST_CASE("fix: CRLF, a BOM and Latin-1 bytes outside the edits stay as they are") {
  const std::string text =
      "\xEF\xBB\xBFimport asyncio, pytest, time\r\n# caf\xE9\r\n@pytest.mark.asyncio\r\nasync def "
      "test_f():\r\n"
      "    loop = asyncio.get_event_loop()\r\n    time.sleep(1)\r\n";
  CHECK(fixed(text) ==
        "\xEF\xBB\xBFimport asyncio, pytest, time\r\n# caf\xE9\r\nasync def test_f():\r\n"
        "    loop = asyncio.get_running_loop()\r\n    await asyncio.sleep(1)\r\n");
}

TEST_CASE("fix: the three rules are fixable, the others are not") {
  for (const auto& compiled : default_rules().rules()) {
    const std::string& id = compiled.rule.id;
    CHECK(fix::fixable(compiled.rule) == (id == "ASW040" || id == "ASW106" || id == "ASW012"));
  }
}

TEST_CASE("fix: apply_edits splices in offset order") {
  std::vector<FixEdit> edits(2);
  edits[0].offset = 1;
  edits[0].length = 2;
  edits[0].content = std::string(2, 'X');
  edits[1].offset = 5;
  edits[1].length = 0;
  edits[1].content = std::string(1, '!');
  const std::string text = "abcdefg";
  CHECK(fix::apply_edits(text, edits) == std::string("aXXde!fg"));
}
