// Finds the pytest configuration that governs a file, the way pytest picks its inifile:
// from the file's directory upwards, the first directory holding pytest.ini (or
// .pytest.ini), a pyproject.toml with [tool.pytest.ini_options], a tox.ini with [pytest] or a
// setup.cfg with [tool:pytest] wins, in that order within one directory. Every project root of
// a monorepo thus governs its own tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace asyncsweep::pyconfig {

struct PytestConfig {
  std::string path;            // the config file
  std::string asyncio_mode;    // "auto", "strict", ...; empty when the file does not set it
  std::uint32_t mode_line = 0; // 1-based line of the asyncio_mode setting
  bool auto_mode() const { return asyncio_mode == "auto"; }
};

// Reads one config file; nullopt when it is not a pytest config (no pytest section).
// Unreadable or malformed files are not configs for pytest either; `problem` says why.
std::optional<PytestConfig> read_pytest_config(const std::string& path, std::string* problem = nullptr);

// Caches per directory; not thread-safe (used after the parallel sweep).
class PytestConfigResolver {
 public:
  // The config governing `file_path` (relative paths are taken from the current directory).
  const PytestConfig* governing(const std::string& file_path);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  const PytestConfig* for_directory(const std::string& dir);
  std::map<std::string, std::optional<PytestConfig>> cache_;
  std::vector<std::string> problems_;
};

}  // namespace asyncsweep::pyconfig
