// Python line model: a one-pass, allocation-light structural view of a Python source file.
//
// The rules engine needs three things about a match position in a .py file: whether it is real
// code (not a comment or string), which function/class it sits in, and cheap per-line facts.
// Running CPython for that is far too slow for monorepo sweeps, so this is a hand-written lexer
// that follows the CPython 3.12 tokenizer (PEP 701 f-strings) closely enough to agree with
// `ast`/`tokenize` on every file of the standard library (see tests/python/model_oracle.py and
// tests/unit/python/python_model_test.cpp for the differential test and its documented exceptions).
//
// Input is raw bytes in any ASCII-compatible encoding (only ASCII is interpreted; bytes >= 0x80
// are identifier characters, so invalid UTF-8 is fine), with LF / CRLF / lone CR line breaks
// (a CR LF pair is one break, as in CPython) and an optional UTF-8 BOM. Invalid input never
// throws or crashes: single-quoted strings end at their line, triple-quoted strings and
// brackets run to EOF, and the scope structure stays well formed.
//
// Memory is O(lines + scopes + string/comment tokens) (plus, transiently, the bracket nesting
// depth); nothing is allocated per byte. Offsets are 32-bit: larger inputs are truncated to
// 4 GiB - 2 bytes. build() is a single O(n) pass; every query is O(1) or O(log n).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace asyncsweep::python {

namespace detail {
template <bool Fast>
class ModelBuilder;  // builder.hpp
}  // namespace detail

enum class Region : std::uint8_t { Code, Comment, String };

struct Classification {
  Region region = Region::Code;
  bool docstring = false;  // String region that is (part of) a module/class/def docstring
};

// A maximal comment or string-literal piece. F-strings are split around their replacement
// fields: `f"a{x:>4}b"` yields String `f"a`, String `>4` (format spec), String `b"`; the braces,
// the expression, `!r` and the `:` are code, exactly like the 3.12 tokenizer's FSTRING_MIDDLE.
struct Span {
  std::uint32_t begin = 0;  // byte offsets, [begin, end)
  std::uint32_t end = 0;
  Region region = Region::String;
  std::uint8_t flags = 0;  // SpanFlag bits
};

enum SpanFlag : std::uint8_t {
  kSpanDocstring = 1,     // part of a docstring (plain, non-bytes string literals only)
  kSpanFString = 2,       // piece of an f-string (or 3.14 t-string)
  kSpanBytes = 4,         // bytes literal
  kSpanUnterminated = 8,  // string ran into end of line (single-quoted) or EOF
};

// Per physical line facts. "Code token" means a NAME/NUMBER/OP token outside comments and
// string literals, including the tokens of f-string replacement fields; whitespace and
// backslash continuations are not tokens.
enum LineFlag : std::uint8_t {
  kLineCode = 1,       // has at least one code token
  kLineComment = 2,    // has a comment
  kLineString = 4,     // has at least one byte (its line break included) inside a string literal
  kLineDocstring = 8,  // has docstring bytes
};

// Summary class of a line. Precedence Code > String > Comment > Blank, so a line holding a
// string and a trailing comment but no code is String; use the flags for the full picture.
enum class LineKind : std::uint8_t { Blank, Comment, String, Code };

enum class ScopeKind : std::uint8_t { Module, Function, AsyncFunction, Class, Lambda };

inline constexpr std::uint32_t kNoScope = 0xffffffffu;

// One def / async def / class / lambda (plus the module as scopes()[0]). Scopes are stored in
// order of their first byte, so a parent always precedes its children. Extents are lexical:
// [begin, end) runs from the first decorator's `@` (else the `async`/`def`/`class`/`lambda`
// keyword) to the end of the body's last token. Decorators, default values, annotations and
// base classes therefore belong to the scope they are written on, and a lambda in a default
// argument or decorator has the def as parent, mirroring the ast node tree (CPython evaluates
// them in the enclosing scope; use body_begin to tell header from body when that matters).
struct Scope {
  ScopeKind kind = ScopeKind::Module;
  std::string_view name;        // view into the source; "<lambda>" / "<module>"
  std::uint32_t parent = kNoScope;
  std::uint32_t depth = 0;      // module = 0
  std::uint32_t keyword_line = 0;    // line of `def`/`class`/`lambda`, `async` for async def
                                     // (== ast lineno); module: 1 (0 for an empty file)
  std::uint32_t decorator_line = 0;  // line of the first decorator's `@`, 0 if undecorated
  std::uint32_t first_line = 0;      // decorator_line if decorated, else keyword_line
  std::uint32_t body_first_line = 0;  // first line with a token of the body (a decorated
                                      // first statement starts at its `@`; a lambda body at
                                      // an opening parenthesis); module: 0 if no tokens
  std::uint32_t body_last_line = 0;   // last line with a token of the body (== ast end_lineno)
  // Invalid code never yields a malformed scope: a def whose header never ends, or whose body
  // is missing, gets an empty body at the end of what was read.
  std::uint32_t begin = 0;          // extent start (see above)
  std::uint32_t keyword_offset = 0;  // `async`/`def`/`class`/`lambda`
  std::uint32_t body_begin = 0;     // first body token
  std::uint32_t end = 0;            // one past the body's last token (== ast end_col_offset,
                                    // a final `;` included); module: source size
  std::uint32_t doc_begin = 0, doc_end = 0;  // docstring extent (first..last literal), or 0,0
  std::uint32_t decorators_first = 0, decorators_count = 0;  // index into decorator texts
};

// Counts over code tokens only (comments and strings never count; f-string fields do).
// Calls are matched on the token sequence, so whitespace, comments and line breaks that Python
// permits between tokens (`asyncio . gather (`, or split across lines inside brackets) are
// accepted, but nothing else: `(asyncio).gather(` or `aio = asyncio; aio.gather(` do not count.
struct Inventory {
  std::uint32_t async_defs = 0;   // `async def`
  std::uint32_t awaits = 0;       // `await` (a keyword since 3.7: every occurrence is an Await)
  std::uint32_t async_fors = 0;   // `async for` statements and async comprehension clauses
  std::uint32_t async_withs = 0;  // `async with`
  std::uint32_t gather_calls = 0;       // `asyncio.gather(` not preceded by `.`
  std::uint32_t create_task_calls = 0;  // `asyncio.create_task(` not preceded by `.`
  std::uint32_t task_group_calls = 0;   // `TaskGroup(` (bare or as attribute), not `def/class`
};

class LineModel {
 public:
  // One pass over `source`, O(n). The model keeps views into `source`: it must outlive the model.
  static LineModel build(std::string_view source);
  // The same model from the plain scalar lexer, kept as the oracle of build()'s structure pass
  // (bench/model_bench.cpp, tests/unit/python/python_structure_test.cpp, the fuzzer).
  static LineModel build_reference(std::string_view source);

  std::string_view source() const { return source_; }
  bool has_bom() const { return bom_; }

  // ---- bytes ----
  Classification classify(std::size_t offset) const;  // O(log spans); out of range: Code
  std::span<const Span> spans() const { return spans_; }  // sorted, non-overlapping

  // ---- lines (1-based; a trailing line break does not start a new line; "" has 0 lines) ----
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(lines_.size()); }
  std::uint32_t line_of(std::size_t offset) const;  // O(log lines); clamped (0 if no lines)
  std::size_t line_begin(std::uint32_t line) const;
  std::size_t line_end(std::uint32_t line) const;  // excludes the line break
  std::string_view line_text(std::uint32_t line) const;
  // First line of the logical line containing `line`. Lines that belong to no logical line
  // (blank or comment-only lines outside brackets) map to themselves.
  std::uint32_t logical_start(std::uint32_t line) const;
  std::uint8_t line_flags(std::uint32_t line) const;
  bool has_code(std::uint32_t line) const { return (line_flags(line) & kLineCode) != 0; }
  LineKind line_kind(std::uint32_t line) const;

  // ---- scopes ----
  std::span<const Scope> scopes() const { return scopes_; }
  const Scope& scope(std::uint32_t index) const { return scopes_[index]; }
  // Decorator expressions as written, without the `@`, e.g. "pytest.mark.asyncio".
  std::span<const std::string_view> decorators(const Scope& s) const {
    return std::span<const std::string_view>(decorators_).subspan(s.decorators_first,
                                                                  s.decorators_count);
  }
  // Deepest scope whose extent contains `offset` (module if none). O(log scopes).
  std::uint32_t innermost_scope(std::size_t offset) const;
  // Same, probing the line's first non-blank byte (its line break if blank).
  std::uint32_t innermost_scope_at_line(std::uint32_t line) const;

  const Inventory& inventory() const { return inventory_; }

 private:
  template <bool Fast>
  friend class detail::ModelBuilder;
  void finalize_scopes(const std::vector<std::uint8_t>& dead);  // model.cpp
  struct Line {
    std::uint32_t begin;
    std::uint32_t logical;
    std::uint8_t flags;
  };
  struct Segment {  // innermost scope from `begin` up to the next segment
    std::uint32_t begin;
    std::uint32_t scope;
  };

  std::string_view source_;
  bool bom_ = false;
  std::vector<Line> lines_;
  std::vector<Span> spans_;
  std::vector<Scope> scopes_;
  std::vector<std::string_view> decorators_;
  std::vector<Segment> segments_;
  Inventory inventory_;
};

}  // namespace asyncsweep::python
