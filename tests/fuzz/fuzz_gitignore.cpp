// libFuzzer target: ignore-file parsing and matching (src/walk/gitignore.hpp, glob.hpp) and
// git config's core.excludesFile. The input is "ignore file contents \0 path \n path ...":
// the first part is parsed as an ignore file (and as a git config), every line of it is also
// compiled as a glob both ways, and each path is matched against all of them. Bad patterns must
// be reported, never thrown past add_line; matching must not crash or blow up (globs with many
// stars are memoised).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "walk/gitignore.hpp"
#include "walk/glob.hpp"

using namespace asyncsweep::walk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  const std::string_view contents = input.substr(0, split);
  const std::string_view paths = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  IgnoreFile file;
  std::vector<std::string> errors;
  file.add_contents(contents, "fuzz/.gitignore", errors);
  for (const auto& e : errors) {
    if (e.rfind("fuzz/.gitignore:", 0) != 0) std::abort();
  }
  (void)parse_excludes_file(contents);

  std::vector<Glob> globs;
  std::size_t start = 0;
  while (start <= contents.size() && globs.size() < 64) {
    std::size_t nl = contents.find('\n', start);
    std::string_view line = contents.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    for (bool literal_separator : {true, false}) {
      try {
        globs.push_back(Glob::compile(line, literal_separator));
      } catch (const GlobError&) {
      }
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }

  start = 0;
  while (start <= paths.size()) {
    std::size_t nl = paths.find('\n', start);
    std::string_view path = paths.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::size_t slash = path.find_last_of('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    for (bool is_dir : {false, true}) (void)file.match(name, path, is_dir);
    for (const auto& glob : globs) (void)glob.matches(path);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return 0;
}
