#include "cli/roots.hpp"

#include <stdexcept>

#include "io/whole_file.hpp"

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
  io::WholeFile file = io::read_input(path);
  if (!file) throw std::invalid_argument("--roots-from " + file.error);
  std::vector<std::string> roots = parse_root_list(file.bytes);
  if (roots.empty()) {
    const std::string_view name = path == "-" ? io::kStdinName : std::string_view(path);
    throw std::invalid_argument("--roots-from " + std::string(name) + ": lists no path");
  }
  return roots;
}

}  // namespace asyncsweep::cli
