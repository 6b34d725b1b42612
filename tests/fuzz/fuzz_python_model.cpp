// libFuzzer target: the Python line model (src/python/model.hpp) on arbitrary bytes. It must
// never crash or throw, build() must agree with build_reference() exactly, and the model's
// structural invariants must hold (the same ones as
// tests/unit/python/python_fuzz_test.cpp, which only sees generated inputs).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "analyze/imports.hpp"
#include "python/model.hpp"
#include "python/model_compare.hpp"

namespace py = asyncsweep::python;

#define CHECK_OR_DIE(cond) \
  do {                     \
    if (!(cond)) std::abort(); \
  } while (0)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view src(reinterpret_cast<const char*>(data), size);
  const py::LineModel m = py::LineModel::build(src);
  const std::size_t n = src.size();
  // The fast structure pass must give the reference (scalar) builder's model exactly.
  CHECK_OR_DIE(py::first_difference(m, py::LineModel::build_reference(src)).empty());
  // Lines: ordered, within the text, logical starts before the line.
  std::size_t prev = 0;
  for (std::uint32_t l = 1; l <= m.line_count(); ++l) {
    CHECK_OR_DIE(m.line_begin(l) >= prev);
    CHECK_OR_DIE(m.line_begin(l) <= m.line_end(l));
    CHECK_OR_DIE(m.line_end(l) <= n);
    CHECK_OR_DIE(m.logical_start(l) >= 1 && m.logical_start(l) <= l);
    (void)m.line_text(l);
    (void)m.line_kind(l);
    prev = m.line_begin(l);
  }
  // Spans: sorted, disjoint, non-empty, inside the text.
  std::size_t last_end = 0;
  for (const auto& s : m.spans()) {
    CHECK_OR_DIE(s.begin < s.end && s.begin >= last_end && s.end <= n);
    last_end = s.end;
  }
  // Scopes: the module first and whole, parents before children, nested extents.
  const auto sc = m.scopes();
  CHECK_OR_DIE(!sc.empty() && sc[0].begin == 0 && sc[0].end == n);
  for (std::size_t i = 1; i < sc.size(); ++i) {
    const auto& s = sc[i];
    CHECK_OR_DIE(s.parent < i);
    const auto& p = sc[s.parent];
    CHECK_OR_DIE(s.begin >= p.begin && s.end <= p.end && s.begin <= s.end);
    CHECK_OR_DIE(s.begin <= s.keyword_offset && s.keyword_offset <= s.body_begin && s.body_begin <= s.end);
    CHECK_OR_DIE(s.begin >= sc[i - 1].begin);
    CHECK_OR_DIE(s.depth == p.depth + 1);
    CHECK_OR_DIE(s.body_last_line <= m.line_count() && s.keyword_line <= m.line_count());
    for (auto d : m.decorators(s)) CHECK_OR_DIE(d.data() >= src.data() && d.data() + d.size() <= src.data() + n);
  }
  // innermost_scope against brute force (every offset of small inputs, a sample of large ones).
  const std::size_t stride = n <= 1024 ? 1 : n / 512;
  for (std::size_t off = 0; off <= n; off += stride) {
    std::uint32_t best = 0;
    for (std::uint32_t i = 1; i < sc.size(); ++i) {
      if (sc[i].begin <= off && off < sc[i].end && sc[i].depth >= sc[best].depth) best = i;
    }
    CHECK_OR_DIE(m.innermost_scope(off) == best);
    (void)m.classify(off);
    CHECK_OR_DIE(m.line_of(off) <= (m.line_count() == 0 ? 1 : m.line_count()));
  }
  for (std::uint32_t l = 0; l <= m.line_count() + 1; ++l) CHECK_OR_DIE(m.innermost_scope_at_line(l) < sc.size());
  // Code tokens (analyze/imports): ordered, disjoint, non-empty, inside the text; the import
  // table's scopes exist and every imported name resolves without crashing anywhere.
  const auto tokens = asyncsweep::analyze::code_tokens(m);
  std::size_t token_end = 0;
  for (const auto& t : tokens) {
    CHECK_OR_DIE(t.begin >= token_end && t.begin < t.end && t.end <= n);
    token_end = t.end;
  }
  const auto table = asyncsweep::analyze::ImportTable::build(m, tokens);
  for (const auto& b : table.imports()) {
    CHECK_OR_DIE(b.scope < sc.size() && !b.local.empty() && !b.qualified.empty());
    for (std::size_t off = 0; off <= n; off += stride * 16) (void)table.resolve(b.local, off);
  }
  return 0;
}
