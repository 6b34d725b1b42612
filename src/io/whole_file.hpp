// The one way to read a whole file outside the sweep's hot path (which reads through
// search/file_reader into reused buffers): rule packs, baselines, configuration, ignore files.
#pragma once

#include <string>
#include <string_view>

namespace asyncsweep::io {

// A whole file's bytes or why they could not be read, like a std::expected<std::string, error>.
struct WholeFile {
  std::string bytes;     // the whole file, when ok()
  int error_number = 0;  // errno of the failed open or read; 0 when ok()
  std::string error;     // "NAME: strerror(error_number)" when not ok()

  bool ok() const { return error_number == 0; }
  explicit operator bool() const { return ok(); }
};

// Reads `path` to its end (a directory fails with EISDIR). Throws only std::bad_alloc.
WholeFile read_whole_file(const std::string& path);

// Reads an open descriptor to its end (e.g. stdin for "-"), naming it `name` in the error. Does
// not close it.
WholeFile read_all(int fd, std::string_view name);

// The name that read_input() gives standard input in messages.
inline constexpr std::string_view kStdinName = "<stdin>";

// A file named on the command line where "-" means standard input (named kStdinName).
WholeFile read_input(const std::string& path);

}  // namespace asyncsweep::io
