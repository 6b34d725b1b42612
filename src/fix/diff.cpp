#include "fix/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "fix/edits.hpp"

namespace asyncsweep::fix {

namespace {

constexpr std::size_t kContext = 3;

// Lines with their '\n' (a CR stays part of its line, so CRLF files diff as they are).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  return lines;
}

// Old lines [first, last) become `replacement` (whole lines).
struct Change {
  std::size_t first = 0;
  std::size_t last = 0;
  std::vector<std::string> replacement;
};

void put_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(std::size_t start, std::size_t count) {
  // An empty range names the line before it (0 at the top), as diff -u does.
  return count == 1 ? fmt::format("{}", start + 1)
                    : fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

}  // namespace

std::string diff_path(std::string_view path, std::string_view cwd) {
  std::filesystem::path p(path);
  if (p.is_absolute()) p = p.lexically_relative(std::filesystem::path(cwd));
  return p.lexically_normal().generic_string();
}

std::string unified_diff(const FilePlan& plan, const std::string& name) {
  if (plan.edits.empty()) return "";
  const std::string_view text = plan.original;
  const std::vector<std::string_view> lines = split_lines(text);
  std::vector<std::size_t> starts;  // byte offset of each line
  for (std::size_t i = 0, at = 0; i < lines.size(); at += lines[i].size(), ++i)
    starts.push_back(at);
  auto line_of = [&](std::uint64_t offset) {
    return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                    starts.begin()) -
           1;
  };

  // Edits on the same or adjacent lines make one change: its lines with every edit applied.
  std::vector<Change> changes;
  for (std::size_t e = 0; e < plan.edits.size();) {
    const std::size_t first = line_of(plan.edits[e].offset);
    std::size_t last = first + 1;
    std::size_t f = e;
    for (; f < plan.edits.size(); ++f) {
      const FixEdit& edit = plan.edits[f];
      if (line_of(edit.offset) >= last) break;
      const std::uint64_t end = edit.offset + edit.length;
      last = std::max(last, end == 0 ? first + 1 : line_of(end - 1) + 1);
    }
    const std::size_t begin_byte = starts[first];
    const std::size_t end_byte = last < starts.size() ? starts[last] : text.size();
    std::vector<FixEdit> local(plan.edits.begin() + static_cast<std::ptrdiff_t>(e),
                               plan.edits.begin() + static_cast<std::ptrdiff_t>(f));
    for (auto& edit : local) edit.offset -= begin_byte;
    const std::string replaced = apply_edits(text.substr(begin_byte, end_byte - begin_byte), local);
    Change change{first, last, {}};
    for (auto piece : split_lines(replaced)) change.replacement.emplace_back(piece);
    changes.push_back(std::move(change));
    e = f;
  }

  std::string out = fmt::format("--- a/{}\n+++ b/{}\n", name, name);
  long shift = 0;  // new line numbers minus old ones, before the hunk
  for (std::size_t c = 0; c < changes.size();) {
    // Changes whose contexts touch make one hunk.
    std::size_t d = c + 1;
    while (d < changes.size() && changes[d].first <= changes[d - 1].last + 2 * kContext) ++d;
    const std::size_t old_begin = changes[c].first > kContext ? changes[c].first - kContext : 0;
    const std::size_t old_end = std::min(lines.size(), changes[d - 1].last + kContext);
    std::string body;
    std::size_t new_count = 0;
    std::size_t at = old_begin;
    long hunk_shift = 0;
    for (std::size_t k = c; k < d; ++k) {
      for (; at < changes[k].first; ++at, ++new_count) put_line(body, ' ', lines[at]);
      for (; at < changes[k].last; ++at) put_line(body, '-', lines[at]);
      for (const auto& line : changes[k].replacement) put_line(body, '+', line), ++new_count;
      hunk_shift += static_cast<long>(changes[k].replacement.size()) -
                    static_cast<long>(changes[k].last - changes[k].first);
    }
    for (; at < old_end; ++at, ++new_count) put_line(body, ' ', lines[at]);
    const std::size_t new_begin = static_cast<std::size_t>(static_cast<long>(old_begin) + shift);
    out += fmt::format("@@ -{} +{} @@\n", range(old_begin, old_end - old_begin),
                       range(new_begin, new_count));
    out += body;
    shift += hunk_shift;
    c = d;
  }
  return out;
}

}  // namespace asyncsweep::fix
