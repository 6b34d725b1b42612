#include "change/scope.hpp"

#include <filesystem>
#include <system_error>

namespace asyncsweep::change {

namespace {

namespace fs = std::filesystem;

// The walker's join (walk/walker.cpp): no "./" for the default root, no doubled '/'.
std::string join(const std::string& root, std::string_view relative) {
  if (root.empty()) return std::string(relative);
  return root.back() == '/' ? root + std::string(relative) : root + "/" + std::string(relative);
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path real = fs::canonical(path.empty() ? "." : path, ec);
  return ec ? std::string() : real.string();
}

}  // namespace

SweepScope scope_for_roots(const std::string& base, const std::vector<ChangedFile>& files,
                           const std::vector<std::string>& roots) {
  auto walk_scope = std::make_shared<walk::PathScope>();
  auto lines = std::make_shared<ChangedLines>();
  const std::string real_base = canonical(base);
  std::vector<std::string> absolute;
  for (const auto& file : files) {
    absolute.push_back(
        (fs::path(real_base.empty() ? base : real_base) / file.path).lexically_normal().string());
  }
  const std::vector<std::string> all_roots = roots.empty() ? std::vector<std::string>{""} : roots;
  for (const auto& root : all_roots) {
    // A root that does not exist is the walker's to report.
    const std::string real_root = canonical(root);
    if (real_root.empty()) continue;
    const std::string prefix = real_root == "/" ? real_root : real_root + "/";
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string& path = absolute[i];
      std::string displayed;
      if (path == real_root) {
        displayed = root;  // a file named on the command line
      } else if (path.starts_with(prefix)) {
        const std::string_view relative = std::string_view(path).substr(prefix.size());
        displayed = join(root, relative);
        for (std::size_t slash = relative.find('/'); slash != std::string_view::npos;
             slash = relative.find('/', slash + 1)) {
          walk_scope->directories.insert(join(root, relative.substr(0, slash)));
        }
      } else {
        continue;
      }
      walk_scope->files.insert(displayed);
      (*lines)[displayed].add(files[i].lines);
    }
  }
  return SweepScope{std::move(walk_scope), std::move(lines)};
}

}  // namespace asyncsweep::change
