// `[tool.asyncsweep]` in a pyproject.toml (or asyncsweep.toml), like Ruff's `[tool.ruff]`:
// defaults for the command line, which always wins. Which file applies to which path is
// pyconfig/config_tree.hpp's business; `--isolated` skips them all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace asyncsweep::pyconfig {

struct ProjectConfig {
  std::string path;                  // the pyproject.toml or asyncsweep.toml it came from
  std::vector<std::string> select;   // rule ids or categories
  std::vector<std::string> ignore;
  bool preview = false;              // `preview = true`: run the preview rules too, as --preview
  std::vector<std::string> exclude;  // globs (gitignore syntax), as `-g '!GLOB'`
  std::optional<int> min_score;
  std::map<std::string, std::vector<std::string>> per_file_ignores;  // glob → rule ids/categories
};

// Looks in `start_dir` and its ancestors for an asyncsweep.toml (the table's keys at top level)
// or a pyproject.toml with [tool.asyncsweep]; the first directory that has one wins.
// Throws std::runtime_error naming the file (and line:column) when it is malformed.
std::optional<ProjectConfig> find_project_config(const std::string& start_dir);
std::optional<ProjectConfig> read_project_config(const std::string& pyproject_path);

// Does `path` (as displayed) match a per-file-ignores glob? Globs without '/' match the file
// name, others the path relative to the config's directory (fnmatch, `**` allowed).
bool per_file_glob_matches(const std::string& glob, const std::string& path, const std::string& config_dir);

}  // namespace asyncsweep::pyconfig
