// The fast structure pass (stage 1 masks + skimming in LineModel::build) against its oracle,
// the scalar builder (LineModel::build_reference): the two must give identical models. Here on
// hand-written edge cases of the skim's stop rules, on a sample of the standard library and
// Debian's packages (the whole trees: `asyncsweep_model_bench --check`, see
// docs/performance.md), and the two mask kernels against each other. Random and mutated
// inputs are compared in python_fuzz_test.cpp and by the libFuzzer target.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "python/lexer_tables.hpp"
#include "python/model.hpp"
#include "python/model_compare.hpp"
#include "python/structure_masks.hpp"
#include "test_python.hpp"

namespace py = asyncsweep::python;
namespace det = asyncsweep::python::detail;
namespace fs = std::filesystem;

namespace {

void require_same(const std::string& src) {
  INFO("input: " << src);
  REQUIRE(py::first_difference(py::LineModel::build(src), py::LineModel::build_reference(src)) ==
          "");
}

bool masks_equal(const det::BlockMasks& a, const det::BlockMasks& b) {
  return a.plain == b.plain && a.ident == b.ident && a.digit == b.digit && a.dot == b.dot &&
         a.kfirst == b.kfirst && a.comma_assign == b.comma_assign && a.colon == b.colon;
}

}  // namespace

TEST_CASE("stage 1: the portable kernel classifies bytes as documented", "[python][structure]") {
  std::string block = "ab_9 .+(\"#\xc3\xa9:=T" + std::string(64, '\0');
  const auto m = det::block_masks_portable(block.data());
  auto bits = [](std::initializer_list<int> at) {
    std::uint64_t b = 0;
    for (int i : at) b |= std::uint64_t{1} << i;
    return b;
  };
  // a b _ 9 ' ' . + ( " # \xc3 \xa9 : = T
  CHECK(m.ident == bits({0, 1, 2, 3, 10, 11, 14}));
  CHECK(m.plain == bits({0, 1, 2, 3, 4, 5, 6, 10, 11, 14}));
  CHECK(m.digit == bits({3}));
  CHECK(m.dot == bits({5}));
  CHECK(m.kfirst == bits({0, 14}));
  CHECK(m.comma_assign == bits({13}));
  CHECK(m.colon == bits({12}));
}

TEST_CASE("stage 1: the SIMD kernel gives the portable kernel's masks", "[python][structure]") {
  if (!det::structure_simd_available()) {
    WARN("no AVX2 on this CPU: only the portable kernel runs");
    return;
  }
  std::mt19937 rng(1414);
  std::string block(64, ' ');
  for (int i = 0; i < 256; ++i) {  // every byte value at every position
    for (int at = 0; at < 64; ++at)
      block[static_cast<std::size_t>(at)] = static_cast<char>((i + at) & 0xff);
    REQUIRE(
        masks_equal(det::block_masks_simd(block.data()), det::block_masks_portable(block.data())));
  }
  for (int it = 0; it < 2000; ++it) {
    for (auto& c : block) c = static_cast<char>(rng());
    REQUIRE(
        masks_equal(det::block_masks_simd(block.data()), det::block_masks_portable(block.data())));
  }
}

TEST_CASE("fast builder equals the reference on the skim's edge cases", "[python][structure]") {
  // Each line targets one rule of ModelBuilder::skim (a stop, a bracket handled in place, the
  // history kept for call counting), inside and outside the states that disable skimming.
  const std::vector<std::string> cases = {
      "x = a.b.c(d, e)[f] + g\n",
      "x = 1for\ny = 0x1for z\nw = 1e+5j.real\n",
      "x = a...b\ny = a....b\nz = x .5\nw = a..5\n",
      "x = rb'\\'' + f'{a}' + Rb\"x\" + ab'c'\n",
      "f = lambda a, b=a<=b, c=(a>=1): a<=b\n",
      "f = lambda: x; y = lambda q: {q: 1}\n",
      "g = (lambda x: x)(1), lambda y: y[1:2]\n",
      "def f(a: int = 1, *, b: dict = {1: 2}) -> list[int]: return [a, b]\n",
      "class C(A, metaclass=M): x = f(1)\n",
      "asyncio.gather(a)\nx.asyncio.gather(b)\nasyncio . gather (c)\ny. gather(d)\n",
      "asyncio x.gather(e)\nz = q.gather (f) + loop.create_task(g) + TaskGroup ()\n",
      "def gather(): pass\nclass TaskGroup(x.TaskGroup): pass\n",
      "async def f():\n    async with a as b, c:\n        async for x in y: await z\n",
      "x = f'{a[1:2]!r:>{w}} {b}' + f\"{ {1: 2}[1] }\"\n",
      "x = (1,\n     2)\ny = [a\n     for a in b\n     if c]\n",
      "x = foo(bar,  # comment\n        baz) \\\n    + 1\n",
      "@dec(a, b=c)\n@d.e\ndef f(): pass\n",
      "def f():\n    ('doc' 'string')\n    x\n",
      "x = a ** -b // c % d & e | f ^ ~g << h >> i != j @ k\n",
      "x = ((a)]\ny = }\nz = )\n",
      "d = {a: b for a, b in c if a != b}\nx[a:b:c] = y\nz = w := 1\n",
      "lambda: (yield)\nf(lambda x: (x, lambda: x), y)\n",
      "def f(x=lambda y: y): return g(h, lambda: i)\n",
      "x = a \\\n    .b \\\n    .gather(1)\n",
      "\xef\xbb\xbfx = a.b\n",
      "x = a.b\r\ny = c(\r\n  d)\rz = e\n",
      "x = f(a, b=lambda c: c.d(e), f=g)[h:i]\n",
      "x = a + 'b' + \"c\" + '' + 'd\\'e' + 'f\\\\' + x'g' + 'h'.join(i)\n",
      "y = ('a', 'b'\n     'c') + 'unterminated\nz = 'x\\\n' + \"\"\"t\"\"\" + '''u''' + r'v'\n",
      "x = (\n    'only'\n)\nf(a,\n  'b')  # c\nx = 'a'if b else'c'\n",
      "asyncio.gather('a')\n'a'.gather(b)\nx = '.'.join(y)...\n",
      "x = f'{d['k']}' + f\"{'a' if b else 'c'}\" + f'{x!r:{'w'}}'\n",
      "x = [\n\n    a,\n    'b',\n  \n]\ny = (a\r\n  'c'\r  d)\nz = (\n  )\n",
      "x = f'''{a\n  + b}''' + f'{(a\n)}'\ndef f(a,\n      b):\n    return (1 +\n            2)\n",
      "x = (  # c\n  a)\nz = {\n  'k': lambda q:\n     q,\n}\nw = g(a.\n  b, c\n  .d)\n",
  };
  for (const auto& c : cases) {
    require_same(c);
    // Every prefix, so that each rule is also met at the end of the text and of a block.
    for (std::size_t n = 0; n < c.size(); ++n) require_same(c.substr(0, n));
  }
  // Across block boundaries: the same lines shifted by every offset within a 64-byte block.
  std::string all;
  for (const auto& c : cases) all += c;
  for (std::size_t pad = 0; pad < 64; ++pad) require_same(std::string(pad, ' ') + "x = 1\n" + all);
}

TEST_CASE("fast builder equals the reference on a sample of real trees", "[python][structure]") {
  // Every 16th .py file, in path order, of the standard library (test suite included) and of
  // Debian's packages: about 500 files, a second or two in a Release build.
  namespace ts = asyncsweep::test_support;
  const std::string stdlib = ts::python_stdlib();
  ts::require_dir(stdlib + "/test/test_asyncio", "libpython3.11-testsuite");
  std::vector<std::string> paths;
  for (const std::string& root : {stdlib, std::string("/usr/lib/python3/dist-packages")}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& e :
         fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied)) {
      if (e.is_regular_file() && e.path().extension() == ".py") paths.push_back(e.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() > 1000);
  std::size_t compared = 0;
  for (std::size_t i = 0; i < paths.size(); i += 16) {
    std::ifstream in(paths[i], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string src = std::move(text).str();
    INFO(paths[i]);
    REQUIRE(py::first_difference(py::LineModel::build(src), py::LineModel::build_reference(src)) ==
            "");
    ++compared;
  }
  CHECK(compared * 16 >= paths.size());
}

TEST_CASE("name_id knows exactly its names, with or without 16 readable bytes",
          "[python][structure]") {
  // The slot table picks one candidate by length and last byte; a name that shares both with
  // a known one, or differs from it in any byte, must still be a plain name.
  const std::vector<std::pair<std::string, std::uint8_t>> known = {
      {"as", det::kIdAs},
      {"def", det::kIdDef},
      {"for", det::kIdFor},
      {"from", det::kIdFrom},
      {"with", det::kIdWith},
      {"async", det::kIdAsync},
      {"await", det::kIdAwait},
      {"class", det::kIdClass},
      {"lambda", det::kIdLambda},
      {"gather", det::kIdGather},
      {"asyncio", det::kIdAsyncio},
      {"TaskGroup", det::kIdTaskGroup},
      {"create_task", det::kIdCreateTask},
  };
  auto id_of = [](const std::string& name, std::size_t room_after) {
    std::string buf = name + std::string(room_after, '+');
    return det::name_id(buf.data(), name.size(), buf.size());
  };
  for (const auto& [name, id] : known) {
    for (std::size_t room : {std::size_t{0}, std::size_t{20}}) {
      INFO(name << " with " << room << " bytes after it");
      CHECK(id_of(name, room) == id);
      for (std::size_t i = 0; i < name.size(); ++i) {  // one byte off, same length and last byte
        std::string other = name;
        other[i] = other[i] == 'x' ? 'y' : 'x';
        if (i + 1 == name.size()) other[i] = name[i];
        if (other != name) CHECK(id_of(other, room) == det::kIdName);
      }
      CHECK(id_of("x" + name, room) == det::kIdName);
      CHECK(id_of(name.substr(1), room) == det::kIdName);
    }
  }
  CHECK(id_of("Async", 20) == det::kIdName);
  CHECK(id_of("aw", 20) == det::kIdName);
  CHECK(id_of("a_very_long_identifier_name", 20) == det::kIdName);
}
