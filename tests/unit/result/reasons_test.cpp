// Reasons: one allocation that reads back as the sentences pushed, in order and byte for byte.
#include "result/reasons.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using namespace asyncsweep;

TEST_CASE("Reasons read back what was pushed, in order, any bytes") {
  const std::vector<std::string> pushed{"inside `async def f` (line 3)", "", std::string("nul\0inside", 10),
                                        "line\nbreak\r\nand 100%", std::string(70000, 'x')};
  Reasons reasons;
  CHECK(reasons.empty());
  CHECK(reasons.begin() == reasons.end());
  for (const auto& reason : pushed) reasons.push_back(reason);
  CHECK(reasons.size() == pushed.size());
  CHECK(reasons == pushed);
  CHECK(reasons.to_vector() == pushed);
  CHECK(reasons.front() == pushed.front());
  CHECK(reasons.back() == pushed.back());
  for (std::size_t i = 0; i < pushed.size(); ++i) CHECK(reasons.at(i) == pushed[i]);
  CHECK_THROWS_AS(reasons.at(pushed.size()), std::out_of_range);
  CHECK_FALSE(reasons == std::vector<std::string>(pushed.begin(), pushed.end() - 1));
  CHECK(Reasons(pushed) == reasons);

  reasons.clear();
  CHECK(reasons.empty());
  CHECK(reasons == std::vector<std::string>{});
}

TEST_CASE("Reasons compare by their sentences, not by how they were built") {
  Reasons pushed;
  pushed.push_back("a");
  pushed.push_back("b");
  CHECK(pushed == Reasons{"a", "b"});
  CHECK_FALSE(pushed == Reasons{"ab"});  // the same bytes, cut differently
  CHECK_FALSE(pushed == Reasons{"b", "a"});
}
