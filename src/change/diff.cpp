#include "change/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>

namespace asyncsweep::change {

LineRanges LineRanges::whole_file() {
  LineRanges lines;
  lines.whole_ = true;
  return lines;
}

void LineRanges::add(std::uint32_t first, std::uint32_t last) {
  if (whole_ || last < first) return;
  // Diffs come in order: the common case appends to, or extends, the last range.
  if (ranges_.empty() || ranges_.back().second + 1 < first) {
    ranges_.emplace_back(first, last);
    return;
  }
  if (ranges_.back().first <= first) {
    ranges_.back().second = std::max(ranges_.back().second, last);
    return;
  }
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), std::make_pair(first, first));
  if (it != ranges_.begin() && std::prev(it)->second + 1 >= first) --it;
  auto end = it;
  while (end != ranges_.end() && end->first <= last + 1) {
    first = std::min(first, end->first);
    last = std::max(last, end->second);
    ++end;
  }
  it = ranges_.erase(it, end);
  ranges_.insert(it, {first, last});
}

void LineRanges::add(const LineRanges& other) {
  if (other.whole_) {
    *this = other;
    return;
  }
  for (const auto& [first, last] : other.ranges_) add(first, last);
}

bool ranges_intersect(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ranges,
                      std::uint32_t first, std::uint32_t last) {
  // The first range that ends at or after `first`: it intersects when it starts by `last`.
  auto it =
      std::lower_bound(ranges.begin(), ranges.end(), first,
                       [](const auto& range, std::uint32_t line) { return range.second < line; });
  return it != ranges.end() && it->first <= last;
}

bool LineRanges::intersects(std::uint32_t first, std::uint32_t last) const {
  return whole_ || ranges_intersect(ranges_, first, last);
}

bool unquote_git_path(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.empty() || quoted.front() != '"') {
    out.assign(quoted);
    return true;
  }
  if (quoted.size() < 2 || quoted.back() != '"') return false;
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '"') return false;  // an unescaped quote inside
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i == body.size()) return false;
    switch (char e = body[i]) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '"':
      case '\\':
        out += e;
        break;
      default: {
        // Three octal digits: one byte of a name git would not print raw (core.quotePath).
        if (i + 3 > body.size()) return false;
        int value = 0;
        for (std::size_t k = i; k < i + 3; ++k) {
          if (body[k] < '0' || body[k] > '7') return false;
          value = value * 8 + (body[k] - '0');
        }
        if (value > 0xff) return false;
        out += static_cast<char>(value);
        i += 2;
      }
    }
  }
  return true;
}

namespace {

class DiffParser {
 public:
  DiffParser(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  std::vector<ChangedFile> run() {
    std::uint32_t unanswered_old_header = 0;  // the line of a `---` header still without its `+++`
    bool saw_header = false;
    bool saw_text = false;
    while (next_line()) {
      if (!saw_text && line_.find_first_not_of(" \t") != std::string_view::npos) saw_text = true;
      if (in_hunk()) {
        hunk_line();
      } else if (line_.starts_with("+++ ")) {
        new_path(line_.substr(4));
        saw_header = true;
        unanswered_old_header = 0;
      } else if (line_.starts_with("--- ")) {
        saw_header = true;
        unanswered_old_header = line_number_;
      } else if (line_.starts_with("@@ ")) {
        hunk_header();
      } else if (line_.starts_with("diff ")) {
        saw_header = true;  // git's header of a file whose change has no hunks (a mode, a binary)
      }  // anything else between hunks is a header or prose
    }
    if (in_hunk()) fail("the diff ends inside a hunk (its header promised more lines)");
    if (unanswered_old_header != 0) {
      line_number_ = unanswered_old_header;
      fail("a `---` file header without its `+++` line (is the diff cut short?)");
    }
    // `git diff --stat` or `--name-only` output, or a file that is no diff at all, would pass for
    // "nothing changed" and let a CI check go green without looking at anything.
    if (saw_text && !saw_header) {
      line_number_ = 1;
      fail("no `--- a/PATH` / `+++ b/PATH` file header: this is not a unified diff (`git diff "
           "--stat` and `--name-only` output are not)");
    }
    return std::move(files_);
  }

 private:
  bool next_line() {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line_ = text_.substr(pos_, end - pos_);
    if (line_.ends_with('\r')) line_.remove_suffix(1);
    pos_ = end + 1;
    ++line_number_;
    return true;
  }

  bool in_hunk() const { return old_left_ > 0 || new_left_ > 0; }

  [[noreturn]] void fail(std::string_view why) const {
    throw std::runtime_error(fmt::format("{}:{}: malformed diff: {}", name_, line_number_, why));
  }

  void new_path(std::string_view field) {
    have_target_ = true;
    current_ = nullptr;
    std::string path;
    if (field.starts_with('"')) {
      std::size_t close = 1;
      while (close < field.size() && (field[close] != '"' || field[close - 1] == '\\')) ++close;
      if (close == field.size() || !unquote_git_path(field.substr(0, close + 1), path))
        fail("a quoted path that does not end or has a bad escape");
    } else {
      // GNU diff puts a tab and the file's time after the name; git a tab after a name with a
      // space in it.
      path.assign(field.substr(0, field.find('\t')));
    }
    if (path == "/dev/null") return;  // a deleted file: no new lines
    // -p1: the first component is git's "b/" (or the tree's directory name in diff -ru).
    if (std::size_t slash = path.find('/'); slash != std::string::npos) path.erase(0, slash + 1);
    if (path.empty()) fail("a `+++` line without a path");
    auto it = std::find_if(files_.begin(), files_.end(),
                           [&](const ChangedFile& file) { return file.path == path; });
    current_ = it != files_.end() ? &*it : &files_.emplace_back(ChangedFile{std::move(path), {}});
  }

  // "@@ -OLD[,COUNT] +NEW[,COUNT] @@ ...": a missing count is 1.
  void hunk_header() {
    if (!have_target_) fail("a hunk before any `+++` file header");
    std::string_view rest = line_.substr(3);
    std::uint32_t old_start = 0;
    std::uint32_t new_start = 0;
    if (!range(rest, '-', old_start, old_left_) || !rest.starts_with(' ')) bad_header();
    rest.remove_prefix(1);
    if (!range(rest, '+', new_start, new_left_) || !rest.starts_with(" @@")) bad_header();
    new_line_ = new_start;
    if (new_left_ > 0 && new_start == 0) bad_header();
  }

  [[noreturn]] void bad_header() const {
    fail(fmt::format("bad hunk header `{}` (expected `@@ -START,COUNT +START,COUNT @@`)", line_));
  }

  static bool number(std::string_view& text, std::uint32_t& value) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
  }

  static bool range(std::string_view& text, char sign, std::uint32_t& start, std::uint32_t& count) {
    if (!text.starts_with(sign)) return false;
    text.remove_prefix(1);
    if (!number(text, start)) return false;
    count = 1;
    if (text.starts_with(',')) {
      text.remove_prefix(1);
      if (!number(text, count)) return false;
    }
    return true;
  }

  void hunk_line() {
    const char kind =
        line_.empty() ? ' ' : line_.front();  // an empty line: context whose space was trimmed
    switch (kind) {
      case '+':
        if (new_left_ == 0) fail("more added lines than the hunk header counts");
        if (current_ != nullptr) current_->lines.add(new_line_, new_line_);
        ++new_line_;
        --new_left_;
        break;
      case '-':
        if (old_left_ == 0) fail("more removed lines than the hunk header counts");
        --old_left_;
        break;
      case ' ':
        if (old_left_ == 0 || new_left_ == 0)
          fail("more context lines than the hunk header counts");
        --old_left_;
        --new_left_;
        ++new_line_;
        break;
      case '\\':  // "\ No newline at end of file": about the line before, counts as none
        break;
      default:
        fail(fmt::format("a line inside a hunk starts with `{}`, not ' ', '+', '-' or '\\'", kind));
    }
  }

  std::string_view text_;
  std::string_view name_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
  std::string_view line_;
  std::vector<ChangedFile> files_;
  ChangedFile* current_ = nullptr;  // null: the hunks go to a deleted file
  bool have_target_ = false;
  std::uint32_t old_left_ = 0;
  std::uint32_t new_left_ = 0;
  std::uint32_t new_line_ = 0;
};

}  // namespace

std::vector<ChangedFile> parse_unified_diff(std::string_view text, std::string_view name) {
  std::vector<ChangedFile> files = DiffParser(text, name).run();
  // A path whose hunks only removed lines has nothing a finding could be on.
  std::erase_if(files, [](const ChangedFile& file) { return file.lines.empty(); });
  return files;
}

}  // namespace asyncsweep::change
