#include "python/model_compare.hpp"

#include <fmt/format.h>

namespace asyncsweep::python {
namespace {

std::string scope_difference(const LineModel& a, const LineModel& b, std::size_t i) {
  const Scope& x = a.scopes()[i];
  const Scope& y = b.scopes()[i];
  auto field = [&](const char* name, auto u, auto v) {
    return u == v ? std::string() : fmt::format("scope {} {}: {} vs {}", i, name, u, v);
  };
  std::string d;
  auto check = [&](std::string s) {
    if (d.empty()) d = std::move(s);
  };
  check(field("kind", static_cast<int>(x.kind), static_cast<int>(y.kind)));
  check(field("name", x.name, y.name));
  check(field("parent", x.parent, y.parent));
  check(field("depth", x.depth, y.depth));
  check(field("keyword_line", x.keyword_line, y.keyword_line));
  check(field("decorator_line", x.decorator_line, y.decorator_line));
  check(field("first_line", x.first_line, y.first_line));
  check(field("body_first_line", x.body_first_line, y.body_first_line));
  check(field("body_last_line", x.body_last_line, y.body_last_line));
  check(field("begin", x.begin, y.begin));
  check(field("keyword_offset", x.keyword_offset, y.keyword_offset));
  check(field("body_begin", x.body_begin, y.body_begin));
  check(field("end", x.end, y.end));
  check(field("doc_begin", x.doc_begin, y.doc_begin));
  check(field("doc_end", x.doc_end, y.doc_end));
  const auto da = a.decorators(x);
  const auto db = b.decorators(y);
  check(field("decorator count", da.size(), db.size()));
  for (std::size_t k = 0; d.empty() && k < da.size(); ++k) {
    // Views must point at the same bytes, not merely equal text.
    check(field("decorator offset", da[k].data() - a.source().data(),
                db[k].data() - b.source().data()));
    check(field("decorator size", da[k].size(), db[k].size()));
  }
  return d;
}

}  // namespace

std::string first_difference(const LineModel& a, const LineModel& b) {
  if (a.source().size() != b.source().size()) return "source size";
  if (a.has_bom() != b.has_bom()) return "bom";
  if (a.line_count() != b.line_count())
    return fmt::format("line count: {} vs {}", a.line_count(), b.line_count());
  for (std::uint32_t l = 1; l <= a.line_count(); ++l) {
    if (a.line_begin(l) != b.line_begin(l))
      return fmt::format("line {} begin: {} vs {}", l, a.line_begin(l), b.line_begin(l));
    if (a.logical_start(l) != b.logical_start(l))
      return fmt::format("line {} logical: {} vs {}", l, a.logical_start(l), b.logical_start(l));
    if (a.line_flags(l) != b.line_flags(l))
      return fmt::format("line {} flags: {} vs {}", l, a.line_flags(l), b.line_flags(l));
  }
  const auto sa = a.spans();
  const auto sb = b.spans();
  for (std::size_t i = 0; i < sa.size() && i < sb.size(); ++i) {
    if (sa[i].begin != sb[i].begin || sa[i].end != sb[i].end || sa[i].region != sb[i].region ||
        sa[i].flags != sb[i].flags)
      return fmt::format("span {}: [{}, {}) region {} flags {} vs [{}, {}) region {} flags {}", i,
                         sa[i].begin, sa[i].end, static_cast<int>(sa[i].region), sa[i].flags,
                         sb[i].begin, sb[i].end, static_cast<int>(sb[i].region), sb[i].flags);
  }
  if (sa.size() != sb.size()) return fmt::format("span count: {} vs {}", sa.size(), sb.size());
  if (a.scopes().size() != b.scopes().size())
    return fmt::format("scope count: {} vs {}", a.scopes().size(), b.scopes().size());
  for (std::size_t i = 0; i < a.scopes().size(); ++i) {
    if (auto d = scope_difference(a, b, i); !d.empty()) return d;
  }
  const Inventory& x = a.inventory();
  const Inventory& y = b.inventory();
  if (x.async_defs != y.async_defs || x.awaits != y.awaits || x.async_fors != y.async_fors ||
      x.async_withs != y.async_withs || x.gather_calls != y.gather_calls ||
      x.create_task_calls != y.create_task_calls || x.task_group_calls != y.task_group_calls)
    return "inventory";
  return {};
}

}  // namespace asyncsweep::python
