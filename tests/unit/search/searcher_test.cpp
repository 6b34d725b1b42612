#include "search/searcher.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "search/line_index.hpp"

using namespace asyncsweep;

namespace {

search::RuleSet make_rules(const std::string& body) {
  std::string text = "[[rule]]\nid = \"R\"\ntitle = \"t\"\ncategory = \"blocking-io\"\nseverity = \"low\"\n" + body;
  return search::RuleSet(rules::parse_pack(text, "test.toml"));
}

struct Lines {
  std::uint32_t line;
  std::uint32_t end_line;
  bool operator==(const Lines& o) const { return line == o.line && end_line == o.end_line; }
};

std::ostream& operator<<(std::ostream& os, const Lines& l) { return os << l.line << "-" << l.end_line; }

std::vector<Lines> run(const search::RuleSet& rules, const std::string& text, bool seed_exact = false,
                       search::FileOutcome* keep = nullptr) {
  search::SearchOptions options;
  options.seed_exact = seed_exact;
  search::Searcher searcher(rules, options);
  search::FileOutcome outcome;
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  searcher.search("f.py", text, all, outcome);
  std::vector<Lines> out;
  for (const auto& f : outcome.findings) out.push_back({f.line, f.end_line});
  if (keep != nullptr) *keep = outcome;
  return out;
}

// Async-scope rules searched only within `regions`, as the sweep does for Python files.
std::vector<Lines> run_in_regions(const search::RuleSet& rules, const std::string& text,
                                  const std::vector<search::TextRange>& regions) {
  search::Searcher searcher(rules, search::SearchOptions{});
  search::FileOutcome outcome;
  std::vector<std::uint32_t> all;
  for (std::uint32_t i = 0; i < rules.size(); ++i) all.push_back(i);
  searcher.search("f.py", text, all, outcome, [&regions] { return &regions; });
  std::vector<Lines> out;
  for (const auto& f : outcome.findings) out.push_back({f.line, f.end_line});
  return out;
}

}  // namespace

TEST_CASE("line index counts lazily and answers ranges") {
  search::LineIndex index;
  std::string text = "a\nbb\n\nccc";
  index.reset(text);
  CHECK(index.line_of(0) == 1);
  CHECK(index.line_of(2) == 2);
  CHECK(index.line_of(5) == 3);
  CHECK(index.line_of(6) == 4);
  std::size_t b = 0, e = 0;
  REQUIRE(index.line_range(4, b, e));
  CHECK(text.substr(b, e - b) == "ccc");
  CHECK_FALSE(index.line_range(5, b, e));
}

TEST_CASE("line index agrees with a plain count at every offset, asked in any order") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::string text;
    for (std::size_t i = 0, n = rng() % 300; i < n; ++i) text += "ab\n\r "[rng() % 5];
    search::LineIndex index;
    index.reset(text);
    // Lines first (line_range scans ahead in steps), then offsets, both in random order.
    std::vector<std::size_t> line_begins = {0};
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_begins.push_back(i + 1);
    }
    for (int k = 0; k < 20; ++k) {
      auto line = static_cast<std::uint32_t>(1 + rng() % (line_begins.size() + 2));
      std::size_t b = 0, e = 0;
      bool exists =
          line <= line_begins.size() && (line == 1 || line_begins[line - 1] < text.size());
      REQUIRE(index.line_range(line, b, e) == exists);
      if (exists) CHECK(b == line_begins[line - 1]);
      std::size_t offset = rng() % (text.size() + 1);
      auto expected =
          static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + offset, '\n') + 1);
      REQUIRE(index.line_of(offset) == expected);
    }
  }
}

TEST_CASE("line mode: one finding per matching line, first column reported") {
  auto rules = make_rules("regex = 'open\\('\n");
  search::FileOutcome outcome;
  auto lines = run(rules, "x = 1\nopen(a); open(b)\n  open(c)", false, &outcome);
  CHECK(lines == std::vector<Lines>{{2, 2}, {3, 3}});
  REQUIRE(outcome.findings.size() == 2);
  CHECK(outcome.findings[0].column == 1);
  CHECK(outcome.findings[1].column == 3);
  CHECK(outcome.findings[1].text == "  open(c)");
}

TEST_CASE("line mode never lets a match cross a line, even with \\s") {
  auto rules = make_rules("regex = 'foo\\s+bar'\n");
  CHECK(run(rules, "foo\nbar\n").empty());
  CHECK(run(rules, "foo\nbar\nfoo  bar\n") == std::vector<Lines>{{3, 3}});
}

TEST_CASE("line mode jumps to the lines holding the regex's literal and finds the same lines") {
  auto rules = make_rules("regex = '(?<![\\w.])a\\s*finally'\n");
  REQUIRE(rules[0].line_literals.size() == 1);
  REQUIRE(rules[0].line_literals[0].literal() == "finally");
  // Line 1 starts a match that crosses into line 3; the literal's first line (3) has no
  // match of its own; line 4 has one, and line 5's is behind a `.` (lookbehind before it).
  std::string text = "a\n\nfinally x\na finally\n.a finally\nxa finally\n a  finally";
  CHECK(run(rules, text) == std::vector<Lines>{{4, 4}, {7, 7}});
  // The same without the jump (no literal derivable from an inline-option regex).
  auto plain = make_rules("regex = '(?-i)(?<![\\w.])a\\s*finally'\n");
  REQUIRE(plain[0].line_literals.empty());
  CHECK(run(plain, text) == run(rules, text));
}

TEST_CASE(
    "line mode bounds each search to a literal's line, skips regions without literals, "
    "and finds what a plain search finds") {
  // Differential: the same regexes with literal jumps and without (an inline option hides the
  // literals), on random text where matches cross lines, lookaheads look past a line, and
  // literals stand on lines without a match. The last regex has too many common literals to
  // jump between: within regions it checks each region for them first instead.
  const std::vector<std::string> regexes = {"(?<![\\w.])open\\s*\\(", "open(?!\\s*\\))",
                                            "\\.(?:send|recv|wait)\\s*\\(", "(?:open|x)\\.?send\\b",
                                            "(?<!x)\\.(?:send|recv|wait|open)\\s*\\("};
  const std::vector<std::string> pieces = {"open", "send", "recv", ".",    "(",   ")",
                                           " ",    "\n",   "x",    "wait", "\n\n"};
  std::mt19937 random(14);
  for (const auto& regex : regexes) {
    auto jumping = make_rules("regex = '" + regex + "'\n");
    auto plain = make_rules("regex = '(?-i)" + regex + "'\n");
    auto jumping_async = make_rules("scope = \"async\"\nregex = '" + regex + "'\n");
    auto plain_async = make_rules("scope = \"async\"\nregex = '(?-i)" + regex + "'\n");
    REQUIRE((!jumping[0].line_literals.empty() || jumping_async[0].region_literals != nullptr));
    REQUIRE(plain[0].line_literals.empty());
    REQUIRE(plain_async[0].region_literals == nullptr);
    for (int round = 0; round < 300; ++round) {
      std::string text;
      const int length = static_cast<int>(random() % 40);
      for (int i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
      INFO(regex << " on \"" << text << "\"");
      CHECK(run(jumping, text) == run(plain, text));
      // Searched within regions (every other line, as async bodies would be), the same.
      text = "async\n" + text;
      std::vector<search::TextRange> regions;
      for (std::size_t begin = 0, line = 0; begin < text.size(); ++line) {
        std::size_t end = std::min(text.find('\n', begin), text.size() - 1) + 1;
        if (line % 2 == 1) regions.push_back({begin, end});
        begin = end;
      }
      CHECK(run_in_regions(jumping_async, text, regions) ==
            run_in_regions(plain_async, text, regions));
    }
  }
}

TEST_CASE("async rules sharing one literal pass over the regions find what they find alone") {
  // Several async rules in one set, some sharing a line literal: the regions' one pass over
  // all their literals tells each rule which of its own a region lacks. Each rule must find
  // what it finds without literals to jump between.
  const std::vector<std::string> regexes = {"(?<![\\w.])open\\s*\\(",
                                            "\\.(?:send|recv|wait)\\s*\\(", "(?:open|x)\\.?send\\b",
                                            "open(?!\\s*\\))"};
  std::string jumping_pack, plain_pack;
  for (std::size_t k = 0; k < regexes.size(); ++k) {
    std::string head =
        "[[rule]]\nid = \"R" + std::to_string(k) +
        "\"\ntitle = \"t\"\ncategory = \"blocking-io\"\nseverity = \"low\"\nscope = \"async\"\n";
    jumping_pack += head + "regex = '" + regexes[k] + "'\n";
    plain_pack += head + "regex = '(?-i)" + regexes[k] + "'\n";
  }
  search::RuleSet jumping(rules::parse_pack(jumping_pack, "test.toml"));
  search::RuleSet plain(rules::parse_pack(plain_pack, "test.toml"));
  for (std::size_t k = 0; k < regexes.size(); ++k) {
    REQUIRE(!jumping[k].line_literals.empty());
    REQUIRE(plain[k].line_literals.empty());
  }
  const std::vector<std::string> pieces = {"open", "send", "recv", ".", "(",
                                           ")",    " ",    "\n",   "x", "wait"};
  std::mt19937 random(15);
  for (int round = 0; round < 400; ++round) {
    std::string text = "async\n";
    const int length = static_cast<int>(random() % 60);
    for (int i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
    std::vector<search::TextRange> regions;
    for (std::size_t begin = 0, line = 0; begin < text.size(); ++line) {
      std::size_t end = std::min(text.find('\n', begin), text.size() - 1) + 1;
      if (line % 3 != 0) regions.push_back({begin, end});
      begin = end;
    }
    INFO("\"" << text << "\"");
    CHECK(run_in_regions(jumping, text, regions) == run_in_regions(plain, text, regions));
  }
}

TEST_CASE("multiline: matches widen to lines and adjacent ranges merge, as rg does") {
  auto rules = make_rules("regex = 'a\\nb'\nmultiline = true\n");
  // Two matches on lines 1-2 and 2-3 overlap: one merged finding 1-3.
  CHECK(run(rules, "a\nb\nb\n") == std::vector<Lines>{{1, 2}});
  CHECK(run(rules, "a\nba\nb\n") == std::vector<Lines>{{1, 3}});
  // A match starting on the line after the previous one ended still merges (rg #1311).
  CHECK(run(rules, "a\nb\na\nb\nx\nx\na\nb") == std::vector<Lines>{{1, 4}, {7, 8}});
}

TEST_CASE("multiline: the document's async def pattern on CRLF and at EOF without newline") {
  auto rules = make_rules("regex = 'async def.*\\n.*\\n.*\\bopen\\('\nmultiline = true\n");
  CHECK(run(rules, "async def f():\r\n    x = 1\r\n    open(p)\r\n") == std::vector<Lines>{{1, 3}});
  CHECK(run(rules, "async def f():\n    x = 1\n    open(p)") == std::vector<Lines>{{1, 3}});
  CHECK(run(rules, "async def f():\n    x = 1\n    y = 2\n    open(p)\n").empty());
}

TEST_CASE("a match ending in a newline ends on that line") {
  auto rules = make_rules("regex = 'x\\n'\nmultiline = true\n");
  CHECK(run(rules, "x\ny\n") == std::vector<Lines>{{1, 1}});
}

TEST_CASE("empty matches report each line once, and not the phantom line after the final newline") {
  auto rules = make_rules("regex = '^'\n");
  CHECK(run(rules, "a\nb\n") == std::vector<Lines>{{1, 1}, {2, 2}});
  CHECK(run(rules, "a\nb") == std::vector<Lines>{{1, 1}, {2, 2}});
}

TEST_CASE("exclude_line drops matches whose lines match (grep -v)") {
  auto rules = make_rules("regex = 'asyncio\\.run\\('\nexclude_line = ['__main__', '^if __name__']\n");
  std::string text = "asyncio.run(main())\nif __name__ == '__main__': asyncio.run(main())\n    asyncio.run(x)  # __main__\n";
  CHECK(run(rules, text) == std::vector<Lines>{{1, 1}});
  CHECK(run(rules, text, true).size() == 3);  // --seed-exact: rg stage only
}

TEST_CASE("exclude_path drops matches in files whose path matches") {
  auto rules = make_rules("regex = 'x'\nexclude_path = ['__main__']\n");
  search::SearchOptions options;
  search::Searcher searcher(rules, options);
  search::FileOutcome outcome;
  searcher.search("pkg/__main__.py", "x\n", {0}, outcome);
  CHECK(outcome.findings.empty());
  searcher.search("pkg/cli.py", "x\n", {0}, outcome);
  CHECK(outcome.findings.size() == 1);
}

TEST_CASE("unless_within looks at the -B/-A window around the match") {
  auto rules = make_rules("regex = 'os\\.fdopen\\('\nbefore = 2\nafter = 2\nunless_within = ['O_NONBLOCK']\n");
  CHECK(run(rules, "a\nb\nc\nf = os.fdopen(fd)\n").size() == 1);
  CHECK(run(rules, "flags | os.O_NONBLOCK\nb\nf = os.fdopen(fd)\n").empty());
  CHECK(run(rules, "f = os.fdopen(fd)\nb\nflags | os.O_NONBLOCK\n").empty());
  // Three lines above is outside a window of two.
  CHECK(run(rules, "flags | os.O_NONBLOCK\nb\nc\nf = os.fdopen(fd)\n").size() == 1);
  CHECK(run(rules, "flags | os.O_NONBLOCK\nb\nc\nf = os.fdopen(fd)\n", true).size() == 1);
}

TEST_CASE("inventory rules count matched lines instead of reporting findings") {
  auto rules = make_rules("regex = '\\bawait\\b'\nkind = \"inventory\"\n");
  search::FileOutcome outcome;
  auto lines = run(rules, "await a\nawait b; await c\nx\n", false, &outcome);
  CHECK(lines.empty());
  CHECK(outcome.counts[0] == 2);
  CHECK(run(rules, "await a\nawait b; await c\nx\n", true).size() == 2);
}

TEST_CASE("literal prefilter skips files without the literal") {
  auto rules = make_rules("regex = 'o.en\\('\nliterals = ['open']\n");
  CHECK(run(rules, "oxen(\n").empty());
  CHECK(run(rules, "open(\n").size() == 1);
}

TEST_CASE("a PCRE2 limit is an error for that rule and file, with what was found kept") {
  std::string text = "[[rule]]\nid = \"R\"\ntitle = \"t\"\ncategory = \"blocking-io\"\nseverity = \"low\"\nregex = '^x|(a+)+$'\n";
  search::RuleSet rules(rules::parse_pack(text, "t.toml"));
  search::SearchOptions options;
  options.limits.match_limit = 5000;
  search::Searcher searcher(rules, options);
  search::FileOutcome outcome;
  std::string subject = "x\n" + std::string(30, 'a') + "b\n";
  searcher.search("f.py", subject, {0}, outcome);
  REQUIRE(outcome.errors.size() == 1);
  CHECK(outcome.errors[0].rule == "R");
  CHECK_THAT(outcome.errors[0].message, Catch::Contains("match limit exceeded"));
  CHECK(outcome.findings.size() == 1);
}

TEST_CASE("context lines come from the rule unless overridden") {
  auto rules = make_rules("regex = 'x'\nbefore = 1\nafter = 1\n");
  search::FileOutcome outcome;
  run(rules, "a\nx\nb\n", false, &outcome);
  REQUIRE(outcome.findings.size() == 1);
  CHECK(outcome.findings[0].context.before() == std::vector<std::string>{"a"});
  CHECK(outcome.findings[0].context.after() == std::vector<std::string>{"b"});
}

TEST_CASE("finding_at fills in the match site alone, as search() would") {
  auto rules = make_rules("regex = 'sleep\\('\nexclude_line = ['noqa']\nbefore = 1\n");
  const std::string text =
      "import time\nasync def f():\n    time.sleep(1)\n    time.sleep(2)  # noqa\n";
  search::SearchOptions options;
  search::Searcher searcher(rules, options);
  search::FileOutcome outcome;
  searcher.search("f.py", text, {0}, outcome);
  REQUIRE(outcome.findings.size() == 1);
  const Finding& searched = outcome.findings[0];

  // Another stage found the call: a finding whose later parts exist already keeps them, and a
  // site it held before is replaced whole (no context line left over).
  Finding found;
  found.score = 77;
  found.context = ContextLines({}, {"stale"});
  const std::size_t begin = text.find("sleep(1)");
  REQUIRE(searcher.finding_at(0, "f.py", text, begin, begin + 6, found));
  CHECK(found.line == searched.line);
  CHECK(found.column == searched.column);
  CHECK(found.end_column == searched.end_column);
  CHECK(found.offset == begin);
  CHECK(found.text == searched.text);
  CHECK(found.context.before() == std::vector<std::string>{"async def f():"});
  CHECK(found.context.after().empty());
  CHECK(found.score == 77);
  // The rule's exclude_line applies as in search().
  const std::size_t excluded = text.find("sleep(2)");
  CHECK_FALSE(searcher.finding_at(0, "f.py", text, excluded, excluded + 6, found));
}
