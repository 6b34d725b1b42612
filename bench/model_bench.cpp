// Micro-benchmark of the Python line model: MB/s of the reference (scalar) builder and of the
// fast one on the .py files under the given roots, read into memory first, so that only
// LineModel building is timed. Best of --runs passes (the machine is shared: the best run is
// the one least disturbed). --check compares the two models on every file instead, which is
// the whole-tree form of the differential test (tests/unit/python/python_structure_test.cpp
// runs a sample of it).
//
//   asyncsweep_model_bench [--runs N] [--only reference|fast] [--check] ROOT...
//
// --only times one builder (for `perf stat` / `perf record` of one of them).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "python/model.hpp"
#include "python/model_compare.hpp"

namespace fs = std::filesystem;
namespace py = asyncsweep::python;

namespace {

struct File {
  std::string path;
  std::string text;
};

std::vector<File> read_tree(const std::vector<std::string>& roots) {
  std::vector<File> files;
  for (const auto& root : roots) {
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(root, fs::directory_options::skip_permission_denied, ec),
         end;
         it != end; it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec) || it->path().extension() != ".py") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      files.push_back({it->path().string(), std::move(text).str()});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const File& a, const File& b) { return a.path < b.path; });
  return files;
}

template <typename Build>
double best_mb_per_s(const std::vector<File>& files, std::size_t bytes, int runs, Build build) {
  double best = 0;
  for (int r = 0; r < runs; ++r) {
    std::size_t sink = 0;  // keeps the models observable so the builds are not optimized away
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& f : files) sink += build(f.text).scopes().size();
    std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    if (sink == 0) std::fputs("", stderr);
    best = std::max(best, static_cast<double>(bytes) / 1e6 / dt.count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool check = false;
  std::string_view only;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--only" && i + 1 < argc)
      only = argv[++i];
    else if (a == "--check")
      check = true;
    else
      roots.emplace_back(a);
  }
  if (roots.empty()) {
    std::fputs(
        "usage: asyncsweep_model_bench [--runs N] [--only reference|fast] [--check] ROOT...\n",
        stderr);
    return 2;
  }
  const auto files = read_tree(roots);
  std::size_t bytes = 0;
  for (const auto& f : files) bytes += f.text.size();
  std::printf("%zu files, %.1f MB\n", files.size(), static_cast<double>(bytes) / 1e6);
  if (check) {
    std::size_t differ = 0;
    for (const auto& f : files) {
      auto d = py::first_difference(py::LineModel::build_reference(f.text),
                                    py::LineModel::build(f.text));
      if (!d.empty() && ++differ <= 20) std::printf("%s: %s\n", f.path.c_str(), d.c_str());
    }
    std::printf("%zu of %zu files differ\n", differ, files.size());
    return differ == 0 ? 0 : 1;
  }
  if (only != "fast")
    std::printf("reference %.0f MB/s\n",
                best_mb_per_s(files, bytes, runs, py::LineModel::build_reference));
  if (only != "reference")
    std::printf("fast %.0f MB/s\n", best_mb_per_s(files, bytes, runs, py::LineModel::build));
  std::printf("(best of %d runs, one thread)\n", runs);
  return 0;
}
