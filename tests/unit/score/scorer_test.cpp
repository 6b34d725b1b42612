// The scorer's weights as units: one file's candidates with hand-built Features, each reason
// and weight asserted (docs/rules.md's "Ranking" section documents the same numbers; each
// weight is the share of real sites in its group on eval/devset).
#include "score/scorer.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "temp_tree.hpp"

using namespace asyncsweep;

namespace {

// Rules beyond the document (no `source`) and one of the document's own regexes.
search::RuleSet scorer_rules() {
  return search::RuleSet(rules::parse_pack(R"(
[[rule]]
id = "S1"
title = "blocking, high"
category = "blocking-io"
regex = 'open\('
severity = "high"

[[rule]]
id = "S2"
title = "blocking, medium"
category = "blocking-io"
regex = 'read\('
severity = "medium"

[[rule]]
id = "S3"
title = "the document's regex"
category = "blocking-io"
source = "rg --type py 'open\\('"
regex = 'open\('
severity = "high"

[[rule]]
id = "S4"
title = "get_event_loop"
category = "deprecated-api"
regex = 'get_event_loop\('
severity = "medium"

[[rule]]
id = "S5"
title = "asyncio.run"
category = "nested-run"
regex = 'asyncio\.run\('
severity = "medium"

[[rule]]
id = "S6"
title = "something else"
category = "context-manager"
regex = 'other\('
severity = "low"

[[rule]]
id = "S7"
title = "gather"
category = "gather-vs-taskgroup"
regex = 'asyncio\.gather\('
severity = "info"

[[rule]]
id = "S8"
title = "os.pipe in a function that never sets O_NONBLOCK"
category = "nonblocking-fd"
regex = 'os\.pipe\('
check = "nonblocking-absent"
severity = "medium"

[[rule]]
id = "S9"
title = "connect_read_pipe"
category = "nonblocking-fd"
regex = 'connect_read_pipe'
severity = "low"

[[rule]]
id = "S10"
title = "@pytest.mark.asyncio"
category = "pytest-asyncio-mark"
regex = '@pytest\.mark\.asyncio'
severity = "low"

[[rule]]
id = "ASW112"
title = "pathlib, whose method names other types share"
category = "blocking-io"
regex = '\.(?:group|rename)\('
severity = "low"
)",
                                           "scorer.toml"));
}

enum Rule : std::uint32_t {
  high = 0,
  medium = 1,
  document = 2,
  event_loop = 3,
  run = 4,
  other = 5,
  gather = 6,
  pipe = 7,
  pipe_transport = 8,
  pytest_mark = 9,
  pathlib = 10
};

Finding candidate(std::uint32_t rule, std::uint32_t line = 3) {
  Finding f;
  f.rule = rule;
  f.path = "pkg/mod.py";
  f.line = f.end_line = line;
  return f;
}

// Analyzed code inside `async def fetch` (line 1), called directly: the plain blocking case.
Finding in_async(std::uint32_t rule, std::uint32_t line = 3) {
  Finding f = candidate(rule, line);
  Features& features = f.features.edit();
  features.analyzed = true;
  features.async_line = 1;
  features.async_name = "fetch";
  return f;
}

// Analyzed code outside any async def.
Finding outside_async(std::uint32_t rule) {
  Finding f = in_async(rule);
  f.features.edit().async_line = 0;
  return f;
}

Finding scored(Finding f, bool seed_exact = false) {
  auto rules = scorer_rules();
  score::FileScorer scorer(rules, score::ScoreOptions{seed_exact});
  std::vector<Finding> findings{std::move(f)};
  scorer.score_file(findings);
  return findings.at(0);
}

}  // namespace

TEST_CASE("scorer: a blocking call in an async def scores by severity") {
  Finding high = scored(in_async(Rule::high));
  CHECK(high.score == 97);
  CHECK(high.reasons == std::vector<std::string>{"inside `async def fetch` (line 1)"});
  CHECK(scored(in_async(Rule::medium)).score == 95);
}

TEST_CASE("scorer: positions that are not the event loop's code") {
  Finding comment = in_async(Rule::high);
  comment.features.edit().region = Features::Region::comment;
  CHECK(scored(comment).score == 3);
  CHECK(scored(comment).reasons == std::vector<std::string>{"inside a comment"});

  Finding docstring = in_async(Rule::high);
  docstring.features.edit().region = Features::Region::string;
  docstring.features.edit().docstring = true;
  CHECK(scored(docstring).reasons == std::vector<std::string>{"inside a docstring"});

  Finding outside = in_async(Rule::high);
  outside.features.edit().async_line = 0;
  CHECK(scored(outside).score == 15);
  CHECK(scored(outside).reasons == std::vector<std::string>{"the call is not inside an async def"});

  Finding nested = in_async(Rule::high);
  nested.features.edit().nested = Features::Nested::def;
  nested.features.edit().nested_name = "work";
  nested.features.edit().nested_line = 2;
  Finding nested_scored = scored(nested);
  CHECK(nested_scored.score == 15);
  CHECK(nested_scored.reasons.at(0) ==
        "in a nested sync def `work` (line 2): runs off the loop unless called there");

  Finding awaited = in_async(Rule::high);
  awaited.features.edit().awaited = true;
  CHECK(scored(awaited).score == 4);
  CHECK(scored(awaited).reasons == std::vector<std::string>{"awaited: an async API"});

  Finding reference = in_async(Rule::high);
  reference.features.edit().called = false;
  reference.features.edit().offload_call = "asyncio.to_thread";
  CHECK(scored(reference).score == 4);
  CHECK(scored(reference).reasons ==
        std::vector<std::string>{"function object handed to asyncio.to_thread: runs in a thread"});
}

TEST_CASE("scorer: the receiver's inferred kind decides where it is known") {
  auto with_kind = [](std::uint32_t rule, ReceiverKind kind, std::string origin) {
    Finding f = in_async(rule);
    f.features.edit().receiver_kind = kind;
    f.features.edit().receiver_origin = std::move(origin);
    return f;
  };
  // A socket the function made and never set non-blocking: blocking, whatever else the
  // function does with other fds.
  Finding sock = with_kind(Rule::medium, ReceiverKind::socket, "`sock` is created by socket.socketpair() on line 2");
  sock.features.edit().nonblocking_in_function = true;
  Finding blocking = scored(sock);
  CHECK(blocking.score == 95);
  CHECK(blocking.reasons.at(1) == "`sock` is created by socket.socketpair() on line 2 and never set non-blocking");
  sock.features.edit().receiver_nonblocking_line = 3;
  Finding nonblocking = scored(sock);
  CHECK(nonblocking.score == 10);
  CHECK(nonblocking.reasons.at(1) == "`sock` is created by socket.socketpair() on line 2 and set non-blocking on line 3");
  Finding udp = with_kind(Rule::medium, ReceiverKind::socket, "`s` is created by socket.socket() on line 2");
  udp.features.edit().receiver_datagram = true;
  udp.text = "    s.connect(addr)";
  CHECK(scored(udp).score == 5);

  // Popen.wait() on a Popen: blocking; in-memory and async objects: not I/O on the loop.
  auto gated_rules = search::RuleSet(rules::parse_pack(R"(
[[rule]]
id = "G1"
title = "a method blocking only on a receiver of its kind"
category = "blocking-io"
regex = '\.wait\('
check = "receiver-kind"
severity = "high"
)",
                                                       "gated.toml"));
  score::FileScorer gated_scorer(gated_rules, score::ScoreOptions{});
  std::vector<Finding> gated{with_kind(0, ReceiverKind::popen, "`proc` is created by subprocess.Popen() on line 2")};
  gated_scorer.score_file(gated);
  const Finding& popen = gated.at(0);
  CHECK(popen.score == 95);
  CHECK(popen.reasons.at(1) == "`proc` is created by subprocess.Popen() on line 2");
  Finding memory = scored(with_kind(Rule::medium, ReceiverKind::memory, "`buf` is an in-memory io.BytesIO() on line 2"));
  CHECK(memory.score == 3);
  CHECK(memory.reasons.at(1) == "`buf` is an in-memory io.BytesIO() on line 2: no file system is touched");
  CHECK(scored(with_kind(Rule::medium, ReceiverKind::async_io, "`p` is created by anyio.Path()")).score == 4);
  // A file object judged by a rule that is not about receivers (open() of it): the rule decides.
  CHECK(scored(with_kind(Rule::medium, ReceiverKind::file, "`f` is opened by open() on line 2")).score == 95);
  CHECK(scored(with_kind(Rule::high, ReceiverKind::path, "`p` is created by pathlib.Path()")).score == 97);
}

TEST_CASE("scorer: async iterators, numeric lookups and nested defs called on the loop") {
  Finding iterated = in_async(Rule::medium);
  iterated.features.edit().async_iterated = true;
  CHECK(scored(iterated).score == 4);
  CHECK(scored(iterated).reasons == std::vector<std::string>{"iterated with `async for`: the call returns an async iterator"});

  Finding numeric = in_async(Rule::medium);
  numeric.features.edit().numeric_lookup = true;
  CHECK(scored(numeric).score == 5);

  Finding nested = in_async(Rule::high);
  nested.features.edit().nested = Features::Nested::def;
  nested.features.edit().nested_name = "func";
  nested.features.edit().nested_line = 2;
  nested.features.edit().nested_called_line = 5;
  Finding called = scored(nested);
  CHECK(called.score == scored(in_async(Rule::high)).score);  // like the direct call it is
  CHECK(called.reasons.at(0) == "`func()` (line 2) is called on the loop at line 5");
}

TEST_CASE("scorer: test code and asyncio imports are reasons; non-blocking setup caps the score") {
  Finding f = in_async(Rule::high);
  f.features.edit().test_file = true;  // blocks the test's loop just the same
  CHECK(scored(f).score == 97);
  f.features.edit().imports_async = true;
  CHECK(scored(f).score == 97);
  f.features.edit().nonblocking_in_function = true;  // the labelling rules: not real
  Finding all = scored(f);
  CHECK(all.score == 10);
  CHECK(all.reasons ==
        std::vector<std::string>{"inside `async def fetch` (line 1)",
                                 "an fd or socket is set non-blocking in the same function",
                                 "test file (it still blocks that test's event loop)",
                                 "module imports asyncio/anyio/trio"});
}

TEST_CASE("scorer: a file without scope information keeps the severity's score") {
  Finding plain = scored(candidate(Rule::high));
  CHECK(plain.score == 70);
  CHECK(plain.reasons == std::vector<std::string>{"not a Python source: no scope information"});
  CHECK(scored(candidate(Rule::other)).score == 35);
  CHECK(scored(candidate(Rule::other)).reasons == std::vector<std::string>{"rule severity low"});
}

TEST_CASE("scorer: the document's regex yields to a scope-aware rule on the same line") {
  auto rules = scorer_rules();
  score::FileScorer scorer(rules, score::ScoreOptions{});
  std::vector<Finding> findings{in_async(Rule::high, 3), in_async(Rule::document, 3),
                                in_async(Rule::document, 8)};
  scorer.score_file(findings);
  CHECK(findings[0].score == 97);
  CHECK(findings[1].score == 5);
  CHECK(findings[1].reasons.back() == "the same code is reported by S1 (line 3)");
  CHECK(findings[2].score == 97);  // nothing else on line 8
}

TEST_CASE("scorer: the document's other checks") {
  CHECK(scored(in_async(Rule::event_loop)).score == 97);
  Finding loop_in_code = in_async(Rule::event_loop);
  loop_in_code.features.edit().async_line = 0;
  CHECK(scored(loop_in_code).score == 95);

  CHECK(scored(in_async(Rule::run)).score == 90);
  Finding main_guard = in_async(Rule::run);
  main_guard.features.edit().async_line = 0;
  main_guard.features.edit().main_guard = true;
  CHECK(scored(main_guard).score == 5);
  Finding elsewhere = in_async(Rule::run);
  elsewhere.features.edit().async_line = 0;
  CHECK(scored(elsewhere).score == 8);
}

TEST_CASE("scorer: gather() by what its call says and where it is") {
  Finding library = in_async(Rule::gather);
  CHECK(scored(library).score == 35);
  Finding test = in_async(Rule::gather);
  test.features.edit().test_file = true;
  CHECK(scored(test).score == 80);
  Finding collecting = in_async(Rule::gather);
  collecting.features.edit().test_file = true;
  collecting.features.edit().return_exceptions = true;
  CHECK(scored(collecting).score == 4);
  CHECK(scored(collecting).reasons ==
        std::vector<std::string>{"return_exceptions=True: failures are collected, not propagated"});
}

TEST_CASE("scorer: a blocking pipe or fd by where the event loop can reach it") {
  CHECK(scored(in_async(Rule::pipe)).score == 65);
  Finding asyncio_module = outside_async(Rule::pipe);
  asyncio_module.features.edit().imports_async = true;
  CHECK(scored(asyncio_module).score == 20);
  Finding sync_module = outside_async(Rule::pipe);
  CHECK(scored(sync_module).score == 3);
  CHECK(scored(sync_module).reasons.back() == "sync code in a module that does not use asyncio");
  Finding nonblocking = in_async(Rule::pipe);
  nonblocking.features.edit().nonblocking_in_function = true;
  CHECK(scored(nonblocking).score == 5);
  // The pipe transport makes the fd non-blocking itself, wherever the call is.
  CHECK(scored(in_async(Rule::pipe_transport)).score == 5);
}

TEST_CASE("scorer: @pytest.mark.asyncio by the asyncio_mode of the nearest pytest config") {
  test_support::TempTree tree;
  tree.write("auto/pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n");
  tree.write("strict/pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-v\"\n");
  Finding redundant = in_async(Rule::pytest_mark);
  redundant.path = tree.write("auto/tests/test_a.py", "");
  CHECK(scored(redundant).score == 95);
  Finding needed = in_async(Rule::pytest_mark);
  needed.path = tree.write("strict/tests/test_a.py", "");
  CHECK(scored(needed).score == 3);
  Finding unconfigured = in_async(Rule::pytest_mark);
  unconfigured.path = tree.write("none/tests/test_a.py", "");
  CHECK(scored(unconfigured).score == 3);
}

TEST_CASE("scorer: --seed-exact scores by severity alone") {
  Finding f = scored(in_async(Rule::high), true);
  CHECK(f.score == 70);
  CHECK(f.reasons == std::vector<std::string>{"rule severity high"});
  Finding comment = in_async(Rule::medium);
  comment.features.edit().region = Features::Region::comment;
  CHECK(scored(comment, true).score == 55);
}

namespace {

// A pathlib call matched on `text` at `column`, called on `receiver` (as the line model says).
Finding path_call(std::string text, std::string receiver) {
  Finding f = in_async(Rule::pathlib);
  std::size_t dot =
      text.find(".group(") != std::string::npos ? text.find(".group(") : text.find(".rename(");
  f.column = static_cast<std::uint32_t>(dot + 1);
  f.text = std::move(text);
  f.features.edit().receiver = std::move(receiver);
  return f;
}

}  // namespace

TEST_CASE("scorer: pathlib method names that other types share need a path receiver") {
  Finding match_group = scored(path_call("    n = m.group()", "m"));
  CHECK(match_group.score == 8);
  CHECK(match_group.reasons.at(1) ==
        "`.group()` on `m`: other types share the name (re match groups, dataclasses, own methods); "
        "check it is a path");
  CHECK(scored(path_call("    x = re.search(p, s).group()", "")).score == 8);

  Finding path_group = scored(path_call("    g = Path(f).group()", ""));
  CHECK(path_group.score == 93);
  CHECK(path_group.reasons.at(1) == "called on `Path`: looks like a path");
  CHECK(scored(path_call("    tmp_path.rename(dest)", "tmp_path")).score == 93);
  CHECK(scored(path_call("    (root / name).rename(dest)", "")).reasons.at(1) ==
        "called on `/`: looks like a path");

  // rename/replace: the regex admits one positional argument only, so an unknown receiver stays.
  Finding unknown = scored(path_call("    new.rename(old)", "new"));
  CHECK(unknown.score == 93);
  CHECK(unknown.reasons.at(1) == "`.rename(` with one argument on `new`: check it is a path");
  CHECK(scored(path_call("    self.rename(title)", "self")).score == 8);  // the class's own method
}
