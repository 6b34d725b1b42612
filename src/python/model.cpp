// Queries over a built LineModel. Everything here is a binary search or an array access; the
// single pass that fills the tables lives in builder.cpp.
#include "python/model.hpp"

#include <algorithm>
#include <utility>

namespace asyncsweep::python {

// Drops decorator placeholders that no def/class claimed (invalid code only) and re-parents
// their children; order, and hence parent-before-child, is preserved. Then flattens the
// nested extents into sorted "[begin, next begin) -> innermost scope" segments, which is what
// makes innermost_scope() a single binary search whatever the nesting depth.
void LineModel::finalize_scopes(const std::vector<std::uint8_t>& dead) {
  auto& sc = scopes_;
  std::vector<std::uint32_t> parent(sc.size()), remap(sc.size(), kNoScope);
  for (std::size_t i = 0; i < sc.size(); ++i) parent[i] = sc[i].parent;
  std::uint32_t w = 0;
  for (std::uint32_t i = 0; i < sc.size(); ++i) {
    if (dead[i]) continue;
    std::uint32_t par = parent[i];
    while (par != kNoScope && dead[par]) par = parent[par];
    Scope s = sc[i];
    s.parent = par == kNoScope ? kNoScope : remap[par];
    s.depth = par == kNoScope ? 0 : sc[s.parent].depth + 1;
    remap[i] = w;
    sc[w++] = s;
  }
  sc.resize(w);

  const auto n = static_cast<std::uint32_t>(source_.size());
  segments_.reserve(2 * sc.size() + 1);
  segments_.push_back({0, 0});
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // (scope, end)
  stack.push_back({0, n});
  auto pop = [&] {
    std::uint32_t e = stack.back().second;
    stack.pop_back();
    segments_.push_back({e, stack.back().first});
  };
  for (std::uint32_t i = 1; i < sc.size(); ++i) {
    const std::uint32_t b = sc[i].begin;
    while (stack.size() > 1 && stack.back().second <= b) pop();
    segments_.push_back({b, i});
    stack.push_back({i, std::min(sc[i].end, stack.back().second)});
  }
  while (stack.size() > 1) pop();
}

Classification LineModel::classify(std::size_t offset) const {
  // Spans are sorted and disjoint: the candidate is the last one starting at or before offset.
  auto it = std::upper_bound(spans_.begin(), spans_.end(), offset,
                             [](std::size_t off, const Span& s) { return off < s.begin; });
  if (it == spans_.begin()) return {};
  --it;
  if (offset >= it->end) return {};
  return {it->region, (it->flags & kSpanDocstring) != 0};
}

std::uint32_t LineModel::line_of(std::size_t offset) const {
  if (lines_.empty()) return 0;
  auto it = std::upper_bound(lines_.begin(), lines_.end(), offset,
                             [](std::size_t off, const Line& l) { return off < l.begin; });
  if (it == lines_.begin()) return 1;
  return static_cast<std::uint32_t>(it - lines_.begin());
}

std::size_t LineModel::line_begin(std::uint32_t line) const {
  if (line == 0 || line > lines_.size()) return source_.size();
  return lines_[line - 1].begin;
}

std::size_t LineModel::line_end(std::uint32_t line) const {
  if (line == 0 || line > lines_.size()) return source_.size();
  std::size_t e = line < lines_.size() ? lines_[line].begin : source_.size();
  std::size_t b = lines_[line - 1].begin;
  // Strip the terminator: "\n", "\r\n" or "\r" (the last line may have none).
  if (e > b && source_[e - 1] == '\n') --e;
  if (e > b && source_[e - 1] == '\r') --e;
  return e;
}

std::string_view LineModel::line_text(std::uint32_t line) const {
  std::size_t b = line_begin(line);
  return source_.substr(b, line_end(line) - b);
}

std::uint32_t LineModel::logical_start(std::uint32_t line) const {
  if (line == 0 || line > lines_.size()) return line;
  return lines_[line - 1].logical;
}

std::uint8_t LineModel::line_flags(std::uint32_t line) const {
  if (line == 0 || line > lines_.size()) return 0;
  return lines_[line - 1].flags;
}

LineKind LineModel::line_kind(std::uint32_t line) const {
  std::uint8_t f = line_flags(line);
  if (f & kLineCode) return LineKind::Code;
  if (f & kLineString) return LineKind::String;
  if (f & kLineComment) return LineKind::Comment;
  return LineKind::Blank;
}

std::uint32_t LineModel::innermost_scope(std::size_t offset) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::size_t off, const Segment& s) { return off < s.begin; });
  if (it == segments_.begin()) return 0;
  return std::prev(it)->scope;
}

std::uint32_t LineModel::innermost_scope_at_line(std::uint32_t line) const {
  if (line == 0 || line > lines_.size()) return 0;
  std::size_t p = line_begin(line);
  if (line == 1 && bom_) p += 3;
  std::size_t e = line_end(line);
  while (p < e && (source_[p] == ' ' || source_[p] == '\t' || source_[p] == '\f')) ++p;
  return innermost_scope(p);
}

}  // namespace asyncsweep::python
