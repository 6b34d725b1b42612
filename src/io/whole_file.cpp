#include "io/whole_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/file_descriptor.hpp"

namespace asyncsweep::io {

namespace {

WholeFile failure(std::string_view name, int error_number) {
  WholeFile file;
  file.error_number = error_number;
  file.error = std::string(name) + ": " + std::strerror(error_number);
  return file;
}

}  // namespace

WholeFile read_all(int fd, std::string_view name) {
  WholeFile file;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failure(name, errno);
    if (n == 0) return file;
    file.bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

WholeFile read_whole_file(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) return failure(path, errno);
  return read_all(fd.get(), path);
}

WholeFile read_input(const std::string& path) {
  return path == "-" ? read_all(STDIN_FILENO, kStdinName) : read_whole_file(path);
}

}  // namespace asyncsweep::io
