#include "pyconfig/pytest_config.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <toml++/toml.h>

#include "io/whole_file.hpp"

namespace asyncsweep::pyconfig {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

// INI as Python's configparser reads pytest's files: [section], `key = value` or `key: value`,
// # and ; comments. Returns whether `section` exists, and the key's value and line.
bool ini_lookup(const std::string& text, std::string_view section, std::string_view key, std::string& value,
                std::uint32_t& line_number) {
  bool found_section = false;
  bool in_section = false;
  std::uint32_t number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string line = trim(std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    ++number;
    if (!line.empty() && line[0] == '[') {
      std::size_t close = line.find(']');
      std::string name = trim(std::string_view(line).substr(1, close == std::string::npos ? std::string::npos : close - 1));
      in_section = name == section;
      found_section = found_section || in_section;
    } else if (in_section && !line.empty() && line[0] != '#' && line[0] != ';') {
      std::size_t sep = line.find_first_of("=:");
      if (sep != std::string::npos && trim(std::string_view(line).substr(0, sep)) == key) {
        value = trim(std::string_view(line).substr(sep + 1));
        line_number = number;
      }
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return found_section;
}

std::string basename(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<PytestConfig> read_pytest_config(const std::string& path, std::string* problem) {
  io::WholeFile file = io::read_whole_file(path);
  if (!file) {
    if (problem != nullptr) *problem = fmt::format("{}: cannot read", path);
    return std::nullopt;
  }
  const std::string& text = file.bytes;
  std::string name = basename(path);
  PytestConfig config;
  config.path = path;
  if (name == "pyproject.toml") {
    toml::table table;
    try {
      table = toml::parse(text, path);
    } catch (const toml::parse_error& error) {
      if (problem != nullptr) {
        *problem = fmt::format("{}:{}:{}: invalid TOML: {}", path, error.source().begin.line,
                               error.source().begin.column, error.description());
      }
      return std::nullopt;
    }
    const toml::node* options = table.at_path("tool.pytest.ini_options").node();
    if (options == nullptr || !options->is_table()) return std::nullopt;
    const toml::node* mode = options->as_table()->get("asyncio_mode");
    if (mode != nullptr && mode->is_string()) {
      config.asyncio_mode = mode->as_string()->get();
      config.mode_line = mode->source().begin.line;
    }
    return config;
  }
  std::string_view section = name == "setup.cfg" ? "tool:pytest" : "pytest";
  std::string value;
  bool has_section = ini_lookup(text, section, "asyncio_mode", value, config.mode_line);
  // pytest.ini is pytest's even without a [pytest] section; the others need theirs.
  if (!has_section && name != "pytest.ini" && name != ".pytest.ini") return std::nullopt;
  config.asyncio_mode = value;
  return config;
}

const PytestConfig* PytestConfigResolver::for_directory(const std::string& dir) {
  auto cached = cache_.find(dir);
  if (cached != cache_.end()) return cached->second ? &*cached->second : nullptr;
  std::optional<PytestConfig> found;
  for (const char* name : {"pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"}) {
    std::string candidate = dir == "/" ? std::string("/") + name : dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::string problem;
    found = read_pytest_config(candidate, &problem);
    if (!problem.empty()) problems_.push_back(problem);
    if (found) break;
  }
  if (!found) {
    std::string parent = std::filesystem::path(dir).parent_path().string();
    if (!parent.empty() && parent != dir) {
      const PytestConfig* inherited = for_directory(parent);
      if (inherited != nullptr) found = *inherited;
    }
  }
  auto [it, inserted] = cache_.emplace(dir, std::move(found));
  (void)inserted;
  return it->second ? &*it->second : nullptr;
}

const PytestConfig* PytestConfigResolver::governing(const std::string& file_path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(file_path, ec).lexically_normal();
  if (ec) return nullptr;
  return for_directory(absolute.parent_path().string());
}

}  // namespace asyncsweep::pyconfig
