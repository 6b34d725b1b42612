// A scratch directory under /tmp for tests that need real files (pytest configs, sources),
// removed with everything in it when the test ends.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace asyncsweep::test_support {

struct TempTree {
  std::filesystem::path root;
  TempTree() {
    char templ[] = "/tmp/asyncsweep-test-XXXXXX";
    root = ::mkdtemp(templ);
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  // Writes `text` to `rel` under the root, creating directories; returns the file's path.
  std::string write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = root / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

}  // namespace asyncsweep::test_support
