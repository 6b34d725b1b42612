#include "cli/roots.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace asyncsweep::cli {

std::vector<std::string> parse_root_list(std::string_view text) {
  std::vector<std::string> roots;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line.front() == '#') continue;
    roots.emplace_back(line);
  }
  return roots;
}

std::vector<std::string> read_root_list(const std::string& path) {
  const std::string name = path == "-" ? "<stdin>" : path;
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::invalid_argument("--roots-from " + name + ": " + std::strerror(errno));
  std::string text;
  char buffer[1 << 14];
  int error_number = 0;
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_number = errno;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  if (error_number != 0)
    throw std::invalid_argument("--roots-from " + name + ": " + std::strerror(error_number));
  std::vector<std::string> roots = parse_root_list(text);
  if (roots.empty()) throw std::invalid_argument("--roots-from " + name + ": lists no path");
  return roots;
}

}  // namespace asyncsweep::cli
