// Focused tests for the tricky corners of the Python line model's lexer and structure pass.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "python/model.hpp"

namespace py = asyncsweep::python;

namespace {

// Offset of the nth occurrence of `needle` (0-based); fails the test if absent.
std::size_t at(std::string_view src, std::string_view needle, int nth = 0) {
  std::size_t p = src.find(needle);
  while (nth-- > 0 && p != std::string_view::npos) p = src.find(needle, p + 1);
  REQUIRE(p != std::string_view::npos);
  return p;
}

py::Region region(const py::LineModel& m, std::string_view src, std::string_view needle, int nth = 0) {
  return m.classify(at(src, needle, nth)).region;
}

constexpr auto Code = py::Region::Code;
constexpr auto Str = py::Region::String;
constexpr auto Cmt = py::Region::Comment;

}  // namespace

TEST_CASE("python lexer: comments and plain strings", "[python][lexer]") {
  std::string src = "x = 'a # not a comment'  # real 'comment'\ny = \"it's\" r'\\'' b'\\\\'\n";
  auto m = py::LineModel::build(src);
  CHECK(region(m, src, "x") == Code);
  CHECK(region(m, src, "# not") == Str);
  CHECK(region(m, src, "# real") == Cmt);
  CHECK(region(m, src, "comment'") == Str);
  CHECK(region(m, src, "comment'", 1) == Cmt);
  CHECK(region(m, src, "it's") == Str);
  CHECK(region(m, src, "y") == Code);
  CHECK(m.line_count() == 2);
  CHECK(m.line_flags(1) == (py::kLineCode | py::kLineString | py::kLineComment));
  CHECK(m.line_kind(2) == py::LineKind::Code);
}

TEST_CASE("python lexer: nested f-strings, 3.12 style", "[python][lexer]") {
  std::string src =
      "a = f\"x{f'y{inner}'}z\"\n"
      "b = f\"{f\"{same_quote}\"}\"\n"
      "c = f'{ {\"k\": v}[\"k\"] }'\n"
      "d = f\"{{lit}} {val} }}\"\n";
  auto m = py::LineModel::build(src);
  CHECK(region(m, src, "x{") == Str);
  CHECK(region(m, src, "{f'") == Code);
  CHECK(region(m, src, "y{") == Str);
  CHECK(region(m, src, "inner") == Code);
  CHECK(region(m, src, "}z") == Code);
  CHECK(region(m, src, "z\"") == Str);
  CHECK(region(m, src, "same_quote") == Code);
  CHECK(region(m, src, "v}") == Code);
  CHECK(region(m, src, "\"k\"") == Str);  // a string inside a replacement field
  CHECK(region(m, src, "{{lit") == Str);
  CHECK(region(m, src, "lit}}") == Str);
  CHECK(region(m, src, "val") == Code);
  CHECK(m.logical_start(4) == 4);
  CHECK(m.scopes().size() == 1);
  for (std::uint32_t l = 1; l <= 4; ++l) CHECK(m.line_kind(l) == py::LineKind::Code);
}

TEST_CASE("python lexer: conversions and format specs", "[python][lexer]") {
  std::string src = "s = f\"{x!r:>{width}} {y=} {z:%H:%M} {a!=b} {n:{fill}^{w}.{p}f}\"\n";
  auto m = py::LineModel::build(src);
  CHECK(region(m, src, "x!r") == Code);
  CHECK(region(m, src, "!r") == Code);
  CHECK(region(m, src, ">{") == Str);  // format spec text
  CHECK(region(m, src, "width") == Code);
  CHECK(region(m, src, "y=") == Code);
  CHECK(region(m, src, "%H:%M") == Str);
  CHECK(region(m, src, "!=b") == Code);
  CHECK(region(m, src, "fill") == Code);
  CHECK(region(m, src, "^{w") == Str);
  CHECK(region(m, src, "w}") == Code);
  CHECK(region(m, src, "f}\"") == Str);
  CHECK(region(m, src, "\"\n") == Str);
}

TEST_CASE("python lexer: f-string fields spanning lines and escapes", "[python][lexer]") {
  std::string src =
      "msg = f'''head\n"
      "{value\n"
      "  # a comment inside a field (3.12)\n"
      "}tail \\N{BULLET} \\{esc}'''\n"
      "after = 1\n";
  auto m = py::LineModel::build(src);
  CHECK(region(m, src, "head") == Str);
  CHECK(region(m, src, "value") == Code);
  CHECK(region(m, src, "# a comment") == Cmt);
  CHECK(region(m, src, "BULLET") == Str);  // \N{...} is an escape, not a field
  CHECK(region(m, src, "esc}") == Code);   // `\{` is a backslash, then a field
  CHECK(m.line_flags(1) == (py::kLineCode | py::kLineString));
  CHECK(m.line_flags(2) == py::kLineCode);    // the field runs on: its line break is not literal
  CHECK(m.line_flags(3) == py::kLineComment);
  CHECK(m.line_flags(4) == (py::kLineCode | py::kLineString));
  CHECK(m.logical_start(4) == 1);
  CHECK(m.logical_start(5) == 5);
}

TEST_CASE("python lexer: triple-quoted strings with embedded quotes", "[python][lexer]") {
  std::string src =
      "def f():\n"
      "    \"\"\"Doc with \"quotes\", 'single' and \"\" pairs.\n"
      "\n"
      "    Still the \\\"\"\" docstring.\n"
      "    \"\"\"\n"
      "    s = '''x ' '' '''  # c\n"
      "    return s\n";
  auto m = py::LineModel::build(src);
  CHECK(m.classify(at(src, "Doc")).docstring);
  CHECK(m.classify(at(src, "Still")).docstring);
  CHECK(region(m, src, "return") == Code);
  CHECK(region(m, src, "# c") == Cmt);
  CHECK_FALSE(m.classify(at(src, "x ' '")).docstring);
  CHECK(m.line_kind(2) == py::LineKind::String);
  CHECK(m.line_kind(3) == py::LineKind::String);  // blank line inside the string
  CHECK(m.line_kind(4) == py::LineKind::String);
  CHECK(m.line_flags(4) == (py::kLineString | py::kLineDocstring));
  CHECK(m.logical_start(5) == 2);
  REQUIRE(m.scopes().size() == 2);
  const auto& f = m.scope(1);
  CHECK(f.doc_begin == at(src, "\"\"\"Doc"));
  CHECK(m.line_of(f.doc_end - 1) == 5);
  CHECK(f.body_first_line == 2);
  CHECK(f.body_last_line == 7);
}

TEST_CASE("python lexer: docstring forms", "[python][lexer]") {
  std::string src =
      "'module doc'\n"
      "class A:\n"
      "    (\"implicitly\"  # comment\n"
      "     \"concatenated\")\n"
      "class B:\n"
      "    f'not a docstring'\n"
      "class C:\n"
      "    b'bytes are not docstrings'\n"
      "class D: \"same line\"; x = 1\n"
      "class E:\n"
      "    \"call\".strip()\n"
      "def g():\n"
      "    x = 1\n"
      "    'second statement'\n";
  auto m = py::LineModel::build(src);
  CHECK(m.classify(at(src, "module doc")).docstring);
  CHECK(m.classify(at(src, "implicitly")).docstring);
  CHECK(m.classify(at(src, "concatenated")).docstring);
  CHECK_FALSE(m.classify(at(src, "# comment")).docstring);
  CHECK_FALSE(m.classify(at(src, "not a doc")).docstring);
  CHECK_FALSE(m.classify(at(src, "bytes are")).docstring);
  CHECK(m.classify(at(src, "same line")).docstring);
  CHECK_FALSE(m.classify(at(src, "call")).docstring);
  CHECK_FALSE(m.classify(at(src, "second")).docstring);
  CHECK(m.scope(0).doc_end == at(src, "\n"));
}

TEST_CASE("python lexer: line continuations and logical lines", "[python][lexer]") {
  std::string src =
      "x = 1 + \\\n"
      "    2\n"
      "y = (1,\n"
      "\n"
      "     # comment in brackets\n"
      "     2)\n"
      "# comment-only line\n"
      "\n"
      "z = [\\\n"
      "  3]\n";
  auto m = py::LineModel::build(src);
  CHECK(m.logical_start(1) == 1);
  CHECK(m.logical_start(2) == 1);
  for (std::uint32_t l = 3; l <= 6; ++l) CHECK(m.logical_start(l) == 3);
  CHECK(m.logical_start(7) == 7);
  CHECK(m.logical_start(8) == 8);
  CHECK(m.logical_start(10) == 9);
  CHECK(m.line_kind(4) == py::LineKind::Blank);
  CHECK(m.line_kind(5) == py::LineKind::Comment);
  CHECK(m.line_kind(7) == py::LineKind::Comment);
  CHECK(m.line_kind(8) == py::LineKind::Blank);
  CHECK(m.has_code(2));
}

TEST_CASE("python lexer: async as an identifier in old code", "[python][lexer]") {
  std::string src =
      "async = 1\n"
      "asyncio.async(coro)\n"
      "def f(async=None):\n"
      "    return async\n"
      "async def g():\n"
      "    async with a: pass\n"
      "    async for b in c: pass\n"
      "    return [x async for x in y]\n";
  auto m = py::LineModel::build(src);
  const auto& inv = m.inventory();
  CHECK(inv.async_defs == 1);
  CHECK(inv.async_withs == 1);
  CHECK(inv.async_fors == 2);
  REQUIRE(m.scopes().size() == 3);
  CHECK(m.scope(1).kind == py::ScopeKind::Function);
  CHECK(m.scope(1).name == "f");
  CHECK(m.scope(2).kind == py::ScopeKind::AsyncFunction);
  CHECK(m.scope(2).name == "g");
  CHECK(m.scope(2).keyword_offset == at(src, "async def"));
}

TEST_CASE("python lexer: decorators spanning lines", "[python][lexer]") {
  std::string src =
      "class T:\n"
      "    @pytest.mark.parametrize(\n"
      "        \"x\", [1, 2],  # cases\n"
      "    )\n"
      "    @pytest.mark.asyncio\n"
      "    async def test_x(self, x):\n"
      "        await foo(x)\n"
      "\n"
      "    @property\n"
      "    def p(self): return 1\n";
  auto m = py::LineModel::build(src);
  REQUIRE(m.scopes().size() == 4);
  const auto& t = m.scope(1);
  const auto& fn = m.scope(2);
  CHECK(t.body_first_line == 2);  // the decorated first statement starts at its `@`
  CHECK(t.body_last_line == 10);
  CHECK(fn.kind == py::ScopeKind::AsyncFunction);
  CHECK(fn.name == "test_x");
  CHECK(fn.decorator_line == 2);
  CHECK(fn.first_line == 2);
  CHECK(fn.keyword_line == 6);
  CHECK(fn.body_first_line == 7);
  CHECK(fn.body_last_line == 7);
  CHECK(fn.parent == 1);
  auto decs = m.decorators(fn);
  REQUIRE(decs.size() == 2);
  CHECK(decs[0] == "pytest.mark.parametrize(\n        \"x\", [1, 2],  # cases\n    )");
  CHECK(decs[1] == "pytest.mark.asyncio");
  CHECK(m.innermost_scope_at_line(2) == 2);
  CHECK(m.innermost_scope_at_line(8) == 1);  // blank line between methods
  const auto& p = m.scope(3);
  CHECK(p.name == "p");
  CHECK(p.decorator_line == 9);
  CHECK(m.decorators(p).size() == 1);
  CHECK(p.body_first_line == 10);
  CHECK(m.inventory().awaits == 1);
}

TEST_CASE("python lexer: lambdas in default arguments and elsewhere", "[python][lexer]") {
  std::string src =
      "def f(key=lambda x: x + 1, *, other=(lambda: (\n"
      "        2)), last=1):\n"
      "    return sorted(xs, key=lambda v: v[0])\n"
      "table = {k: lambda: v for k, v in items}\n"
      "pair = lambda a, b=lambda: 0: a if b else (lambda: None)\n";
  auto m = py::LineModel::build(src);
  auto s = m.scopes();
  REQUIRE(s.size() == 9);
  CHECK(s[1].kind == py::ScopeKind::Function);
  CHECK(s[2].kind == py::ScopeKind::Lambda);
  CHECK(s[2].parent == 1);  // lexically inside the def (as in the ast), not its body
  CHECK(s[2].end == at(src, ", *") );
  CHECK(s[3].parent == 1);
  CHECK(s[3].body_first_line == 1);
  CHECK(s[3].body_last_line == 2);
  CHECK(s[4].parent == 1);
  CHECK(s[4].end == at(src, "])") + 1);
  CHECK(s[5].parent == 0);
  CHECK(s[5].end == at(src, " for k"));
  CHECK(s[6].parent == 0);
  CHECK(s[7].parent == 6);  // default value of a lambda parameter
  CHECK(s[7].end == at(src, ": a if"));
  CHECK(m.innermost_scope(at(src, "x + 1")) == 2);
  CHECK(m.innermost_scope(at(src, "other")) == 1);
  CHECK(m.innermost_scope(at(src, "sorted")) == 1);
  CHECK(m.innermost_scope(at(src, "v[0]")) == 4);
  CHECK(s[8].parent == 6);
  CHECK(m.innermost_scope(at(src, "None")) == 8);
  CHECK(m.innermost_scope(at(src, "a if")) == 6);
  CHECK(m.scope(1).body_begin == at(src, "return"));
}

TEST_CASE("python lexer: scope ends follow ast end positions", "[python][lexer]") {
  std::string src = "def f(): x = 1;  # trailing semicolon\nclass C: pass\n";
  auto m = py::LineModel::build(src);
  REQUIRE(m.scopes().size() == 3);
  CHECK(m.scope(1).end == at(src, ";") + 1);  // ast's FunctionDef end includes a final `;`
  CHECK(m.scope(1).body_begin == at(src, "x"));
  CHECK(m.scope(2).end == src.size() - 1);
}

TEST_CASE("python lexer: class inside async def", "[python][lexer]") {
  std::string src =
      "async def outer():\n"
      "    class Inner:\n"
      "        \"\"\"doc\"\"\"\n"
      "        def m(self):\n"
      "            return 1\n"
      "\n"
      "        # trailing comment, ignored like ast does\n"
      "    return Inner\n"
      "x = 1\n";
  auto m = py::LineModel::build(src);
  auto s = m.scopes();
  REQUIRE(s.size() == 4);
  CHECK(s[1].kind == py::ScopeKind::AsyncFunction);
  CHECK(s[1].body_last_line == 8);
  CHECK(s[2].kind == py::ScopeKind::Class);
  CHECK(s[2].parent == 1);
  CHECK(s[2].body_first_line == 3);
  CHECK(s[2].body_last_line == 5);
  CHECK(s[2].doc_end != 0);
  CHECK(s[3].parent == 2);
  CHECK(s[3].depth == 3);
  CHECK(m.innermost_scope_at_line(5) == 3);
  CHECK(m.innermost_scope_at_line(7) == 1);
  CHECK(m.innermost_scope_at_line(8) == 1);
  CHECK(m.innermost_scope_at_line(9) == 0);
  CHECK(m.inventory().async_defs == 1);
}

TEST_CASE("python lexer: CRLF, lone CR, BOM", "[python][lexer]") {
  std::string crlf = "\xEF\xBB\xBF" "def f():\r\n    '''a\r\n    b'''\r\n    return 1\r\n";
  auto m = py::LineModel::build(crlf);
  CHECK(m.has_bom());
  CHECK(m.line_count() == 4);
  CHECK(m.line_text(2) == "    '''a");
  CHECK(m.line_kind(3) == py::LineKind::String);
  REQUIRE(m.scopes().size() == 2);
  CHECK(m.scope(1).keyword_offset == 3);
  CHECK(m.scope(1).body_last_line == 4);
  CHECK(m.innermost_scope_at_line(1) == 1);

  std::string cr = "x = 1\ry = (2,\r3)\r# c\r";
  auto c = py::LineModel::build(cr);
  CHECK(c.line_count() == 4);
  CHECK(c.logical_start(3) == 2);
  CHECK(c.line_kind(4) == py::LineKind::Comment);
  CHECK(c.line_text(4) == "# c");
  CHECK(c.line_of(at(cr, "3)")) == 3);
}

TEST_CASE("python lexer: tabs expand to multiples of 8", "[python][lexer]") {
  std::string src =
      "if x:\n"
      "\tdef f():\n"
      "\t\tpass\n"
      "        y = 1\n"  // 8 spaces: same column as one tab, so f's body has ended
      "  \tz = 2\n";       // 2 spaces + tab is also column 8
  auto m = py::LineModel::build(src);
  REQUIRE(m.scopes().size() == 2);
  CHECK(m.scope(1).body_first_line == 3);
  CHECK(m.scope(1).body_last_line == 3);
  CHECK(m.innermost_scope_at_line(4) == 0);
  CHECK(m.innermost_scope_at_line(5) == 0);
}

TEST_CASE("python lexer: unterminated strings and brackets", "[python][lexer]") {
  {
    std::string src = "x = 'abc\ndef g(): pass\n";  // a single-quoted string ends at the line
    auto m = py::LineModel::build(src);
    CHECK(region(m, src, "abc") == Str);
    CHECK((m.spans()[0].flags & py::kSpanUnterminated) != 0);
    REQUIRE(m.scopes().size() == 2);
    CHECK(m.scope(1).name == "g");
  }
  {
    std::string src = "x = \"\"\"abc\ndef g(): pass\n";  // a triple-quoted one runs to EOF
    auto m = py::LineModel::build(src);
    CHECK(region(m, src, "def") == Str);
    CHECK(m.scopes().size() == 1);
    CHECK(m.line_kind(2) == py::LineKind::String);
  }
  {
    std::string src = "def f(:\n  y = f'{a\nasync def h(";
    auto m = py::LineModel::build(src);
    CHECK(m.line_count() == 3);
    for (const auto& s : m.scopes()) CHECK(s.end <= src.size());
  }
  for (std::string src : {"", "\n", "'", "f'{", "f'{x:", "\\", "(", "@", "@\n", "def", "lambda",
                          "class A(", "\xEF\xBB\xBF", "f'''{\n", "rb'\\", "x\\\r"}) {
    auto m = py::LineModel::build(src);
    CHECK(m.scope(0).end == src.size());
    CHECK(m.innermost_scope(0) < m.scopes().size());
  }
  CHECK(py::LineModel::build("").line_count() == 0);
  CHECK(py::LineModel::build("\n").line_count() == 1);
  CHECK(py::LineModel::build("x").line_count() == 1);
  CHECK(py::LineModel::build("\xEF\xBB\xBF").line_count() == 0);
  CHECK(py::LineModel::build("\xEF\xBB\xBF\n").line_count() == 1);
}

TEST_CASE("python lexer: inventory counts code tokens only", "[python][lexer]") {
  std::string src =
      "import asyncio\n"
      "async def main():\n"
      "    # asyncio.gather(a) in a comment\n"
      "    s = 'await asyncio.create_task(x)'\n"
      "    r = await asyncio . gather (a(), b())\n"
      "    t = asyncio.create_task(\n"
      "        c())\n"
      "    u = f\"{await asyncio.gather(d)}\"\n"
      "    v = loop.asyncio.gather(e)  # attribute of an attribute: not counted\n"
      "    async with asyncio.TaskGroup() as tg, TaskGroup () as tg2:\n"
      "        tg.create_task(f())\n"
      "class TaskGroup(Base): pass\n"
      "def TaskGroup(): pass\n";
  auto m = py::LineModel::build(src);
  const auto& inv = m.inventory();
  CHECK(inv.async_defs == 1);
  CHECK(inv.awaits == 2);
  CHECK(inv.gather_calls == 2);
  CHECK(inv.create_task_calls == 2);  // asyncio.create_task and tg.create_task
  CHECK(inv.task_group_calls == 2);
  CHECK(inv.async_withs == 1);
}
