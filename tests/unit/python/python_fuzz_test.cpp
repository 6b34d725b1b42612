// Robustness of the Python line model on hostile input: deterministic random token soups and
// byte-level mutations of realistic snippets, checking the model's structural invariants.
// Build with -fsanitize=address,undefined to make this a cheap fuzzer;
// ASYNCSWEEP_FUZZ_ITERS raises the iteration count.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "python/model.hpp"
#include "python/model_compare.hpp"

namespace py = asyncsweep::python;

namespace {

const std::vector<std::string> kFragments = {
    "def ", "async ", "class ", "lambda", "lambda x", ":", "(", ")", "[", "]", "{", "}", "'",
    "\"", "'''", "\"\"\"", "f'", "f\"", "rf'", "Rb\"", "b'", "u'", "f'''", "\\", "\n", "\r\n",
    "\r", "\t", "    ", "  ", "# c", "@", "@dec\n", "x", "await ", "asyncio.gather(",
    "asyncio.create_task(", "TaskGroup(", ",", "=", "==", ";", "!r", "!=", "{{", "}}", "\\N{",
    "\xEF\xBB\xBF", "\xff\xfe", "1", "0x1f", "1e+5", ".", "...", "\f", "->", ":=", "pass", "return",
    "for ", " in ", "with ", " as ", "from ", "if ", "else", "\\\n", "f\"{x!r:>{w}}\"", "'doc'",
};

const std::vector<std::string> kSnippets = {
    "import asyncio\n\n@decorator(arg=lambda: 1)\nasync def main(a, b=lambda x: x):\n"
    "    \"\"\"Doc.\"\"\"\n    async with asyncio.TaskGroup() as tg:\n"
    "        tg.create_task(f'{await g()!r:>{w}}')\n    return await asyncio.gather(a, b)\n",
    "class A(B, metaclass=M):\n    x: int = 1\n    def f(self): return (lambda: self)()\n"
    "    @property\n    def g(self):\n        '''x\n        y'''\n        # c\n        pass\n",
    "x = f\"{f'{y}'}\" + rb'\\'' + \"\"\"\n\"\" \"\"\" \\\n  + 1\nif x:\n\tdef h(): pass\n",
};

std::string escape_bytes(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void check_invariants(const std::string& src) {
  auto m = py::LineModel::build(src);
  const std::size_t n = src.size();
  INFO("input: " << escape_bytes(src));
  REQUIRE(py::first_difference(m, py::LineModel::build_reference(src)) == "");
  // lines
  std::size_t prev = 0;
  for (std::uint32_t l = 1; l <= m.line_count(); ++l) {
    REQUIRE(m.line_begin(l) >= prev);
    REQUIRE(m.line_begin(l) <= m.line_end(l));
    REQUIRE(m.line_end(l) <= n);
    REQUIRE(m.logical_start(l) >= 1);
    REQUIRE(m.logical_start(l) <= l);
    prev = m.line_begin(l);
  }
  // spans
  std::size_t last_end = 0;
  for (const auto& s : m.spans()) {
    REQUIRE(s.begin < s.end);
    REQUIRE(s.begin >= last_end);
    REQUIRE(s.end <= n);
    last_end = s.end;
  }
  // scopes: parent first, nested extents, sane lines
  auto sc = m.scopes();
  REQUIRE(!sc.empty());
  REQUIRE(sc[0].begin == 0);
  REQUIRE(sc[0].end == n);
  for (std::size_t i = 1; i < sc.size(); ++i) {
    const auto& s = sc[i];
    REQUIRE(s.parent < i);
    const auto& p = sc[s.parent];
    REQUIRE(s.begin >= p.begin);
    REQUIRE(s.end <= p.end);
    REQUIRE(s.begin <= s.end);
    // Header before body, even when the header never ends (invalid code).
    REQUIRE(s.begin <= s.keyword_offset);
    REQUIRE(s.keyword_offset <= s.body_begin);
    REQUIRE(s.body_begin <= s.end);
    REQUIRE(s.begin >= sc[i - 1].begin);
    REQUIRE(s.depth == p.depth + 1);
    REQUIRE(s.body_last_line <= m.line_count());
    REQUIRE(s.keyword_line <= m.line_count());
    for (auto d : m.decorators(s)) {
      REQUIRE(d.data() >= src.data());
      REQUIRE(d.data() + d.size() <= src.data() + n);
    }
  }
  // innermost_scope against brute force, at every offset
  for (std::size_t off = 0; off <= n; ++off) {
    std::uint32_t best = 0;
    for (std::uint32_t i = 1; i < sc.size(); ++i)
      if (sc[i].begin <= off && off < sc[i].end && sc[i].depth >= sc[best].depth) best = i;
    REQUIRE(m.innermost_scope(off) == best);
    (void)m.classify(off);
  }
  for (std::uint32_t l = 0; l <= m.line_count() + 1; ++l) REQUIRE(m.innermost_scope_at_line(l) < sc.size());
}

}  // namespace

TEST_CASE("python model survives random input", "[python][fuzz]") {
  const char* env = std::getenv("ASYNCSWEEP_FUZZ_ITERS");
  const long iters = env ? std::atol(env) : 3000;
  std::mt19937 rng(20240611);
  auto pick = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
  for (long it = 0; it < iters; ++it) {
    std::string src;
    switch (it % 3) {
      case 0: {  // token soup
        std::size_t len = pick(60);
        for (std::size_t i = 0; i < len; ++i) src += kFragments[pick(kFragments.size())];
        break;
      }
      case 1: {  // byte mutations of a snippet
        src = kSnippets[pick(kSnippets.size())];
        std::size_t edits = 1 + pick(8);
        for (std::size_t e = 0; e < edits && !src.empty(); ++e) {
          std::size_t at = pick(src.size());
          switch (pick(4)) {
            case 0: src.erase(at, 1 + pick(4)); break;
            case 1: src.insert(at, kFragments[pick(kFragments.size())]); break;
            case 2: src[at] = static_cast<char>(rng()); break;
            default: src = src.substr(0, at); break;  // truncation: EOF anywhere
          }
        }
        break;
      }
      default: {  // raw bytes, biased to the lexer's special characters
        static const char special[] = "\"'{}()[]\\\n\r#:@fr ";
        std::size_t len = pick(80);
        for (std::size_t i = 0; i < len; ++i)
          src += pick(2) ? special[pick(sizeof special - 1)] : static_cast<char>(rng());
        break;
      }
    }
    check_invariants(src);
  }
}
