#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "rules/import_doc.hpp"
#include "rules/rule.hpp"

using namespace asyncsweep::rules;

TEST_CASE("shell words: quotes, escapes, pipes") {
  CHECK(shell_words("rg --type py 'a\\.b(' | wc -l") ==
        std::vector<std::string>{"rg", "--type", "py", "a\\.b(", "|", "wc", "-l"});
  CHECK(shell_words("echo \"A: \\\"x\\\"\" && rg 'q'") ==
        std::vector<std::string>{"echo", "A: \"x\"", "&&", "rg", "q"});
  CHECK(shell_words("rg 'x' # trailing") == std::vector<std::string>{"rg", "x"});
  CHECK_THROWS(shell_words("rg 'open"));
}

TEST_CASE("pipeline stages become rule fields") {
  std::string doc =
      "## Sec\n```bash\n# Find x\nrg --type py 'os\\.fdopen\\(' -A5 -B5 | grep -L 'O_NONBLOCK'\n"
      "rg --type py 'asyncio\\.run\\(' | grep -v '__main__'\n"
      "echo \"n:\" && rg --type py '^async def ' | wc -l\n"
      "rg 'asyncio_mode.*=.*auto' pytest.ini\n```\n";
  RulePack pack = parse_pack(import_document(doc, "doc.md"), "imported");
  REQUIRE(pack.rules.size() == 4);
  CHECK(pack.rules[0].unless_within == std::vector<std::string>{"O_NONBLOCK"});
  CHECK(pack.rules[0].before == 5);
  CHECK(pack.rules[0].after == 5);
  CHECK(pack.rules[0].title == "Find x");
  CHECK(pack.rules[0].section == "Sec");
  CHECK(pack.rules[1].exclude_line == std::vector<std::string>{"__main__"});
  CHECK(pack.rules[2].kind == Kind::inventory);
  CHECK(pack.rules[3].globs == std::vector<std::string>{"pytest.ini"});
  CHECK(pack.rules[3].kind == Kind::config);
}

TEST_CASE("commands outside bash fences are not commands") {
  std::string doc = "rg 'not code'\n```python\nrg = 1\n```\n```bash\nrg 'yes'\n```\n";
  auto commands = extract_commands(doc);
  REQUIRE(commands.size() == 1);
  CHECK(commands[0].command == "rg 'yes'");
  CHECK(commands[0].line == 6);
}

TEST_CASE("importing the seed document reproduces the shipped pack's regexes and sources") {
  // The guide lives beside the repository (../shared/seed), not in it.
  std::string path = std::string(ASYNCSWEEP_SOURCE_DIR) + "/../shared/seed/asyncio-antipatterns-scan.md";
  std::ifstream in(path);
  if (!in) {
    // A clone of this repository alone has no guide beside it: a visible skip (ctest's
    // SKIP_RETURN_CODE, listed by scripts/test), which fails the run under CI=true, where the
    // guide is always there. Each ctest test runs one test case, so nothing else is lost.
    std::fprintf(stderr, "SKIPPED: the seed document is not beside the repository: %s\n", path.c_str());
    std::fflush(stderr);
    std::_Exit(77);
  }
  std::stringstream text;
  text << in.rdbuf();
  auto commands = extract_commands(text.str());
  CHECK(commands.size() == 25);
  RulePack imported = parse_pack(import_document(text.str(), "asyncio-antipatterns-scan.md"), "imported");
  RulePack shipped = load_default_pack();
  std::map<std::string, std::vector<std::string>> a, b;
  std::map<std::string, std::string> section_a, section_b;
  for (const auto& rule : imported.rules) {
    a[rule.regex] = rule.source;
    section_a[rule.regex] = rule.section;
  }
  for (const auto& rule : shipped.rules) {
    if (rule.source.empty()) continue;  // beyond the document
    b[rule.regex] = rule.source;
    section_b[rule.regex] = rule.section;
  }
  CHECK(a == b);
  CHECK(section_a == section_b);
  // The pipeline fields, too.
  for (const auto& rule : imported.rules) {
    for (const auto& other : shipped.rules) {
      if (other.regex != rule.regex) continue;
      CHECK(rule.multiline == other.multiline);
      CHECK(rule.types == other.types);
      CHECK(rule.globs == other.globs);
      CHECK(rule.before == other.before);
      CHECK(rule.after == other.after);
      CHECK(rule.exclude_line == other.exclude_line);
      CHECK((rule.kind == Kind::config) == (other.kind == Kind::config));
    }
  }
}
