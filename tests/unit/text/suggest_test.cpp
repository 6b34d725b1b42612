#include "text/suggest.hpp"

#include <catch2/catch.hpp>

using asyncsweep::text::edit_distance;
using asyncsweep::text::nearest_name;

TEST_CASE("edit_distance: Levenshtein's insertions, deletions and substitutions") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("--exitzero", "--exit-zero") == 1);
  CHECK(edit_distance("--vimgrip", "--vimgrep") == 1);
  CHECK(edit_distance("ab", "ba") == 2);  // a swap is two edits, not one
}

TEST_CASE("nearest_name: the closest known name, only when it is a plausible typo") {
  const std::vector<std::string> known = {"--top", "--sort", "--select", "--exit-zero"};
  CHECK(nearest_name("--toop", known) == "--top");
  CHECK(nearest_name("--slect", known) == "--select");
  CHECK(nearest_name("--exit_zero", known) == "--exit-zero");
  CHECK_FALSE(nearest_name("--frobnicate", known));
  CHECK_FALSE(nearest_name("--x", {}));
}
