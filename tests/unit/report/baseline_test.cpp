#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/baseline.hpp"
#include "rules/rule.hpp"

using namespace asyncsweep;

namespace {

search::RuleSet baseline_rules() {
  return search::RuleSet(rules::parse_pack(R"(
[[rule]]
id = "B1"
title = "open"
category = "blocking-io"
regex = 'open\('
severity = "high"

[[rule]]
id = "B2"
title = "sleep"
category = "blocking-io"
regex = 'sleep\('
severity = "medium"
)",
                                           "baseline.toml"));
}

Finding finding(std::uint32_t rule, const std::string& path, std::uint32_t line, const std::string& text) {
  Finding f;
  f.rule = rule;
  f.path = path;
  f.line = f.end_line = line;
  f.column = 1;
  f.text = text;
  f.score = 50;
  return f;
}

SweepResult sweep_of(std::vector<Finding> findings) {
  SweepResult result;
  result.findings = std::move(findings);
  return result;
}

struct BaselineFile {
  std::string dir;
  std::string path;
  explicit BaselineFile(const std::string& content) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "asw-baseline-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    path = dir + "/baseline.json";
    std::ofstream(path, std::ios::binary) << content;
  }
  ~BaselineFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

std::string load_error(const std::string& content) {
  BaselineFile file(content);
  try {
    report::load_baseline(file.path);
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    CHECK(message.rfind(file.path, 0) == 0);  // every message starts with the file name
    return message.substr(file.path.size());
  }
  FAIL("no error for: " << content);
  return "";
}

// Writes a baseline for `known`, loads it back from disk and applies it to `now`.
SweepResult apply(const std::vector<Finding>& known, std::vector<Finding> now) {
  auto rules = baseline_rules();
  BaselineFile file(report::write_baseline(sweep_of(known), rules, "/repo"));
  auto result = sweep_of(std::move(now));
  report::apply_baseline(result, rules, report::load_baseline(file.path), "/repo");
  return result;
}

}  // namespace

TEST_CASE("baseline: text normalisation ignores indentation and spacing, not content") {
  CHECK(report::normalise_finding_text("    open( x ,\t y )  ") == "open( x , y )");
  CHECK(report::normalise_finding_text("  a  b\r\n\tc\t\td  ") == "a b\nc d");
  CHECK(report::normalise_finding_text("") == "");
  auto a = finding(0, "a.py", 1, "\topen(x)   # comment");
  auto b = finding(0, "a.py", 9, "        open(x) # comment");
  auto c = finding(0, "a.py", 1, "open(y) # comment");
  CHECK(report::finding_text_hash(a) == report::finding_text_hash(b));
  CHECK(report::finding_text_hash(a) != report::finding_text_hash(c));
  CHECK(report::finding_text_hash(a).size() == 16);
}

TEST_CASE("baseline: written sorted, one entry per line, identical findings counted") {
  auto rules = baseline_rules();
  auto result = sweep_of({finding(1, "/repo/z.py", 3, "time.sleep(1)"), finding(0, "/repo/a.py", 5, "open(p)"),
                          finding(0, "/repo/a.py", 9, "  open(p)"), finding(0, "/outside/b.py", 1, "open(q)")});
  const std::string text = report::write_baseline(result, rules, "/repo");
  INFO(text);
  auto document = nlohmann::json::parse(text);
  CHECK(document["version"] == 2);
  REQUIRE(document["findings"].size() == 3);
  CHECK(document["findings"][0]["path"] == "/outside/b.py");
  CHECK(document["findings"][1]["path"] == "a.py");
  CHECK(document["findings"][1]["count"] == 2);
  CHECK(document["findings"][2]["path"] == "z.py");
  CHECK(document["findings"][2]["rule"] == "B2");
  // One entry per line, keys in a fixed order: a new finding is a one-line diff.
  CHECK(text.find("\n    {\"rule\":\"B1\",\"path\":\"a.py\",\"hash\":\"") != std::string::npos);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == 3 + 3 + 2);  // header, entries, closing
  CHECK(report::write_baseline(sweep_of({}), rules) == "{\n  \"version\": 2,\n  \"findings\": []\n}\n");
}

TEST_CASE("baseline: lines inserted above a known finding keep it hidden") {
  auto result = apply({finding(0, "/repo/a.py", 10, "    open(path)")},
                      {finding(0, "/repo/a.py", 14, "    open(path)"), finding(1, "/repo/a.py", 20, "sleep(1)")});
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].rule == 1);
  CHECK(result.baselined == 1);
}

TEST_CASE("baseline: a second identical line is a new finding beyond the count") {
  auto result = apply({finding(0, "/repo/a.py", 10, "open(path)")},
                      {finding(0, "/repo/a.py", 3, "open(path)"), finding(0, "/repo/a.py", 12, "open(path)")});
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].line == 12);  // the first in line order is the known one
  CHECK(result.baselined == 1);

  // With count 2 both stay hidden; a third is reported.
  auto again = apply({finding(0, "/repo/a.py", 1, "open(path)"), finding(0, "/repo/a.py", 2, "open(path)")},
                     {finding(0, "/repo/a.py", 1, "open(path)"), finding(0, "/repo/a.py", 5, "open(path)"),
                      finding(0, "/repo/a.py", 9, "open(path)")});
  REQUIRE(again.findings.size() == 1);
  CHECK(again.findings[0].line == 9);
  CHECK(again.baselined == 2);
}

TEST_CASE("baseline: a changed line, another rule or another file is reported") {
  auto result = apply({finding(0, "/repo/a.py", 10, "open(path)")},
                      {finding(0, "/repo/a.py", 10, "open(other_path)"), finding(1, "/repo/a.py", 10, "open(path)"),
                       finding(0, "/repo/b.py", 10, "open(path)")});
  CHECK(result.findings.size() == 3);
  CHECK(result.baselined == 0);
}

TEST_CASE("baseline: paths match however the root was spelled") {
  auto rules = baseline_rules();
  const std::string cwd = std::filesystem::current_path().string();
  BaselineFile file(report::write_baseline(sweep_of({finding(0, "./pkg/a.py", 1, "open(x)")}), rules));
  auto result = sweep_of({finding(0, cwd + "/pkg/a.py", 7, "open(x)"), finding(0, "pkg/a.py", 8, "open(x)")});
  report::apply_baseline(result, rules, report::load_baseline(file.path));
  CHECK(result.findings.size() == 1);
  CHECK(result.baselined == 1);
}

TEST_CASE("baseline: unreadable, malformed and misshapen files are errors naming the file") {
  const std::string missing = "/nonexistent/dir/baseline.json";
  try {
    report::load_baseline(missing);
    FAIL("no error for a missing file");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).rfind(missing + ": cannot read baseline", 0) == 0);
  }

  std::string message = load_error("{\n  \"version\": 1,\n  \"findings\": [,]\n}\n");
  CHECK(message.rfind(":3:16: invalid baseline JSON: ", 0) == 0);
  message = load_error("{\"version\": 1, \"findings\": [");
  CHECK(message.find("invalid baseline JSON") != std::string::npos);
  CHECK(load_error("[]").find("expected a JSON object") != std::string::npos);
  CHECK(load_error("{\"version\": 3, \"findings\": []}").find("\"version\" must be 1 or 2") != std::string::npos);
  CHECK(load_error("{\"version\": 1}").find("\"findings\" must be an array") != std::string::npos);
  CHECK(load_error("{\"version\": 1, \"findings\": [], \"extra\": 0}").find("unknown key \"extra\"") != std::string::npos);
  CHECK(load_error("{\"version\": 1, \"findings\": [{\"rule\": \"B1\", \"path\": \"a.py\", \"hash\": \"0\", \"count\": 0}]}")
            .find("findings[0]: \"count\" must be a positive integer") != std::string::npos);
  CHECK(load_error("{\"version\": 1, \"findings\": [{\"rule\": \"B1\", \"path\": \"a.py\", \"count\": 1}]}")
            .find("findings[0]: \"hash\" must be a non-empty string") != std::string::npos);
  CHECK(load_error("{\"version\": 1, \"findings\": [{\"rule\": \"B1\", \"path\": \"a.py\", \"hash\": \"0\", \"count\": 1, "
                   "\"line\": 3}]}")
            .find("findings[0]: unknown key \"line\"") != std::string::npos);
}

TEST_CASE("baseline: version 1 files keep their current-directory keys, version 2 the project root") {
  BaselineFile old_file("{\"version\": 1, \"findings\": []}");
  const report::Baseline old_baseline = report::load_baseline(old_file.path);
  CHECK(old_baseline.version == 1);
  CHECK(report::baseline_base_dir(old_baseline, "/repo").empty());
  BaselineFile new_file("{\"version\": 2, \"findings\": []}");
  const report::Baseline new_baseline = report::load_baseline(new_file.path);
  CHECK(new_baseline.version == 2);
  CHECK(report::baseline_base_dir(new_baseline, "/repo") == "/repo");
}
