// Which walked entries are searched: ripgrep's precedence of -g overrides, ignore files
// (.ignore, .gitignore, .git/info/exclude, core.excludesFile), file types and hidden names.
//
// Threading: a Filter and every IgnoreNode are immutable after construction and shared by
// const reference across walker tasks. A directory's node points at its parent's node, so
// nothing is copied per directory (ripgrep's Arc<IgnoreInner> tree).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::walk {

struct FilterOptions {
  bool hidden = false;         // --hidden: do not skip names starting with '.'
  bool no_ignore = false;      // --no-ignore: read no ignore file of any kind
  bool require_git = true;     // .gitignore/exclude apply only below a directory holding .git
  std::vector<std::string> globs;  // -g/--glob in command-line order; a leading '!' excludes
  std::vector<std::string> types;  // -t/--type names (py, toml, ini, cfg, md, ...); empty: all
  std::string cwd;             // absolute; -g globs and global excludes are relative to it
};

// Why an entry is not searched (or that it is).
enum class Verdict {
  include,
  ignored_by_glob,        // a -g glob excluded it, or globs were given and none matched a file
  ignored_by_ignore_file, // .ignore/.gitignore/exclude/global excludes
  hidden,
  wrong_type,             // a type was selected and the file matches none of its globs
};

// Every ignore file that applies inside one directory, plus a link to the parent directory's.
class IgnoreNode;
using IgnoreNodePtr = std::shared_ptr<const IgnoreNode>;

// What a directory listing revealed, so that ignore files that do not exist are never opened.
struct DirListing {
  bool has_gitignore = false;
  bool has_ignore = false;   // ".ignore"
  bool has_git = false;      // ".git" (directory or file, as for worktrees)
};

class Filter {
 public:
  // Compiles -g globs and type globs, reads the global excludes file from git's config.
  // Throws std::runtime_error with a clear message on a bad glob or an unknown type.
  explicit Filter(FilterOptions options);
  ~Filter();
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;

  // The node for a search root directory (absolute or relative path as given by the user).
  // Loads the ignore files of the root itself and of all its ancestors (ripgrep's `parents`).
  // Problems in ignore files (unreadable, bad pattern) are appended to `errors` as
  // "path:line: message"; the rest of the file still applies.
  IgnoreNodePtr root_node(const std::string& root_dir, std::vector<std::string>& errors) const;

  // The node for `dir_path`, a subdirectory of `parent`'s directory, given its listing.
  IgnoreNodePtr child_node(const IgnoreNodePtr& parent, const std::string& dir_path,
                           const DirListing& listing, std::vector<std::string>& errors) const;

  // Decides for an entry named `name` inside the directory of `dir` (its full path is
  // dir's path + "/" + name). Directories are never rejected for their type.
  Verdict check(const IgnoreNode& dir, std::string_view name, bool is_dir) const;

  // Type check alone (basename globs), for explicitly named files: ripgrep searches those
  // regardless of ignore files and hidden names, but does apply... nothing else. Exposed
  // so callers can describe a type: returns true when no type is selected.
  bool matches_types(std::string_view name) const;

  // Known type names and their globs, for `--type-list`.
  static std::vector<std::pair<std::string, std::vector<std::string>>> type_table();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace asyncsweep::walk
