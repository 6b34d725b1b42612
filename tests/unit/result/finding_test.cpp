// Finding's parts: each stage's part is reachable through the Finding, and the boxed Features
// behave as a value.
#include "result/finding.hpp"

#include <catch2/catch.hpp>
#include <utility>

using namespace asyncsweep;

TEST_CASE("a Finding's stage parts are one value") {
  Finding finding;
  static_cast<MatchSite&>(finding).line = 12;
  static_cast<Assessment&>(finding).reasons = {"why"};
  finding.features.edit().awaited = true;
  finding.line_hash = "abc:1";
  Finding copy = finding;
  CHECK(copy.line == 12);
  CHECK(copy.reasons == std::vector<std::string>{"why"});
  CHECK(copy.features->awaited);
  CHECK(copy.line_hash == "abc:1");
  const MatchSite& site = copy;
  CHECK(site.line == 12);
}

TEST_CASE("FeaturesBox: empty reads as default Features, copies are deep") {
  FeaturesBox empty;
  CHECK_FALSE(empty->analyzed);
  CHECK(empty->called);  // the defaults, not zeroes
  CHECK(empty->suppressed_by.empty());

  FeaturesBox box;
  box.edit().suppressed_by = "# noqa";
  FeaturesBox copy = box;
  copy.edit().suppressed_by = "changed";
  CHECK(box->suppressed_by == "# noqa");
  copy = box;
  CHECK(copy->suppressed_by == "# noqa");
  FeaturesBox moved = std::move(copy);
  CHECK(moved->suppressed_by == "# noqa");
}

TEST_CASE("FeaturesBox: slimmed, a kept finding still reads as a test file or not") {
  FeaturesBox test;
  test.edit().test_file = true;
  test.edit().async_name = "fetch";
  test.slim();
  CHECK(test->test_file);
  CHECK(test->async_name.empty());  // dropped: nothing after the file's stages reads it
  FeaturesBox copy = test;
  CHECK(copy->test_file);
  copy.edit().awaited = true;  // editing again starts from what was kept
  CHECK(copy->test_file);
  CHECK(copy->awaited);

  FeaturesBox plain;
  plain.edit().async_name = "fetch";
  plain.slim();
  CHECK_FALSE(plain->test_file);
  CHECK(plain->async_name.empty());

  // A chain or a suppression is printed later: those features stay whole.
  FeaturesBox chained;
  chained.edit().async_name = "handler";
  chained.edit().chain.push_back(ChainStep{"m.py", 3, "m.load", "load", ""});
  chained.slim();
  CHECK(chained->async_name == "handler");
  FeaturesBox suppressed;
  suppressed.edit().suppressed_by = "# noqa: ASW106";
  suppressed.edit().awaited = true;
  suppressed.slim();
  CHECK(suppressed->awaited);
}
