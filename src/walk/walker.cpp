#include "walk/walker.hpp"

#include "io/file_descriptor.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for_each.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

namespace asyncsweep::walk {

std::string_view to_string(IgnoreReason reason) {
  switch (reason) {
    case IgnoreReason::ignore_file: return "ignore_file";
    case IgnoreReason::hidden: return "hidden";
    case IgnoreReason::glob: return "glob";
    case IgnoreReason::type: return "type";
    case IgnoreReason::symlink: return "symlink";
    case IgnoreReason::count_: break;
  }
  return "unknown";
}

namespace {

// The chain of directories above a work item, for -L loop detection. Shared, immutable.
struct Ancestry {
  dev_t dev;
  ino_t ino;
  std::shared_ptr<const Ancestry> parent;
};

// A directory's descriptor, shared by the work items of its files and closed after the last.
class DirectoryFd {
 public:
  DirectoryFd(io::FileDescriptor fd, std::atomic<int>& held) : fd_(std::move(fd)), held_(held) {}
  ~DirectoryFd() {
    fd_ = io::FileDescriptor();  // closed before it stops counting as held
    held_.fetch_sub(1, std::memory_order_relaxed);
  }
  DirectoryFd(const DirectoryFd&) = delete;
  DirectoryFd& operator=(const DirectoryFd&) = delete;
  int get() const { return fd_.get(); }

 private:
  io::FileDescriptor fd_;
  std::atomic<int>& held_;
};

// Files wait in the work queue with their directory's descriptor; past this many held at once
// they are opened by path instead, far below any descriptor limit.
constexpr int kMaxHeldDirectories = 128;

struct WorkItem {
  std::string path;
  std::shared_ptr<const DirectoryFd> directory;  // files only; may be null
  IgnoreNodePtr node;  // for a directory: its parent's node (null for a root); for a file: its dir's
  std::shared_ptr<const Ancestry> ancestry;
  bool is_dir = false;
  bool is_root = false;
  bool regular = true;
  Verdict verdict = Verdict::include;
  std::uint32_t name_offset = 0;  // where the basename starts in `path`
  std::uint32_t relative_offset = 0;  // where the path below the root starts in `path`
};

std::string join(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out += dir;
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string errno_message(int error_number) { return std::generic_category().message(error_number); }

struct DirectoryEntry {
  std::string name;
  unsigned char type;
};

// Lists a directory with getdents64 on its own descriptor: opendir/readdir would spend an
// fstat and two fcntl calls setting up a DIR, and a dup to hand the descriptor to the files.
// Returns 0, or the errno of a failed read (the entries read before it are kept).
int list_directory(int fd, std::vector<DirectoryEntry>& entries, DirListing& listing) {
  alignas(alignof(struct dirent64)) char buffer[32 << 10];
  for (;;) {
    ssize_t n = ::getdents64(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return 0;
    for (ssize_t offset = 0; offset < n;) {
      const auto* de = reinterpret_cast<const struct dirent64*>(buffer + offset);
      offset += de->d_reclen;
      const char* name = de->d_name;
      if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
      if (std::strcmp(name, ".gitignore") == 0) listing.has_gitignore = true;
      else if (std::strcmp(name, ".ignore") == 0) listing.has_ignore = true;
      else if (std::strcmp(name, ".git") == 0) listing.has_git = true;
      entries.push_back({name, de->d_type});
    }
  }
}

class Walk {
 public:
  Walk(const Filter& filter, const WalkOptions& options, Visitor& visitor)
      : filter_(filter), options_(options), visitor_(visitor) {}

  void run(std::vector<WorkItem> roots) {
    tbb::parallel_for_each(roots.begin(), roots.end(),
                           [this](WorkItem& item, tbb::feeder<WorkItem>& feeder) {
                             process(item, feeder);
                           });
  }

 private:
  void process(WorkItem& item, tbb::feeder<WorkItem>& feeder) {
    if (!item.is_dir) {
      FileEntry entry{item.path, std::string_view(item.path).substr(item.name_offset), item.verdict,
                      false, item.regular, std::string_view(item.path).substr(item.relative_offset)};
      if (item.directory) entry.directory_fd = item.directory->get();
      visitor_.file(entry);
      item.directory.reset();
      return;
    }
    read_directory(item, feeder);
  }

  void read_directory(WorkItem& item, tbb::feeder<WorkItem>& feeder) {
    const std::string& fs_path = item.path.empty() ? dot_ : item.path;
    io::FileDescriptor directory(::open(fs_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!directory) {
      visitor_.error(fs_path, errno_message(errno));
      return;
    }
    const int fd = directory.get();
    std::shared_ptr<const Ancestry> ancestry = item.ancestry;
    if (options_.follow_links) {
      struct stat st {};
      if (::fstat(fd, &st) == 0) {
        for (const Ancestry* a = ancestry.get(); a != nullptr; a = a->parent.get()) {
          if (a->dev == st.st_dev && a->ino == st.st_ino) {
            visitor_.error(fs_path, "file system loop found: this directory is its own ancestor");
            return;
          }
        }
        ancestry = std::make_shared<const Ancestry>(Ancestry{st.st_dev, st.st_ino, ancestry});
      }
    }

    std::vector<DirectoryEntry> entries;
    DirListing listing;
    if (int error = list_directory(fd, entries, listing); error != 0) visitor_.error(fs_path, errno_message(error));

    std::vector<std::string> problems;
    IgnoreNodePtr node = item.is_root ? filter_.root_node(fs_path, problems)
                                      : filter_.child_node(item.node, fs_path, listing, problems);
    for (const auto& problem : problems) visitor_.error(fs_path, problem);

    const int dfd = fd;  // open until the end of this listing, and then while a file holds `handle`
    std::shared_ptr<const DirectoryFd> handle;
    bool handle_tried = false;
    for (auto& entry : entries) {
      unsigned char type = entry.type;
      if (type == DT_UNKNOWN) type = stat_type(dfd, entry.name.c_str(), false);
      bool via_link = false;
      if (type == DT_LNK) {
        if (!options_.follow_links) {
          visitor_.ignored(IgnoreReason::symlink, false);
          continue;
        }
        via_link = true;
        type = stat_type(dfd, entry.name.c_str(), true);
        if (type == DT_UNKNOWN) {
          // A dangling link: rg reports it when following links.
          visitor_.error(join(item.path, entry.name), "broken symbolic link");
          continue;
        }
      }
      (void)via_link;
      bool is_dir = type == DT_DIR;
      if (options_.scope && !in_scope(join(item.path, entry.name), is_dir)) continue;
      Verdict verdict = filter_.check(*node, entry.name, is_dir);
      if (is_dir) {
        if (verdict != Verdict::include) {
          visitor_.ignored(reason_of(verdict), true);
          continue;
        }
        WorkItem child;
        child.path = join(item.path, entry.name);
        child.relative_offset = relative_offset(item, child.path, entry.name);
        child.node = node;
        child.ancestry = ancestry;
        child.is_dir = true;
        feeder.add(std::move(child));
        continue;
      }
      if (verdict == Verdict::ignored_by_glob || verdict == Verdict::wrong_type) {
        visitor_.ignored(reason_of(verdict), false);
        continue;
      }
      if (!handle_tried) {
        handle_tried = true;
        handle = hold_directory(directory);
      }
      WorkItem child;
      child.directory = handle;
      child.path = join(item.path, entry.name);
      child.name_offset = static_cast<std::uint32_t>(child.path.size() - entry.name.size());
      child.relative_offset = relative_offset(item, child.path, entry.name);
      child.node = node;
      child.verdict = verdict;
      child.regular = type == DT_REG;
      feeder.add(std::move(child));
    }
  }

  bool in_scope(const std::string& path, bool is_dir) const {
    return is_dir ? options_.scope->directories.contains(path) : options_.scope->files.contains(path);
  }

  // The directory's descriptor, handed to its files, or null when too many are held: those
  // files are then opened by path, and the descriptor is closed when the listing is done.
  std::shared_ptr<const DirectoryFd> hold_directory(io::FileDescriptor& directory) {
    if (held_.fetch_add(1, std::memory_order_relaxed) >= kMaxHeldDirectories) {
      held_.fetch_sub(1, std::memory_order_relaxed);
      return nullptr;
    }
    return std::make_shared<const DirectoryFd>(std::move(directory), held_);
  }

  // A root's children start the path below the root; deeper entries keep their parent's start.
  static std::uint32_t relative_offset(const WorkItem& parent, const std::string& path, const std::string& name) {
    return parent.is_root ? static_cast<std::uint32_t>(path.size() - name.size()) : parent.relative_offset;
  }

  static unsigned char stat_type(int dfd, const char* name, bool follow) {
    struct stat st {};
    if (::fstatat(dfd, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0) return DT_UNKNOWN;
    if (S_ISDIR(st.st_mode)) return DT_DIR;
    if (S_ISREG(st.st_mode)) return DT_REG;
    if (S_ISLNK(st.st_mode)) return DT_LNK;
    return DT_FIFO;  // any other non-regular kind: never opened
  }

  static IgnoreReason reason_of(Verdict verdict) {
    switch (verdict) {
      case Verdict::ignored_by_glob: return IgnoreReason::glob;
      case Verdict::hidden: return IgnoreReason::hidden;
      case Verdict::wrong_type: return IgnoreReason::type;
      default: return IgnoreReason::ignore_file;
    }
  }

  const Filter& filter_;
  const WalkOptions& options_;
  Visitor& visitor_;
  const std::string dot_ = ".";
  std::atomic<int> held_{0};  // DirectoryFd objects alive
};

}  // namespace

void walk(const std::vector<std::string>& paths, const Filter& filter, const WalkOptions& options,
          Visitor& visitor) {
  std::vector<WorkItem> roots;
  std::vector<std::string> explicit_files;
  if (paths.empty()) {
    WorkItem root;
    root.is_dir = true;
    root.is_root = true;
    roots.push_back(std::move(root));
  }
  for (const auto& path : paths) {
    struct stat st {};
    // Command-line arguments are always followed, as rg does.
    if (::stat(path.c_str(), &st) != 0) {
      int error_number = errno;
      struct stat lst {};
      if (::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        visitor.error(path, "broken symbolic link");
      } else {
        visitor.error(path, errno_message(error_number));
      }
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      WorkItem root;
      root.path = path;
      root.is_dir = true;
      root.is_root = true;
      roots.push_back(std::move(root));
    } else {
      explicit_files.push_back(path);
    }
  }
  // Explicit files are searched whatever the ignore rules say; do them first, in order.
  for (const auto& path : explicit_files) {
    if (options.scope && !options.scope->files.contains(path)) continue;  // not changed
    struct stat st {};
    bool regular = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    std::size_t slash = path.find_last_of('/');
    std::string_view name = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    visitor.file(FileEntry{path, name, Verdict::include, true, regular, path});
  }
  if (roots.empty()) return;
  int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  Walk walker(filter, options, visitor);
  arena.execute([&] { walker.run(std::move(roots)); });
}

}  // namespace asyncsweep::walk
