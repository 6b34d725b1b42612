#include "cli/project_root.hpp"

#include <filesystem>

#include "pyconfig/project_config.hpp"

namespace asyncsweep::cli {

std::string find_project_root(const std::string& first_path, const std::string& config_path) {
  std::error_code ec;
  std::filesystem::path start =
      std::filesystem::absolute(first_path.empty() ? "." : first_path, ec).lexically_normal();
  if (ec) return first_path;
  if (start.has_filename() && !std::filesystem::is_directory(start, ec))
    start = start.parent_path();
  if (!start.has_filename() && start.has_parent_path() && start != start.root_path()) {
    start = start.parent_path();  // "dir/" normalises to "dir/" with an empty file name
  }
  // ".git" is a directory in a clone and a file in a worktree or submodule: either marks the top.
  for (std::filesystem::path dir = start;; dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.root_path() || !dir.has_parent_path()) break;
  }
  if (!config_path.empty()) {
    return std::filesystem::absolute(config_path, ec).lexically_normal().parent_path().string();
  }
  if (auto config = pyconfig::find_project_config(start.string())) {
    return std::filesystem::path(config->path).parent_path().string();
  }
  return start.string();
}

}  // namespace asyncsweep::cli
