#include "pyconfig/project_config.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <toml++/toml.h>

#include "io/whole_file.hpp"

namespace asyncsweep::pyconfig {

namespace {

[[noreturn]] void fail(const std::string& path, const toml::node* node, std::string_view message) {
  if (node != nullptr && node->source().begin) {
    throw std::runtime_error(fmt::format("{}:{}:{}: [tool.asyncsweep]: {}", path, node->source().begin.line,
                                         node->source().begin.column, message));
  }
  throw std::runtime_error(fmt::format("{}: [tool.asyncsweep]: {}", path, message));
}

std::vector<std::string> strings(const std::string& path, const toml::table& table, std::string_view key) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) fail(path, node, fmt::format("'{}' must be an array of strings", key));
  for (const auto& element : *array) {
    if (!element.is_string()) fail(path, &element, fmt::format("'{}' must hold only strings", key));
    out.emplace_back(element.as_string()->get());
  }
  return out;
}

}  // namespace

std::optional<ProjectConfig> read_project_config(const std::string& pyproject_path) {
  io::WholeFile file = io::read_whole_file(pyproject_path);
  if (!file) {
    throw std::runtime_error(
        fmt::format("{}: cannot read: {}", pyproject_path, std::strerror(file.error_number)));
  }
  // asyncsweep.toml holds the table's keys at its top level, as ruff.toml does for [tool.ruff].
  const bool own_file = std::filesystem::path(pyproject_path).filename() == "asyncsweep.toml";
  toml::table root;
  try {
    root = toml::parse(file.bytes, pyproject_path);
  } catch (const toml::parse_error& error) {
    // Swept trees hold other projects' pyproject.toml files, test fixtures among them: one that
    // does not even mention our table is not ours to reject.
    if (!own_file && file.bytes.find("tool.asyncsweep") == std::string::npos) return std::nullopt;
    throw std::runtime_error(fmt::format("{}:{}:{}: invalid TOML: {}", pyproject_path, error.source().begin.line,
                                         error.source().begin.column, error.description()));
  }
  const toml::node* node = own_file ? &root : root.at_path("tool.asyncsweep").node();
  if (node == nullptr) return std::nullopt;
  const toml::table* table = node->as_table();
  if (table == nullptr) fail(pyproject_path, node, "must be a table");
  ProjectConfig config;
  config.path = pyproject_path;
  for (const auto& [key, value] : *table) {
    std::string_view k = key.str();
    if (k != "select" && k != "ignore" && k != "preview" && k != "exclude" && k != "min-score" &&
        k != "per-file-ignores") {
      fail(pyproject_path, &value,
           fmt::format("unknown key '{}' (select, ignore, preview, exclude, min-score, per-file-ignores)", k));
    }
  }
  config.select = strings(pyproject_path, *table, "select");
  config.ignore = strings(pyproject_path, *table, "ignore");
  if (const toml::node* preview = table->get("preview")) {
    if (!preview->is_boolean()) fail(pyproject_path, preview, "'preview' must be true or false");
    config.preview = preview->as_boolean()->get();
  }
  config.exclude = strings(pyproject_path, *table, "exclude");
  if (const toml::node* score = table->get("min-score")) {
    if (!score->is_integer() || score->as_integer()->get() < 0 || score->as_integer()->get() > 100) {
      fail(pyproject_path, score, "'min-score' must be an integer from 0 to 100");
    }
    config.min_score = static_cast<int>(score->as_integer()->get());
  }
  if (const toml::node* pfi = table->get("per-file-ignores")) {
    const toml::table* globs = pfi->as_table();
    if (globs == nullptr) fail(pyproject_path, pfi, "'per-file-ignores' must be a table of glob = [ids]");
    for (const auto& [glob, ids] : *globs) {
      std::vector<std::string> list;
      const toml::array* array = ids.as_array();
      if (array == nullptr) fail(pyproject_path, &ids, fmt::format("per-file-ignores '{}' must be an array", glob.str()));
      for (const auto& id : *array) {
        if (!id.is_string()) fail(pyproject_path, &id, "per-file-ignores must hold rule ids");
        list.emplace_back(id.as_string()->get());
      }
      config.per_file_ignores[std::string(glob.str())] = std::move(list);
    }
  }
  return config;
}

std::optional<ProjectConfig> find_project_config(const std::string& start_dir) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start_dir, ec).lexically_normal();
  if (ec) return std::nullopt;
  for (;;) {
    // In one directory asyncsweep.toml wins over pyproject.toml, as ruff.toml does in Ruff.
    for (const char* name : {"asyncsweep.toml", "pyproject.toml"}) {
      std::filesystem::path candidate = dir / name;
      struct stat st {};
      if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        auto config = read_project_config(candidate.string());
        if (config) return config;
      }
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

bool per_file_glob_matches(const std::string& glob, const std::string& path, const std::string& config_dir) {
  if (glob.find('/') == std::string::npos) {
    std::size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  std::string relative = absolute.lexically_relative(config_dir).string();
  // fnmatch without FNM_PATHNAME lets `*` cross '/', which is what `**` means here.
  return ::fnmatch(glob.c_str(), relative.c_str(), 0) == 0;
}

}  // namespace asyncsweep::pyconfig
