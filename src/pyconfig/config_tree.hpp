// Hierarchical configuration, as Ruff finds it: each file follows the nearest asyncsweep.toml
// or pyproject.toml with [tool.asyncsweep] in its directory or above, stopping at the top of
// its git work tree; `--config FILE` names one for every file instead. So `asyncsweep repo`
// from anywhere reads what `cd repo && asyncsweep .` reads, and a nested project keeps its own.
//
// Threading: shared by const reference across walker tasks; the per-directory cache is the one
// mutable part, behind a mutex (one lookup per file, one stat walk per new directory).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "pyconfig/project_config.hpp"
#include "walk/gitignore.hpp"

namespace asyncsweep::pyconfig {

// A configuration read, with its exclude globs compiled (gitignore syntax, relative to its
// directory).
struct LoadedConfig {
  ProjectConfig config;
  std::string dir;  // absolute directory of config.path
  walk::IgnoreFile exclude;
};

// What a file's lookup found: `config` null when no file applies; `error` (naming the file)
// when the nearest one is malformed, which the caller reports like a file it could not read.
struct ConfigLookup {
  std::shared_ptr<const LoadedConfig> config;
  std::string error;
};

class ConfigTree {
 public:
  // `check` validates a configuration's values that only the caller knows (rule ids); it
  // returns an error message, or "" when fine.
  using Check = std::function<std::string(const ProjectConfig&)>;

  // `fixed_path` non-empty: --config FILE, read now (throws std::runtime_error naming it).
  ConfigTree(const std::string& fixed_path, Check check);

  // The configuration for a file (as displayed: relative to the process's directory or absolute).
  ConfigLookup for_file(const std::string& path) const;
  // The same for a directory.
  ConfigLookup for_directory(const std::string& dir) const;

  // Whether `config`'s exclude globs exclude `path` (a file) or one of its directories below
  // the configuration's own.
  static bool excludes(const LoadedConfig& config, const std::string& path);

 private:
  ConfigLookup load(const std::string& config_path) const;
  ConfigLookup lookup_absolute(const std::string& dir) const;

  Check check_;
  std::optional<ConfigLookup> fixed_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, ConfigLookup> by_directory_;
};

}  // namespace asyncsweep::pyconfig
