#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "report/fingerprint.hpp"
#include "report/output.hpp"
#include "report/formats.hpp"
#include "rules/rule.hpp"
#include "test_python.hpp"

#ifndef ASYNCSWEEP_SOURCE_DIR
#error "ASYNCSWEEP_SOURCE_DIR must name the repository root"
#endif

using namespace asyncsweep;
using nlohmann::json;

namespace {

// Two rules with every field the printers use; R2's source holds backticks on purpose.
const char* const kPack = R"(
[[rule]]
id = "RHI"
title = "open() in async def"
category = "blocking-io"
section = "1. Blocking I/O"
source = ["rg --type py 'open\\('"]
regex = 'open\('
severity = "high"
fix = "Use `aiofiles` or `asyncio.to_thread(open, ...)`."
rationale = "Blocking calls stall the event loop."

[[rule]]
id = "RLO"
title = "asyncio.get_event_loop(): deprecated | use get_running_loop"
category = "deprecated-api"
source = ["rg 'get_event_loop' # uses ``` fences", "rg -c 'x'"]
regex = 'get_event_loop'
severity = "low"
)";

search::RuleSet make_rules() { return search::RuleSet(rules::parse_pack(kPack, "test.toml")); }

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "asw-report-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const std::string full = path + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
  }
};

Finding make_finding(std::uint32_t rule, std::string path, std::uint32_t line, std::string text, int score) {
  Finding f;
  f.rule = rule;
  f.path = std::move(path);
  f.line = line;
  f.end_line = line + static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
  f.column = 1;
  f.end_column = static_cast<std::uint32_t>(text.size() - (text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1)) + 1;
  f.text = std::move(text);
  f.score = score;
  f.reasons = {"first reason", "second reason"};
  return f;
}

std::vector<std::string> hashes_of(std::string_view text) {
  std::vector<std::string> out;
  report::hash_lines(text, [&](std::uint32_t line, std::string_view hash) {
    CHECK(line == out.size() + 1);
    out.emplace_back(hash);
  });
  return out;
}

using test_support::run_command;

}  // namespace

// Expected values: the test vectors of github/codeql-action src/fingerprints.test.ts.
TEST_CASE("report: line hashes match codeql-action's published test vectors") {
  CHECK(hashes_of("") == std::vector<std::string>{"c129715d7a2bc9a3:1"});
  CHECK(hashes_of(" a\nb\n  \t\tc\n d") ==
        std::vector<std::string>{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"});
  const std::vector<std::string> greetings = {"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1",
                                              "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
                                              "c129715d7a2bc9a3:1"};
  CHECK(hashes_of(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n") == greetings);
  CHECK(hashes_of(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r") == greetings);
  CHECK(hashes_of(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n") == greetings);
  CHECK(hashes_of(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n") == greetings);
  std::string lorem;
  for (int i = 0; i < 10; ++i) lorem += "Lorem ipsum dolor sit amet.\n";
  CHECK(hashes_of(lorem) == std::vector<std::string>{"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3",
                                                     "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6",
                                                     "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
                                                     "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"});
}

// Expected values from an independent Python port of fingerprints.ts (bytes decoded with
// Python's UTF-8 'replace' decoder, astral characters split into UTF-16 surrogates).
TEST_CASE("report: line hashes of non-ASCII, BOM and invalid UTF-8 follow Node's decoding") {
  CHECK(hashes_of("caf\xc3\xa9 = 1\n\xf0\x9f\x98\x80 x\n") ==
        std::vector<std::string>{"69e371c6babdc811:1", "6061da4448575c5e:1", "c129715d7a2bc9a3:1"});
  CHECK(hashes_of("\xef\xbb\xbfimport asyncio\n") == std::vector<std::string>{"4b7ef170cfcff76d:1", "c129715d7a2bc9a3:1"});
  CHECK(hashes_of("a\xff" "b\n\xe0\x80z\n\xed\xa0\x80q\n\xf0\x9f\x98") ==
        std::vector<std::string>{"410891fec2c0bcc2:1", "77184e3bd7fe251c:1", "7e16947522d84cf2:1", "8989dec65f08d110:1"});
  CHECK(hashes_of("x\r\ny\r\rz\n") == std::vector<std::string>{"976542771af57de6:1", "4c9e5682af2fc0b4:1",
                                                                 "3b306224f79348fd:1", "95de0951c928fa27:1",
                                                                 "c129715d7a2bc9a3:1"});
}

TEST_CASE("report: add_line_hashes gives each finding its first line's hash") {
  std::string lorem;
  for (int i = 0; i < 10; ++i) lorem += "Lorem ipsum dolor sit amet.\n";
  std::vector<Finding> findings(3);
  findings[0].line = 7;
  findings[1].line = 2;
  findings[2].line = 99;  // past the end: no hash
  std::vector<Finding> more(1);
  more[0].line = 2;
  report::add_line_hashes(lorem, findings, more);
  CHECK(findings[0].line_hash == "a7f2ff1481e87703:1");  // codeql-action's vector above
  CHECK(findings[1].line_hash == "a7f2ff13bc495cf2:2");
  CHECK(findings[2].line_hash.empty());
  CHECK(more[0].line_hash == "a7f2ff13bc495cf2:2");
  // The bytes as on disk: a BOM is hashed as Node decodes it.
  std::vector<Finding> bom(1);
  bom[0].line = 1;
  report::add_line_hashes("\xef\xbb\xbfimport asyncio\n", bom);
  CHECK(bom[0].line_hash == "4b7ef170cfcff76d:1");
}

TEST_CASE("report: UTF-8 sanitising and UTF-16 lengths") {
  CHECK(report::sanitize_utf8("plain") == "plain");
  CHECK(report::sanitize_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  // One U+FFFD per maximal invalid subpart: E0 80 is two, a truncated 4-byte sequence one.
  CHECK(report::sanitize_utf8("\xe0\x80") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(report::sanitize_utf8("\xf0\x9f\x98") == "\xef\xbf\xbd");
  CHECK(report::utf16_length("caf\xc3\xa9") == 4);
  CHECK(report::utf16_length("\xf0\x9f\x98\x80") == 2);

  Finding f;
  f.text = "x = \xc3\xa9\xc3\xa9; open(p)";  // "open" starts at byte 10, character 8
  f.line = f.end_line = 3;
  f.column = 10;
  f.end_column = 17;
  auto columns = report::utf16_columns(f);
  CHECK(columns.start == 8);
  CHECK(columns.end == 15);
  f.end_column = 99;  // past the line: clamped to the end of line + 1
  CHECK(report::utf16_columns(f).end == 16);
}

TEST_CASE("report: base-relative paths and URI encoding") {
  report::BaseDir base("/repo/root/");
  CHECK(report::BaseDir("/repo/root/").absolute() == "/repo/root");
  CHECK(base.relative("/repo/root/a/b.py") == std::optional<std::string>("a/b.py"));
  CHECK(base.relative("/repo/root/./a/../c.py") == std::optional<std::string>("c.py"));
  CHECK_FALSE(base.relative("/repo/rootless/x.py").has_value());
  CHECK_FALSE(base.relative("/repo/root").has_value());
  CHECK(base.relative_or_absolute("/elsewhere/../x.py") == "/x.py");
  CHECK(report::BaseDir("").relative("./pkg/mod.py") == std::optional<std::string>("pkg/mod.py"));
  CHECK(report::percent_encode_path("a b/c:d%e#f?\xff.py") == "a%20b/c%3Ad%25e%23f%3F%FF.py");
  CHECK(report::sarif_level(70) == "error");
  CHECK(report::sarif_level(69) == "warning");
  CHECK(report::sarif_level(40) == "warning");
  CHECK(report::sarif_level(39) == "note");
}

TEST_CASE("report: SARIF carries rules, results, fingerprints, suppressions and errors") {
  TempDir dir;
  auto rules = make_rules();
  const std::string content = " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n";
  const std::string file = dir.write("pkg/my file.py", content);

  SweepResult result;
  result.findings.push_back(make_finding(0, file, 2, "world!!!", 85));
  result.findings.push_back(make_finding(1, file, 5, "  \t\tGreetings", 45));
  result.findings.push_back(make_finding(1, dir.path + "/missing.py", 1, "get_event_loop()", 10));
  result.suppressed.push_back(make_finding(0, file, 6, " End", 90));
  result.errors.push_back({dir.path + "/unreadable.py", "", "Permission denied"});
  result.errors.push_back({dir.path + "/pkg/big.py", "RLO", "match limit exceeded"});

  // As `asyncsweep merge` gives them (a sweep hashes the file it has in memory).
  report::add_line_hashes_from_files(result.findings, result.suppressed);
  report::SarifOptions options;
  options.base_dir = dir.path;
  options.tool_version = "0.1.0";
  std::string out;
  report::print_sarif(result, rules, out, options);
  json log = json::parse(out);

  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "asyncsweep");
  CHECK(driver["semanticVersion"] == "0.1.0");
  REQUIRE(driver["rules"].size() == rules.size());
  const json& high = driver["rules"][0];
  CHECK(high["id"] == "RHI");
  CHECK(high["name"] == "OpenInAsyncDef");
  CHECK(high["shortDescription"]["text"] == "open() in async def");
  CHECK(high["fullDescription"]["text"] == "Blocking calls stall the event loop.");
  CHECK(high["defaultConfiguration"]["level"] == "error");
  CHECK(high["properties"]["category"] == "blocking-io");
  CHECK(high["properties"]["precision"] == "high");
  const std::string help = high["help"]["text"];
  CHECK(help.find("aiofiles") != std::string::npos);
  CHECK(help.find("1. Blocking I/O") != std::string::npos);
  CHECK(help.find("rg --type py 'open\\('") != std::string::npos);
  const json& low = driver["rules"][1];
  CHECK(low["defaultConfiguration"]["level"] == "note");
  CHECK(low["fullDescription"]["text"] == low["shortDescription"]["text"]);  // no rationale: the title
  // A command holding ``` gets a longer fence, so the block is not cut short.
  CHECK(low["help"]["markdown"].get<std::string>().find("````sh\n") != std::string::npos);

  REQUIRE(run["results"].size() == 4);
  const json& first = run["results"][0];
  CHECK(first["ruleId"] == "RHI");
  CHECK(first["ruleIndex"] == 0);
  CHECK(first["level"] == "error");
  CHECK(first["message"]["text"] == "open() in async def: first reason");
  CHECK(first["rank"] == 85.0);
  CHECK(first["properties"]["score"] == 85);
  CHECK(first["properties"]["reasons"] == json::array({"first reason", "second reason"}));
  const json& location = first["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "pkg/my%20file.py");
  CHECK(location["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(location["region"]["startLine"] == 2);
  CHECK(location["region"]["startColumn"] == 1);
  CHECK(location["region"]["endLine"] == 2);
  CHECK(location["region"]["endColumn"] == 9);
  // codeql-action's published vector for line 2 of this text.
  CHECK(first["partialFingerprints"]["primaryLocationLineHash"] == "fb7c023a8b9ccb3f:1");
  CHECK_FALSE(first.contains("suppressions"));

  const json& second = run["results"][1];
  CHECK(second["level"] == "warning");
  CHECK(second["partialFingerprints"]["primaryLocationLineHash"] == "b3edc88f2938467e:1");
  const json& unreadable = run["results"][2];
  CHECK(unreadable["level"] == "note");
  CHECK_FALSE(unreadable.contains("partialFingerprints"));  // the file is gone: no guess
  const json& suppressed = run["results"][3];
  CHECK(suppressed["suppressions"] == json::array({json{{"kind", "inSource"}}}));
  CHECK(suppressed["partialFingerprints"]["primaryLocationLineHash"] == "c8e28b0b4002a3a0:1");

  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + report::percent_encode_path(dir.path) + "/");
  const json& invocation = run["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  REQUIRE(invocation["toolExecutionNotifications"].size() == 2);
  const json& note = invocation["toolExecutionNotifications"][1];
  CHECK(note["level"] == "error");
  CHECK(note["message"]["text"] == "rule RLO: match limit exceeded");
  CHECK(note["associatedRule"]["id"] == "RLO");
  CHECK(note["associatedRule"]["index"] == 1);
  CHECK(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/big.py");
}

TEST_CASE("report: SARIF survives odd bytes and paths outside the base") {
  auto rules = make_rules();
  SweepResult result;
  auto f = make_finding(0, "/outside/caf\xff/x.py", 3, "open(\"\xff\")", 50);
  f.context = ContextLines({"async def f():", "  # \xfe"}, {"  return"});
  result.findings.push_back(f);
  report::SarifOptions options;
  options.base_dir = "/nonexistent-base";
  std::string out;
  REQUIRE_NOTHROW(report::print_sarif(result, rules, out, options));
  json log = json::parse(out);  // must be valid UTF-8 JSON
  const json& result0 = log["runs"][0]["results"][0];
  const json& location = result0["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "file:///outside/caf%FF/x.py");
  CHECK_FALSE(location["artifactLocation"].contains("uriBaseId"));
  CHECK(location["region"]["snippet"]["text"] == "open(\"\xef\xbf\xbd\")");
  CHECK(location["contextRegion"]["startLine"] == 1);
  CHECK(location["contextRegion"]["endLine"] == 4);
  CHECK(log["runs"][0]["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("report: printed SARIF validates against the OASIS schema") {
  // The checker runs under the tests' Python, which must have jsonschema (python3-jsonschema).
  const std::string python = test_support::test_python();
  test_support::python_says("import jsonschema", "jsonschema (install python3-jsonschema)");
  int status = 0;
  TempDir dir;
  auto rules = make_rules();
  const std::string file = dir.write("a.py", "import asyncio\nloop = asyncio.get_event_loop()\n");
  SweepResult result;
  auto f = make_finding(1, file, 2, "loop = asyncio.get_event_loop()", 72);
  f.context = ContextLines({"import asyncio"}, {});
  result.findings.push_back(f);
  result.suppressed.push_back(make_finding(0, file, 1, "import asyncio", 5));
  result.errors.push_back({file, "RHI", "JIT stack exhausted"});
  result.errors.push_back({"", "", "a sweep-wide problem"});
  report::SarifOptions options;
  options.base_dir = dir.path;
  options.information_uri = "https://example.invalid/asyncsweep";
  options.automation_id = "asyncsweep/";
  std::string out;
  report::print_sarif(result, rules, out, options);
  const std::string sarif = dir.write("out.sarif", out);

  const std::string script = std::string(ASYNCSWEEP_SOURCE_DIR) + "/tests/e2e/sarif_check.py";
  std::string output = run_command(python + " '" + script + "' '" + sarif + "' 2>&1", status);
  INFO(output);
  CHECK(status == 0);

  // And the checker does reject a broken file (a result without a message).
  json broken = json::parse(out);
  broken["runs"][0]["results"][0].erase("message");
  const std::string bad = dir.write("bad.sarif", broken.dump());
  output = run_command(python + " '" + script + "' '" + bad + "' 2>&1", status);
  CHECK(status == 1);
  CHECK(output.find("message") != std::string::npos);
}

namespace {

struct Command {
  std::string name;
  std::map<std::string, std::string> properties;
  std::string data;
};

std::string unescape(std::string text, bool property) {
  // The runner's order (ActionCommand.cs): %25 last so "%253A" stays "%3A".
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  };
  replace_all("%0D", "\r");
  replace_all("%0A", "\n");
  if (property) {
    replace_all("%3A", ":");
    replace_all("%2C", ",");
  }
  replace_all("%25", "%");
  return text;
}

// Parses one workflow command line the way the Actions runner does.
Command parse_command(const std::string& line) {
  REQUIRE(line.rfind("::", 0) == 0);
  const std::size_t end = line.find("::", 2);
  REQUIRE(end != std::string::npos);
  std::string head = line.substr(2, end - 2);
  Command command;
  command.data = unescape(line.substr(end + 2), false);
  const std::size_t space = head.find(' ');
  command.name = head.substr(0, space);
  if (space == std::string::npos) return command;
  std::string rest = head.substr(space + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t comma = rest.find(',', start);
    if (comma == std::string::npos) comma = rest.size();
    const std::string pair = rest.substr(start, comma - start);
    const std::size_t eq = pair.find('=');
    REQUIRE(eq != std::string::npos);
    command.properties[pair.substr(0, eq)] = unescape(pair.substr(eq + 1), true);
    start = comma + 1;
  }
  return command;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  CHECK(start == text.size());  // every command ends with a newline
  return lines;
}

}  // namespace

TEST_CASE("report: GitHub workflow commands round-trip awkward paths and messages") {
  auto rules = make_rules();
  SweepResult result;
  const std::string awkward = "/base/we,ird:dir/100%25 file::x.py";
  auto f = make_finding(0, awkward, 7, "open(\xc3\xa9)", 75);
  f.column = 6;
  f.end_column = 9;  // "é)" + 1: UTF-16 column 6..8
  f.reasons = {"contains :: and %0A literally", "line\nbreak\r\nand 100%"};
  result.findings.push_back(f);
  result.findings.push_back(make_finding(1, "/base/b.py", 2, "x", 40));
  result.findings.push_back(make_finding(1, "/elsewhere/c.py", 3, "y", 39));
  result.errors.push_back({"/base/d.py", "", "cannot read: Permission denied"});

  std::string out;
  report::print_github(result, rules, out, report::GithubOptions{"/base"});
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 4);

  Command first = parse_command(lines[0]);
  CHECK(first.name == "error");
  CHECK(first.properties["file"] == "we,ird:dir/100%25 file::x.py");
  CHECK(first.properties["line"] == "7");
  CHECK(first.properties["endLine"] == "7");
  CHECK(first.properties["col"] == "6");
  CHECK(first.properties["title"] == "RHI open() in async def");
  CHECK(first.data == "open() in async def (score 75): contains :: and %0A literally; line\nbreak\r\nand 100%\n"
                      "Fix: Use `aiofiles` or `asyncio.to_thread(open, ...)`.");
  Command second = parse_command(lines[1]);
  CHECK(second.name == "warning");
  CHECK(second.properties["file"] == "b.py");
  CHECK(second.properties["title"] == "RLO asyncio.get_event_loop(): deprecated | use get_running_loop");
  Command third = parse_command(lines[2]);
  CHECK(third.name == "notice");
  CHECK(third.properties["file"] == "/elsewhere/c.py");
  Command error = parse_command(lines[3]);
  CHECK(error.name == "error");
  CHECK(error.properties["file"] == "d.py");
  CHECK(error.data == "cannot read: Permission denied");

  CHECK(report::github_escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e");
  CHECK(report::github_escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce");
}

TEST_CASE("report: Markdown checklist orders rules by best score and fences robustly") {
  auto rules = make_rules();
  SweepResult result;
  result.findings.push_back(make_finding(0, "/base/src/a_b.py", 3, "open(x)", 30));
  auto fenced = make_finding(1, "/base/src/pkg/c|d.py", 10, "s = \"\"\"```python\"\"\"\nasyncio.get_event_loop()", 80);
  result.findings.push_back(fenced);
  result.findings.push_back(make_finding(1, "/base/top.py", 1, "get_event_loop()", 55));
  result.findings.push_back(make_finding(0, "/base/src/z.py", 4, "open(y)", 60));
  result.baselined = 2;
  result.errors.push_back({"/base/e.py", "", "boom"});

  std::string out;
  report::print_markdown(result, rules, out, report::MarkdownOptions{"/base"});
  INFO(out);
  CHECK(out.rfind("# asyncsweep review checklist\n", 0) == 0);
  CHECK(out.find("4 findings in 4 files from 2 rules (2 known to the baseline; 1 error, listed at the end).") !=
        std::string::npos);
  // Summary tables: per rule (escaped title) and per top-level directory.
  CHECK(out.find("| RLO | asyncio.get\\_event\\_loop\\(\\): deprecated \\| use get\\_running\\_loop | 2 | 80 |") !=
        std::string::npos);
  CHECK(out.find("| RHI | open\\(\\) in async def | 2 | 60 |") != std::string::npos);
  CHECK(out.find("| src | 3 |") != std::string::npos);
  CHECK(out.find("| . | 1 |") != std::string::npos);
  // RLO (best 80) before RHI (best 60); inside a rule, by score.
  const auto rlo = out.find("## RLO: ");
  const auto rhi = out.find("## RHI: ");
  REQUIRE(rlo != std::string::npos);
  REQUIRE(rhi != std::string::npos);
  CHECK(rlo < rhi);
  const auto c_item = out.find("- [ ] [src/pkg/c\\|d.py:10](src/pkg/c%7Cd.py#L10-L11) — score 80");
  const auto top_item = out.find("- [ ] [top.py:1](top.py#L1) — score 55");
  const auto z_item = out.find("- [ ] [src/z.py:4](src/z.py#L4) — score 60");
  const auto ab_item = out.find("- [ ] [src/a\\_b.py:3](src/a_b.py#L3) — score 30");
  CHECK(c_item != std::string::npos);
  CHECK(c_item < top_item);
  CHECK(top_item < rhi);
  CHECK(rhi < z_item);
  CHECK(z_item < ab_item);
  CHECK(ab_item != std::string::npos);
  // The snippet holds ``` so its fence is four backticks long.
  CHECK(out.find("  ````python\n  s = \"\"\"```python\"\"\"\n  asyncio.get_event_loop()\n  ````\n") != std::string::npos);
  CHECK(out.find("  ```python\n  open(y)\n  ```\n  - first reason\n  - second reason\n") != std::string::npos);
  // The fix once per rule section (RLO has none).
  std::size_t fixes = 0;
  for (std::size_t at = 0; (at = out.find("**Fix:**", at)) != std::string::npos; ++at) ++fixes;
  CHECK(fixes == 1);
  CHECK(out.find("## Errors\n\n- e.py: boom\n") != std::string::npos);
  CHECK(out.back() == '\n');
  CHECK(out[out.size() - 2] != '\n');
}

TEST_CASE("report: Markdown with no findings says so briefly") {
  auto rules = make_rules();
  SweepResult result;
  std::string out;
  report::print_markdown(result, rules, out);
  CHECK(out == "# asyncsweep review checklist\n\n0 findings in 0 files from 0 rules.\n");
  CHECK(report::markdown_escape("a*b\nc<d>") == "a\\*b c\\<d\\>");
}

TEST_CASE("report: JSON Lines stream out in bounded pieces, the same text on any thread count") {
  const auto rules = make_rules();
  SweepResult result;
  constexpr std::uint32_t kFindings = 40000;  // several windows of formatted blocks
  for (std::uint32_t i = 0; i < kFindings; ++i)
    result.findings.push_back(make_finding(i % 2, "pkg/m" + std::to_string(i / 100) + ".py", i % 100 + 1,
                                           "time.sleep(" + std::to_string(i) + ")", static_cast<int>(i % 101)));
  std::string whole;
  report::print_json(result, rules, whole);
  for (int threads : {1, 2, 0}) {
    std::string streamed;
    std::size_t pieces = 0, largest = 0;
    const bool written = report::print_json(result, rules, [&](std::string_view piece) {
      ++pieces;
      largest = std::max(largest, piece.size());
      streamed += piece;
      return true;
    }, threads);
    CHECK(written);
    CHECK(streamed == whole);
    CHECK(pieces > 2);
    CHECK(largest < whole.size() / 2);  // never the whole report in one piece
  }
  CHECK(static_cast<std::uint32_t>(std::count(whole.begin(), whole.end(), '\n')) == kFindings + 1);  // + the summary

  // A failed write stops the printing: nothing more is formatted for a reader that went away.
  std::size_t calls = 0;
  CHECK_FALSE(report::print_json(result, rules, [&](std::string_view) { return ++calls < 2; }, 1));
  CHECK(calls == 2);
}

TEST_CASE("report: text streams out in pieces with the same bytes as the whole report") {
  const auto rules = make_rules();
  SweepResult result;
  for (std::uint32_t i = 0; i < 20000; ++i)
    result.findings.push_back(make_finding(i % 2, "pkg/m" + std::to_string(i / 100) + ".py", i % 100 + 1,
                                           "time.sleep(" + std::to_string(i) + ")", 50));
  std::string whole;
  report::print_text(result, rules, report::TextStyle{}, whole);
  std::string streamed;
  std::size_t pieces = 0;
  CHECK(report::print_text(result, rules, report::TextStyle{}, [&](std::string_view piece) {
    ++pieces;
    streamed += piece;
    return true;
  }));
  CHECK(streamed == whole);
  CHECK(pieces > 1);
  CHECK(whole.find("20000 findings in 200 files") != std::string::npos);
  std::size_t calls = 0;
  CHECK_FALSE(report::print_text(result, rules, report::TextStyle{}, [&](std::string_view) { return ++calls < 1; }));
  CHECK(calls == 1);
}

TEST_CASE("report: SARIF, GitHub and Markdown stream out in pieces with the same bytes as the whole report") {
  const auto rules = make_rules();
  SweepResult result;
  // Long reasons: past the printers' megabyte pieces with few findings (each costs SARIF a Json).
  const std::string long_reason = "module imports asyncio/anyio/trio" + std::string(1400, '.');
  for (std::uint32_t i = 0; i < 1000; ++i) {
    Finding finding = make_finding(i % 2, "pkg/m" + std::to_string(i / 100) + ".py", i % 100 + 1,
                                   "time.sleep(" + std::to_string(i) + ")", static_cast<int>(i % 90));
    finding.reasons = {"inside `async def f` (line 1)", long_reason};
    result.findings.push_back(std::move(finding));
  }
  result.suppressed.push_back(make_finding(0, "pkg/z.py", 3, "time.sleep(1)", 50));
  result.errors.push_back(SweepError{"pkg/bad.py", "", "Permission denied"});
  using Print = std::function<bool(const report::PieceWriter&)>;
  using PrintWhole = std::function<void(std::string&)>;
  const std::vector<std::pair<PrintWhole, Print>> formats = {
      {[&](std::string& out) { report::print_sarif(result, rules, out, report::SarifOptions{"/base", "1.0", "", ""}); },
       [&](const report::PieceWriter& write) {
         return report::print_sarif(result, rules, write, report::SarifOptions{"/base", "1.0", "", ""});
       }},
      {[&](std::string& out) { report::print_github(result, rules, out, report::GithubOptions{"/base"}); },
       [&](const report::PieceWriter& write) {
         return report::print_github(result, rules, write, report::GithubOptions{"/base"});
       }},
      {[&](std::string& out) { report::print_markdown(result, rules, out, report::MarkdownOptions{"/base"}); },
       [&](const report::PieceWriter& write) {
         return report::print_markdown(result, rules, write, report::MarkdownOptions{"/base"});
       }},
  };
  std::string sarif;
  for (const auto& [whole_of, pieces_of] : formats) {
    std::string whole;
    whole_of(whole);
    if (sarif.empty()) sarif = whole;
    std::string streamed;
    std::size_t pieces = 0;
    CHECK(pieces_of([&](std::string_view piece) {
      ++pieces;
      streamed += piece;
      return true;
    }));
    CHECK(streamed == whole);
    CHECK(pieces > 1);
    std::size_t calls = 0;
    CHECK_FALSE(pieces_of([&](std::string_view) { return ++calls < 1; }));
    CHECK(calls == 1);
  }
  // The streamed SARIF is the log the whole one is: every result in, and the run's frame around them.
  const auto log = nlohmann::ordered_json::parse(sarif);  // the printer's key order
  CHECK(log["runs"][0]["results"].size() == 1001);
  CHECK(log["runs"][0]["properties"]["findings"] == 1000);
  // And laid out byte for byte as dumping the whole log at once lays it out.
  CHECK(log.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n" == sarif);
}
