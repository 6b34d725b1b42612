// libFuzzer target: ignore-file parsing and matching (src/walk/gitignore.hpp, glob.hpp) and
// git config's core.excludesFile. The input is "ignore file contents \0 path \n path ...":
// the first part is parsed as an ignore file (and as a git config), every line of it is also
// compiled as a glob both ways, and each path is matched against all of them. Bad patterns must
// be reported, never thrown past add_line; matching must not crash or blow up (globs with many
// stars are memoised). Properties checked on every glob and path (abort on violation):
//  - a line compiles with literal_separator exactly when it compiles without it (the option
//    changes what `*` and `?` match, not the syntax);
//  - a match with literal_separator implies a match without it (`*`/`?` only gain '/');
//  - matches() agrees with the matcher run without its inline first/last byte shortcuts;
//  - a line without any glob syntax matches exactly the path equal to it.
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

  struct Compiled {
    std::string_view line;
    Glob with_separator;  // literal_separator = true
    Glob without_separator;
  };
  std::vector<Compiled> globs;
  std::size_t start = 0;
  while (start <= contents.size() && globs.size() < 32) {
    std::size_t nl = contents.find('\n', start);
    std::string_view line = contents.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    int compiled = 0;
    Compiled c{line, {}, {}};
    try {
      c.with_separator = Glob::compile(line, true);
      ++compiled;
    } catch (const GlobError&) {
    }
    try {
      c.without_separator = Glob::compile(line, false);
      ++compiled;
    } catch (const GlobError&) {
    }
    if (compiled == 1) std::abort();  // the option changed whether the syntax is valid
    if (compiled == 2) globs.push_back(std::move(c));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }

  auto plain = [](std::string_view line) {
    return line.find_first_of("*?[]{},\\") == std::string_view::npos;
  };
  start = 0;
  while (start <= paths.size()) {
    std::size_t nl = paths.find('\n', start);
    std::string_view path = paths.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::size_t slash = path.find_last_of('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    for (bool is_dir : {false, true}) (void)file.match(name, path, is_dir);
    for (const auto& glob : globs) {
      const bool with = glob.with_separator.matches(path);
      const bool without = glob.without_separator.matches(path);
      if (with && !without) std::abort();
      std::uint64_t steps = 0;
      if (glob.with_separator.matches_counting_steps(path, steps) != with) std::abort();
      if (glob.without_separator.matches_counting_steps(path, steps) != without) std::abort();
      if (plain(glob.line) && (with != (path == glob.line) || without != (path == glob.line)))
        std::abort();
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return 0;
}
