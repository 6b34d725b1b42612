// What a change touched, line by line: the unified-diff parser behind --changed-lines and
// --changed-since (change/git.hpp feeds it git's own diff). Paths are what the diff names on its
// `+++` side with the first component stripped, as `patch -p1` takes them ("b/pkg/mod.py" is
// "pkg/mod.py"); deleted files, binary files and pure renames contribute nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asyncsweep::change {

// Whether any of lines first..last is in `ranges` (sorted, disjoint, inclusive [first, last]).
bool ranges_intersect(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ranges,
                      std::uint32_t first, std::uint32_t last);

// The added or changed lines of one file: sorted, disjoint, inclusive [first, last] ranges, or
// every line (a file the change adds whole, such as an untracked one).
class LineRanges {
 public:
  static LineRanges whole_file();
  // Adds lines first..last (inclusive; first >= 1), keeping the ranges sorted and merged.
  void add(std::uint32_t first, std::uint32_t last);
  void add(const LineRanges& other);
  // Whether any of lines first..last is changed: a multi-line finding counts when one does.
  bool intersects(std::uint32_t first, std::uint32_t last) const;
  bool whole() const { return whole_; }
  bool empty() const { return !whole_ && ranges_.empty(); }
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ranges() const { return ranges_; }

 private:
  bool whole_ = false;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges_;
};

struct ChangedFile {
  std::string path;  // relative to the diff's base directory, '/'-separated
  LineRanges lines;
};

// Parses a unified diff (git's, GNU diff -u's, hg's, svn's), one entry per new path with added
// lines, in the order first seen (a path seen twice has its lines merged). Text outside hunks
// (commit messages, `diff --git`, `index`, mode and rename lines) is skipped. Throws
// std::runtime_error "NAME:LINE: malformed diff: WHY" for a hunk header that does not parse, a
// hunk without a `+++` header before it, a hunk line that is not ' ', '+', '-' or '\', or a
// diff that ends inside a hunk.
std::vector<ChangedFile> parse_unified_diff(std::string_view text, std::string_view name);

// A path as git writes it in a diff header: C-quoted ("\"a\\tb\"", octal escapes for bytes of
// non-ASCII names) when it starts with '"', else as is. Returns false for a bad quoted form.
bool unquote_git_path(std::string_view quoted, std::string& out);

}  // namespace asyncsweep::change
