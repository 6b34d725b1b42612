// One parsed ignore file (.gitignore, .ignore, .git/info/exclude, core.excludesFile) or the
// list of -g globs, with ripgrep 13's line syntax (crates/ignore/src/gitignore.rs `add_line`):
//   `#` starts a comment line; trailing whitespace is trimmed unless the line ends in "\ ";
//   `\!` and `\#` escape a leading `!`/`#`; `!` negates (whitelists); a leading `/` anchors;
//   a trailing `/` restricts to directories; a pattern with a `/` elsewhere is anchored to the
//   file's directory, one without matches the basename at any depth; `a/**` means `a/**/*`.
// Within one file the last matching line wins.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "walk/glob.hpp"

namespace asyncsweep::walk {

enum class IgnoreMatch : std::uint8_t { none, ignore, whitelist };

class IgnoreFile {
 public:
  // Adds one line. Returns an error message (globset's wording, prefixed with
  // "error parsing glob '<line>': ") for a bad pattern, which is then skipped.
  std::optional<std::string> add_line(std::string_view line);

  // Adds every line of `contents` (a leading UTF-8 BOM is skipped; LF or CRLF), appending
  // "<display_path>:<line>: <message>" to `errors` for bad lines.
  void add_contents(std::string_view contents, const std::string& display_path,
                    std::vector<std::string>& errors);

  // Reads and parses a file. A missing file yields nullptr silently; any other read error is
  // appended as "<display_path>: <message>". Returns nullptr too for a file without patterns.
  static std::shared_ptr<const IgnoreFile> load(const std::string& path,
                                                const std::string& display_path,
                                                std::vector<std::string>& errors);

  bool empty() const { return patterns_.empty(); }
  std::size_t size() const { return patterns_.size(); }
  // True when some pattern must see the path relative to the file's directory (not just the
  // basename), so the caller only builds that path when needed.
  bool needs_path() const { return needs_path_; }
  // Number of non-negated patterns (for -g: a file matching none of them is excluded).
  std::size_t num_positive() const { return num_positive_; }

  // `name` is the entry's basename; `rel_path` its path relative to the file's directory
  // (only read when needs_path()).
  IgnoreMatch match(std::string_view name, std::string_view rel_path, bool is_dir) const;

 private:
  struct Pattern {
    Glob glob;
    bool negated = false;
    bool dir_only = false;
    bool basename_only = false;
  };
  std::vector<Pattern> patterns_;
  bool needs_path_ = false;
  std::size_t num_positive_ = 0;
};

// The environment variables that locate git's global config, as the program started with
// them (cli/ reads the environment once; the walk never does). Empty: unset.
struct GitEnvironment {
  std::string home;               // $HOME
  std::string xdg_config_home;    // $XDG_CONFIG_HOME
  std::string git_config_global;  // $GIT_CONFIG_GLOBAL
};

// The path of git's global excludes file as ripgrep and git find it: core.excludesFile from
// $GIT_CONFIG_GLOBAL if set, else from ~/.gitconfig, else $XDG_CONFIG_HOME/git/config (or
// ~/.config/git/config); the default is $XDG_CONFIG_HOME/git/ignore (or ~/.config/git/ignore).
// A relative value is taken relative to `cwd`; "~/" is expanded. Empty when there is no home.
std::string global_excludes_path(const std::string& cwd, const GitEnvironment& env);

// core.excludesFile from one git config file's text (last assignment wins), if any.
std::optional<std::string> parse_excludes_file(std::string_view config_text);

}  // namespace asyncsweep::walk
