// Files that change under the sweep (issue 7): a file listed by the walker and deleted or
// truncated before it is read, a file whose size stat() reports wrongly in either direction,
// and a file rewritten concurrently while it is read. Nothing here may crash, hang or read
// past what the file holds. The end-to-end counterpart is tests/e2e/test_bad_input.py (Races).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "search/file_reader.hpp"
#include "walk/filter.hpp"
#include "walk/walker.hpp"

using namespace asyncsweep;

namespace {

struct TempDir {
  TempDir() {
    char templ[] = "/tmp/asyncsweep-robust-XXXXXX";
    REQUIRE(::mkdtemp(templ) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Reads every file the walker hands over, as the sweep does, after the first one has deleted
// all of its siblings but one and truncated that one. One thread: the walker lists a whole
// directory before it hands over any of its entries, so every sibling is read after the change.
class ChangingVisitor final : public walk::Visitor {
 public:
  explicit ChangingVisitor(std::string dir) : dir_(std::move(dir)) {}

  void file(const walk::FileEntry& entry) override {
    if (first_.empty()) {
      first_ = entry.path;
      for (const auto& e : std::filesystem::directory_iterator(dir_)) {
        std::string p = e.path().string();
        if (p == first_) continue;
        if (truncated_.empty()) {
          truncated_ = p;
          REQUIRE(::truncate(p.c_str(), 0) == 0);
        } else {
          REQUIRE(::unlink(p.c_str()) == 0);
          deleted_.insert(p);
        }
      }
    }
    search::ReadResult r = search::read_file(AT_FDCWD, entry.path.c_str(), 1 << 20, buffer_);
    results_[entry.path] = r;
  }
  void ignored(walk::IgnoreReason, bool) override {}
  void error(const std::string& path, const std::string& message) override { errors_.push_back(path + ": " + message); }

  std::string dir_, first_, truncated_;
  std::set<std::string> deleted_;
  std::map<std::string, search::ReadResult> results_;
  std::vector<std::string> errors_;
  search::ReadBuffer buffer_;
};

}  // namespace

TEST_CASE("files deleted or truncated between listing and reading are errors or empty, never crashes",
          "[robustness][walk]") {
  TempDir tmp;
  for (int i = 0; i < 20; ++i) {
    std::ofstream(tmp.path + "/m" + std::to_string(i) + ".py") << "import asyncio\nasyncio.get_event_loop()\n";
  }
  walk::FilterOptions options;
  options.no_ignore = true;
  options.cwd = tmp.path;
  walk::Filter filter(options);
  walk::WalkOptions walk_options;
  walk_options.threads = 1;
  ChangingVisitor visitor(tmp.path);
  walk::walk({tmp.path}, filter, walk_options, visitor);

  CHECK(visitor.errors_.empty());
  REQUIRE(visitor.results_.size() == 20);  // every listed file is handed over once
  REQUIRE(visitor.deleted_.size() == 18);
  for (const auto& [path, result] : visitor.results_) {
    INFO(path);
    if (path == visitor.first_) {
      CHECK(result.status == search::ReadStatus::ok);
      CHECK(result.size == 40);
    } else if (path == visitor.truncated_) {
      CHECK(result.status == search::ReadStatus::ok);
      CHECK(result.size == 0);
    } else {
      CHECK(visitor.deleted_.count(path) == 1);
      CHECK(result.status == search::ReadStatus::error);
      CHECK(result.error_number == ENOENT);
    }
  }
}

TEST_CASE("read_file trusts read(), not st_size, in both directions", "[robustness][search]") {
  search::ReadBuffer buffer;
  // /proc files report st_size 0 and have content: the file "grew" after fstat.
  {
    auto r = search::read_file(AT_FDCWD, "/proc/self/status", 1 << 20, buffer);
    REQUIRE(r.status == search::ReadStatus::ok);
    CHECK(r.size > 100);
    CHECK(std::string(buffer.data(), 5) == "Name:");
  }
  // sysfs attributes report st_size 4096 and hold a few bytes: the file "shrank" after fstat.
  const std::string sys_file = "/sys/kernel/mm/transparent_hugepage/enabled";
  struct stat st {};
  if (::stat(sys_file.c_str(), &st) == 0 && st.st_size == 4096) {
    std::string expected = slurp(sys_file);
    auto r = search::read_file(AT_FDCWD, sys_file.c_str(), 1 << 20, buffer);
    REQUIRE(r.status == search::ReadStatus::ok);
    CHECK(r.size == expected.size());
    CHECK(std::string(buffer.data(), r.size) == expected);
  }
  // A growth past the limit while reading is too_large, not a buffer overrun.
  {
    auto r = search::read_file(AT_FDCWD, "/proc/self/status", 10, buffer);
    CHECK(r.status == search::ReadStatus::too_large);
  }
  // Directories and devices are never read.
  CHECK(search::read_file(AT_FDCWD, "/tmp", 1 << 20, buffer).status == search::ReadStatus::not_regular);
  CHECK(search::read_file(AT_FDCWD, "/dev/zero", 1 << 20, buffer).status == search::ReadStatus::not_regular);
}

TEST_CASE("read_file while another thread truncates, grows and rewrites the file", "[robustness][search]") {
  TempDir tmp;
  const std::string path = tmp.path + "/churn.py";
  const std::string line = "asyncio.get_event_loop()\n";
  std::string body;
  while (body.size() < 200000) body += line;
  std::ofstream(path) << body;

  std::atomic<bool> stop{false};
  // Opened here, not in the thread: a writer that cannot open would leave nothing to race.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::thread writer([&] {
    unsigned step = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      switch (step++ % 4) {
        case 0: (void)::ftruncate(fd, 0); break;
        case 1: (void)::ftruncate(fd, 300000); break;  // NUL-filled hole
        case 2: (void)::pwrite(fd, body.data(), body.size(), 0); break;
        default: (void)::ftruncate(fd, 1000); break;
      }
    }
    ::close(fd);
  });
  search::ReadBuffer buffer;
  const std::uint64_t max_size = 250000;
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    auto r = search::read_file(AT_FDCWD, path.c_str(), max_size, buffer);
    // binary: the read caught the NULs of the hole.
    REQUIRE((r.status == search::ReadStatus::ok || r.status == search::ReadStatus::too_large ||
             r.status == search::ReadStatus::binary));
    if (r.status != search::ReadStatus::too_large) {
      ok += r.status == search::ReadStatus::ok;
      REQUIRE(r.size <= max_size);
      REQUIRE(r.size <= buffer.size());
      // Every byte is one the writer ever put there: text or the NULs of a hole.
      for (std::size_t b = 0; b < r.size; b += 997) {
        char c = buffer[b];
        REQUIRE((c == '\0' || line.find(c) != std::string::npos));
      }
    }
  }
  stop = true;
  writer.join();
  CHECK(ok > 0);
}

namespace {

// Reads each file twice, through the walker's directory descriptor and by path.
class DescriptorVisitor final : public walk::Visitor {
 public:
  void file(const walk::FileEntry& entry) override {
    search::ReadBuffer by_path_buffer, by_fd_buffer;
    search::ReadResult by_path =
        search::read_file(AT_FDCWD, entry.path.c_str(), 1 << 20, by_path_buffer);
    bool held = entry.directory_fd != walk::FileEntry::kNoDirectory;
    bool same = true;
    if (held) {
      search::ReadResult by_fd =
          search::read_file(entry.directory_fd, entry.name.data(), 1 << 20, by_fd_buffer);
      same = by_fd.status == search::ReadStatus::ok && by_path.status == search::ReadStatus::ok &&
             std::string_view(by_fd_buffer.data(), by_fd.size) ==
                 std::string_view(by_path_buffer.data(), by_path.size);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ++(held ? with_fd_ : by_path_only_);
    if (!same) mismatched_.push_back(entry.path);
    seen_.insert(entry.path);
  }
  void ignored(walk::IgnoreReason, bool) override {}
  void error(const std::string& path, const std::string& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    errors_.push_back(path + ": " + message);
  }

  std::mutex mutex_;
  int with_fd_ = 0, by_path_only_ = 0;
  std::set<std::string> seen_;
  std::vector<std::string> mismatched_, errors_;
};

}  // namespace

TEST_CASE("files are opened relative to their directory's descriptor, and a deep tree loses none",
          "[robustness][walk]") {
  // A chain 300 directories deep, two files on each level whose contents name the level: the
  // walker may hold more directories open than its limit, and must fall back to paths then.
  TempDir tmp;
  std::string dir = tmp.path;
  std::set<std::string> expected;
  for (int level = 0; level < 300; ++level) {
    for (const char* name : {"a.py", "b.py"}) {
      std::ofstream(dir + "/" + name) << "level = " << level << "  # " << name << "\n";
      expected.insert(dir + "/" + name);
    }
    dir += "/d";
    std::filesystem::create_directory(dir);
  }
  walk::FilterOptions options;
  options.no_ignore = true;
  options.cwd = tmp.path;
  walk::Filter filter(options);
  for (int threads : {1, 2}) {
    INFO("threads " << threads);
    walk::WalkOptions walk_options;
    walk_options.threads = threads;
    DescriptorVisitor visitor;
    walk::walk({tmp.path}, filter, walk_options, visitor);
    CHECK(visitor.errors_.empty());
    CHECK(visitor.mismatched_.empty());
    CHECK(visitor.seen_ == expected);
    CHECK(visitor.with_fd_ + visitor.by_path_only_ == 600);
    CHECK(visitor.with_fd_ > 0);
  }
}
