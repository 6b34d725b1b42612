// The Python the tests compare against (the one the e2e tests run under, named by
// tests/CMakeLists.txt) and the trees it provides, asked of that
// interpreter rather than assumed: a missing interpreter, module or directory fails the test
// that needs it, naming what to install, instead of skipping it. scripts/test installs them.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace asyncsweep::test_support {

// The interpreter tests/CMakeLists.txt names (ASYNCSWEEP_TEST_PYTHON); ASYNCSWEEP_PYTHON in the
// environment overrides it.
inline std::string test_python() {
  const char* python = std::getenv("ASYNCSWEEP_PYTHON");
  if (python != nullptr && *python != '\0') return python;
  return ASYNCSWEEP_TEST_PYTHON;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

// Runs `command` under /bin/sh; returns its stdout, `status` its exit status (-1: killed).
inline std::string run_command(const std::string& command, int& status) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int raw = ::pclose(pipe);
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return output;
}

// The interpreter's answer to a one-line program, trailing newline removed. Fails the test,
// naming `needed` (what provides the answer), when the program does not succeed.
inline std::string python_says(const std::string& program, const std::string& needed) {
  REQUIRE(std::filesystem::exists(test_python()));
  int status = 0;
  std::string out = run_command(test_python() + " -c " + shell_quote(program) + " 2>&1", status);
  if (status != 0) FAIL(test_python() << " cannot provide " << needed << ":\n" << out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A directory the tests read, failing the test (naming the Debian package) when it is absent.
inline std::string require_dir(const std::string& path, const std::string& package) {
  if (!std::filesystem::is_directory(path)) FAIL(path << " is missing: install " << package);
  return path;
}

// The standard library of the tests' Python, e.g. /usr/lib/python3.11.
inline std::string python_stdlib() {
  return require_dir(python_says("import sysconfig; print(sysconfig.get_paths()['stdlib'])",
                                 "its standard library path"),
                     "python3");
}

// The directory of an installed package, e.g. python_package_dir("trio", "python3-trio").
inline std::string python_package_dir(const std::string& module, const std::string& package) {
  return require_dir(
      python_says("import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('" +
                      module + "').origin))",
                  "the module " + module + " (install " + package + ")"),
      package);
}

}  // namespace asyncsweep::test_support
