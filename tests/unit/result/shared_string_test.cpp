// SharedString reads as the string it holds and shares on copy; the pool makes equal strings
// share one block, and ContextLines boxes a finding's context as the vector it replaced.
#include "result/shared_string.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "result/finding.hpp"

using namespace asyncsweep;

TEST_CASE("SharedString: reads, compares and concatenates as a string") {
  SharedString empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(std::string(empty.c_str()).empty());
  CHECK(SharedString("").empty());  // no block for the empty string

  SharedString path = std::string("pkg/mod.py");
  CHECK(path == "pkg/mod.py");
  CHECK(path == std::string("pkg/mod.py"));
  CHECK(path != "pkg/mod.pyc");
  CHECK(path.size() == 10);
  CHECK(std::string(path.c_str()) == "pkg/mod.py");  // NUL-terminated
  CHECK(path + ":3" == "pkg/mod.py:3");
  CHECK("./" + path == "./pkg/mod.py");
  CHECK(path + ':' == "pkg/mod.py:");
  CHECK(path.rfind('/') == 3);
  CHECK(path.substr(4) == "mod.py");
  CHECK(fmt::format("[{}]", path) == "[pkg/mod.py]");
  std::string out = "at ";
  out += path;
  CHECK(out == "at pkg/mod.py");

  // Ordered as std::string orders: bytewise, a prefix first.
  CHECK(SharedString("a") < SharedString("b"));
  CHECK(SharedString("a") < SharedString("ab"));
  CHECK(SharedString("\xff") > SharedString("z"));
  CHECK(SharedString("b") > "a");
}

TEST_CASE("SharedString: copies share the block, and outlive the original") {
  auto original = std::make_unique<SharedString>("matched line");
  SharedString copy = *original;
  CHECK(copy.same_block(*original));
  SharedString moved = std::move(*original);
  CHECK(original->empty());
  original.reset();
  CHECK(copy == "matched line");
  CHECK(moved.same_block(copy));
  copy = SharedString("other");
  CHECK(moved == "matched line");
  const SharedString& same = copy;
  copy = same;  // self-assignment keeps the text
  CHECK(copy == "other");
}

TEST_CASE("SharedStringPool: equal strings share one block") {
  SharedStringPool pool;
  SharedString a = std::string("inside `async def f` (line 3)");
  SharedString b = std::string("inside `async def f` (line 3)");
  SharedString c = std::string("inside `async def g` (line 9)");
  CHECK_FALSE(a.same_block(b));
  pool.intern(a);
  pool.intern(b);
  pool.intern(c);
  CHECK(a.same_block(b));
  CHECK_FALSE(a.same_block(c));
  CHECK(b == "inside `async def f` (line 3)");
  SharedString empty;
  pool.intern(empty);
  CHECK(empty.empty());
  // Past its bound the pool starts afresh; what it handed out stays valid.
  for (int i = 0; i < 20000; ++i) {
    SharedString s = std::to_string(i);
    pool.intern(s);
  }
  CHECK(a == "inside `async def f` (line 3)");
}

TEST_CASE("Reasons: interned reasons share bytes and read the same") {
  SharedStringPool pool;
  Reasons one{"awaited: an async API", "test file"};
  Reasons two{"awaited: an async API", "test file"};
  one.intern(pool);
  two.intern(pool);
  CHECK(one == two);
  CHECK(two.size() == 2);
  two.push_back("more");  // a shared Reasons writes anew: the other keeps its two
  CHECK(one.size() == 2);
  CHECK(two.back() == "more");
}

TEST_CASE("ContextLines: empty until filled, one box for both sides, copies are deep") {
  ContextLines lines;
  CHECK(lines.empty());
  CHECK(lines.before().empty());
  CHECK(lines.after().empty());
  lines.add_before("async def f():");
  lines.add_before("    # before");
  CHECK_FALSE(lines.empty());
  CHECK(lines.before() == std::vector<std::string>{"async def f():", "    # before"});
  CHECK(lines.after().empty());
  ContextLines copy = lines;
  copy.add_after("    return");
  CHECK(lines.after().empty());
  CHECK(copy.after() == std::vector<std::string>{"    return"});
  CHECK_FALSE(copy == lines);
  CHECK(ContextLines({}, {}).empty());  // two empty sides: no box
  CHECK_FALSE(ContextLines({}, {"x"}).empty());
  CHECK(ContextLines(lines.before(), {}) == lines);
}
