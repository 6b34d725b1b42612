#include "pyconfig/config_tree.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace asyncsweep::pyconfig {

namespace {

bool path_exists(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool is_regular(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string absolute_normal(const std::string& path) {
  std::error_code ec;
  std::filesystem::path out =
      std::filesystem::absolute(path.empty() ? "." : path, ec).lexically_normal();
  std::string text = out.string();
  if (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

ConfigTree::ConfigTree(const std::string& fixed_path, Check check) : check_(std::move(check)) {
  if (fixed_path.empty()) return;
  if (!is_regular(fixed_path)) throw std::runtime_error(fixed_path + ": --config: no such file");
  ConfigLookup lookup = load(fixed_path);
  if (!lookup.error.empty()) throw std::runtime_error(lookup.error);
  if (!lookup.config) {
    throw std::runtime_error(fixed_path + ": --config: no [tool.asyncsweep] table");
  }
  fixed_ = std::move(lookup);
}

ConfigLookup ConfigTree::load(const std::string& config_path) const {
  ConfigLookup out;
  try {
    std::optional<ProjectConfig> config = read_project_config(config_path);
    if (!config) return out;
    if (std::string problem = check_ ? check_(*config) : ""; !problem.empty()) {
      out.error = config_path + ": [tool.asyncsweep]: " + problem;
      return out;
    }
    auto loaded = std::make_shared<LoadedConfig>();
    loaded->dir = std::filesystem::path(absolute_normal(config_path)).parent_path().string();
    for (const auto& glob : config->exclude) {
      if (auto error = loaded->exclude.add_line(glob)) {
        out.error = config_path + ": [tool.asyncsweep]: exclude: " + *error;
        return out;
      }
    }
    loaded->config = std::move(*config);
    out.config = std::move(loaded);
  } catch (const std::runtime_error& error) {
    out.error = error.what();  // read_project_config names the file
  }
  return out;
}

ConfigLookup ConfigTree::lookup_absolute(const std::string& dir) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_directory_.find(dir); it != by_directory_.end()) return it->second;
  }
  // asyncsweep.toml wins over pyproject.toml in one directory, as ruff.toml does in Ruff; a
  // pyproject.toml without the table does not count. The search ends at a git work tree's top.
  ConfigLookup found;
  bool decided = false;
  for (const char* name : {"asyncsweep.toml", "pyproject.toml"}) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    if (!is_regular(candidate)) continue;
    found = load(candidate.string());
    if (found.config || !found.error.empty()) {
      decided = true;
      break;
    }
  }
  if (!decided) {
    const std::filesystem::path here(dir);
    const bool top =
        path_exists(here / ".git") || here == here.root_path() || !here.has_parent_path();
    if (!top) found = lookup_absolute(here.parent_path().string());
  }
  std::lock_guard lock(mutex_);
  return by_directory_.emplace(dir, std::move(found)).first->second;
}

ConfigLookup ConfigTree::for_directory(const std::string& dir) const {
  if (fixed_) return *fixed_;
  return lookup_absolute(absolute_normal(dir));
}

ConfigLookup ConfigTree::for_file(const std::string& path) const {
  if (fixed_) return *fixed_;
  return lookup_absolute(std::filesystem::path(absolute_normal(path)).parent_path().string());
}

bool ConfigTree::excludes(const LoadedConfig& config, const std::string& path) {
  if (config.exclude.empty()) return false;
  const std::string absolute = absolute_normal(path);
  if (absolute.size() <= config.dir.size() ||
      absolute.compare(0, config.dir.size(), config.dir) != 0) {
    return false;  // --config FILE names a file elsewhere: its globs match below its directory
  }
  const std::string relative = absolute.substr(config.dir == "/" ? 1 : config.dir.size() + 1);
  // Like a .gitignore: an excluded directory excludes everything below it.
  for (std::size_t slash = relative.find('/'); slash != std::string::npos;
       slash = relative.find('/', slash + 1)) {
    const std::string_view dir_path(relative.data(), slash);
    const std::string_view name = dir_path.substr(
        dir_path.rfind('/') == std::string_view::npos ? 0 : dir_path.rfind('/') + 1);
    if (config.exclude.match(name, dir_path, true) == walk::IgnoreMatch::ignore) return true;
  }
  const std::size_t last = relative.rfind('/');
  const std::string_view name =
      std::string_view(relative).substr(last == std::string::npos ? 0 : last + 1);
  return config.exclude.match(name, relative, false) == walk::IgnoreMatch::ignore;
}

}  // namespace asyncsweep::pyconfig
