// Running a helper program (git) and collecting what it prints: posix_spawnp with an argument
// vector, so no shell ever parses a path or a ref.
#pragma once

#include <string>
#include <vector>

namespace asyncsweep::change {

struct ProcessResult {
  int status = -1;          // the exit code; -1 when it could not start or died of a signal
  std::string out;          // everything it wrote to stdout
  std::string err;          // and to stderr
  std::string spawn_error;  // why it could not start ("No such file or directory"); empty if it ran
};

// Runs argv[0] (looked up on PATH) with standard input from /dev/null; waits for it.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace asyncsweep::change
