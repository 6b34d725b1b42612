#include <catch2/catch.hpp>

#include "rules/rule.hpp"

using namespace asyncsweep::rules;

namespace {

std::string minimal_rule(const std::string& extra = "", const std::string& id = "T1") {
  return "[[rule]]\nid = \"" + id + "\"\ntitle = \"t\"\ncategory = \"blocking-io\"\nregex = 'open\\('\nseverity = \"low\"\n" + extra;
}

std::string error_of(const std::string& text) {
  try {
    parse_pack(text, "pack.toml");
  } catch (const RuleError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the embedded default pack loads and carries every seed command") {
  RulePack pack = load_default_pack();
  REQUIRE(pack.rules.size() >= 20);
  std::size_t sources = 0;
  std::size_t document_rules = 0;
  for (const auto& rule : pack.rules) {
    CHECK(!rule.id.empty());
    document_rules += rule.source.empty() ? 0 : 1;
    sources += rule.source.size();
    for (const auto& source : rule.source) CHECK(source.find(rule.regex) != std::string::npos);
  }
  CHECK(sources == 25);
  CHECK(document_rules == 22);
}

TEST_CASE("a minimal rule gets defaults") {
  RulePack pack = parse_pack(minimal_rule(), "pack.toml");
  REQUIRE(pack.rules.size() == 1);
  CHECK(pack.rules[0].kind == Kind::candidate);
  CHECK(pack.rules[0].multiline == false);
  CHECK(pack.rules[0].severity == Severity::low);
  CHECK(pack.rules[0].origin == "pack.toml");
}

TEST_CASE("bad TOML is reported with file, line and column") {
  std::string message = error_of("[[rule]]\nid = \"x\"\ntitle = \n");
  CHECK_THAT(message, Catch::Contains("pack.toml:3:"));
  CHECK_THAT(message, Catch::Contains("invalid TOML"));
}

TEST_CASE("unknown keys are errors naming the key and position") {
  std::string message = error_of(minimal_rule("colour = \"red\"\n"));
  CHECK_THAT(message, Catch::Contains("pack.toml:7:"));
  CHECK_THAT(message, Catch::Contains("unknown key 'colour'"));
  CHECK_THAT(message, Catch::Contains("rule T1"));
  CHECK_THAT(error_of("[extra]\n"), Catch::Contains("unknown top-level key 'extra'"));
}

TEST_CASE("duplicate ids are errors") {
  std::string message = error_of(minimal_rule() + minimal_rule());
  CHECK_THAT(message, Catch::Contains("duplicate rule id 'T1'"));
  RulePack a = parse_pack(minimal_rule(), "a.toml");
  RulePack b = parse_pack(minimal_rule(), "b.toml");
  std::vector<RulePack> packs;
  packs.push_back(a);
  packs.push_back(b);
  CHECK_THROWS_WITH(merge_packs(std::move(packs)), Catch::Contains("b.toml: duplicate rule id 'T1'"));
}

TEST_CASE("a bad regex is reported with its offset") {
  std::string text = "[[rule]]\nid = \"R\"\ntitle = \"t\"\ncategory = \"config\"\nregex = 'ab(c'\nseverity = \"low\"\n";
  std::string message = error_of(text);
  CHECK_THAT(message, Catch::Contains("pack.toml:5:"));
  CHECK_THAT(message, Catch::Contains("at offset 4"));
  CHECK_THAT(message, Catch::Contains("missing closing parenthesis"));
}

TEST_CASE("field validation") {
  CHECK_THAT(error_of(minimal_rule("multiline = \"yes\"\n")), Catch::Contains("'multiline' must be true or false"));
  CHECK_THAT(error_of(minimal_rule("before = -1\n")), Catch::Contains("'before' must be between 0 and 1000"));
  CHECK_THAT(error_of(minimal_rule("kind = \"other\"\n")), Catch::Contains("unknown kind 'other'"));
  CHECK_THAT(error_of(minimal_rule("globs = [\"a/b.toml\"]\n")), Catch::Contains("no '/'"));
  CHECK_THAT(error_of(minimal_rule("globs = [\"a[.toml\"]\n")),
             Catch::Contains("invalid glob 'a[.toml': unclosed character class"));
  CHECK_THAT(error_of(minimal_rule("unless_within = ['X']\n")), Catch::Contains("needs a window"));
  CHECK_THAT(error_of(minimal_rule("exclude_line = ['(']\n")), Catch::Contains("invalid regex in 'exclude_line'"));
  std::string bad_category = "[[rule]]\nid = \"R\"\ntitle = \"t\"\ncategory = \"misc\"\nregex = 'a'\nseverity = \"low\"\n";
  CHECK_THAT(error_of(bad_category), Catch::Contains("unknown category 'misc'"));
  CHECK_THAT(error_of("[[rule]]\nid = \"R\"\n"), Catch::Contains("missing required key 'title'"));
}

TEST_CASE("an empty pack is valid and has no rules") { CHECK(parse_pack("", "empty.toml").rules.empty()); }

TEST_CASE("rule selection by id and category") {
  RulePack pack = load_default_pack();
  RulePack by_category = select_rules(pack, {"blocking-io"}, {});
  REQUIRE(!by_category.rules.empty());
  for (const auto& rule : by_category.rules) CHECK(rule.category == "blocking-io");
  RulePack one = select_rules(pack, {"ASW040"}, {});
  REQUIRE(one.rules.size() == 1);
  CHECK(one.rules[0].id == "ASW040");
  RulePack without = select_rules(pack, {}, {"ASW040", "inventory"});
  CHECK(without.rules.size() < pack.rules.size() - 1);
  for (const auto& rule : without.rules) {
    CHECK(rule.id != "ASW040");
    CHECK(rule.category != "inventory");
  }
  CHECK_THROWS_WITH(select_rules(pack, {"ASW999"}, {}), Catch::Contains("unknown rule id or category 'ASW999'"));
}

namespace {
std::vector<std::string> ids_of(const RulePack& pack) {
  std::vector<std::string> ids;
  for (const auto& rule : pack.rules) ids.push_back(rule.id);
  return ids;
}
}  // namespace

TEST_CASE("a preview rule runs with --preview or when selected by its exact id") {
  RulePack pack = merge_packs({parse_pack(minimal_rule("", "ASW901"), "a.toml"),
                               parse_pack(minimal_rule("preview = true\n", "ASW902"), "b.toml")});
  REQUIRE(pack.rules[1].preview);
  CHECK_FALSE(pack.rules[0].preview);
  using Ids = std::vector<std::string>;
  CHECK(ids_of(select_rules(pack, {}, {})) == Ids{"ASW901"});
  CHECK(ids_of(select_rules(pack, {}, {}, Preview{true, {}})) == Ids{"ASW901", "ASW902"});
  // A category or an id prefix does not enable it without --preview, as in Ruff.
  CHECK(ids_of(select_rules(pack, {"blocking-io"}, {}, Preview{false, {"blocking-io"}})) == Ids{"ASW901"});
  CHECK(ids_of(select_rules(pack, {"ASW9"}, {}, Preview{false, {"ASW9"}})) == Ids{"ASW901"});
  CHECK(ids_of(select_rules(pack, {"ASW9"}, {}, Preview{true, {}})) == Ids{"ASW901", "ASW902"});
  // Its exact id, in any case, enables it; --ignore still wins.
  CHECK(ids_of(select_rules(pack, {"asw902"}, {}, Preview{false, {"asw902"}})) == Ids{"ASW902"});
  CHECK(ids_of(select_rules(pack, {}, {}, Preview{false, {"ASW902"}})) == Ids{"ASW901", "ASW902"});
  CHECK(ids_of(select_rules(pack, {}, {"ASW902"}, Preview{true, {"ASW902"}})) == Ids{"ASW901"});
  CHECK(error_of(minimal_rule("preview = 1\n")).find("'preview' must be true or false") != std::string::npos);
}

TEST_CASE("ASW130 is the built-in pack's preview rule") {
  for (const auto& rule : load_default_pack().rules) CHECK(rule.preview == (rule.id == "ASW130"));
}
