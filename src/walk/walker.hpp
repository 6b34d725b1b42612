// The parallel directory walker: depth-first, work-stealing (oneTBB parallel_for_each with
// a feeder, whose per-thread task pools are LIFO for the owner and stolen FIFO by others,
// the shape of ripgrep's WalkParallel). Every directory entry becomes a task; files are
// handed to the visitor on the thread that takes them.
#pragma once

#include <cstdint>
#include <string>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "walk/filter.hpp"

namespace asyncsweep::walk {

// Files to visit, and no others (--changed-since, --changed-lines): by path as the walker
// displays it, with every directory on the way to one, so that the walk enters nothing else.
// Ignore files, globs, types and hidden names still apply to the files it holds.
struct PathScope {
  std::unordered_set<std::string> files;
  std::unordered_set<std::string> directories;
};

struct WalkOptions {
  bool follow_links = false;  // -L
  int threads = 0;            // 0: all cores
  std::shared_ptr<const PathScope> scope;  // null: every file
};

// Why the walker did not hand an entry to the visitor (rg does not list these either).
enum class IgnoreReason : std::uint8_t {
  ignore_file,  // .gitignore, .ignore, exclude, global excludes
  hidden,
  glob,         // -g
  type,         // -t
  symlink,      // a link met while walking without -L
  count_,
};
std::string_view to_string(IgnoreReason reason);

struct FileEntry {
  const std::string& path;  // as displayed; also valid to open relative to the cwd
  std::string_view name;    // basename
  Verdict verdict;          // include, hidden or ignored_by_ignore_file: the visitor decides
  bool explicit_arg;        // named on the command line: always searched
  bool regular;             // false for FIFOs, sockets and devices: never open these
  // The path below the root it was found under ("pkg/mod.py" for root "repo/" or "."); for a
  // file named on the command line, the path as given. What --shard hashes.
  std::string_view relative;
  // An open descriptor of the file's directory, valid during the visit: opening `name`
  // relative to it spares the kernel a lookup of every directory above. kNoDirectory: open
  // `path` (command-line files, or when the walker holds too many directories open).
  int directory_fd = kNoDirectory;
  static constexpr int kNoDirectory = -1;
};

// Called concurrently from the walker's threads.
class Visitor {
 public:
  virtual ~Visitor() = default;
  virtual void file(const FileEntry& entry) = 0;
  virtual void ignored(IgnoreReason reason, bool is_dir) = 0;
  // A problem that makes the sweep incomplete (exit code 2): unreadable directory,
  // nonexistent argument, symlink loop, bad ignore file line.
  virtual void error(const std::string& path, const std::string& message) = 0;
};

// Walks `paths` (an empty list means the current directory, displayed without "./").
void walk(const std::vector<std::string>& paths, const Filter& filter, const WalkOptions& options,
          Visitor& visitor);

}  // namespace asyncsweep::walk
