#include "fix/write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include "fix/edits.hpp"
#include "io/file_descriptor.hpp"
#include "io/whole_file.hpp"

namespace asyncsweep::fix {

namespace {

std::optional<std::string> real_path(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return std::nullopt;
  std::string out(resolved);
  std::free(resolved);
  return out;
}

std::pair<std::string, std::string> split_path(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// The roots' real places: a directory covers what lies below it, a file only itself (its
// directory resolved, its own name kept: a root that is a link is refused when written).
struct Roots {
  std::vector<std::string> directories;
  std::vector<std::string> files;

  explicit Roots(const std::vector<std::string>& given) {
    for (const auto& root : given.empty() ? std::vector<std::string>{"."} : given) {
      struct stat st {};
      if (::stat(root.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (auto real = real_path(root)) directories.push_back(*real);
      } else {
        auto [dir, name] = split_path(root);
        if (auto real = real_path(dir)) files.push_back(join(*real, name));
      }
    }
  }
  bool contain(const std::string& real_file) const {
    for (const auto& dir : directories) {
      if (dir == "/" ||
          (real_file.size() > dir.size() && real_file.compare(0, dir.size(), dir) == 0 &&
           real_file[dir.size()] == '/'))
        return true;
    }
    for (const auto& file : files) {
      if (file == real_file) return true;
    }
    return false;
  }
};

std::string errno_text(int error) { return std::strerror(error); }

// Creates the temporary file beside `name` (O_EXCL: never an existing file or link).
io::FileDescriptor create_temporary(int dir_fd, const std::string& name, std::string& temp_name) {
  for (unsigned attempt = 0; attempt < 100; ++attempt) {
    temp_name =
        "." + name + ".asyncsweep-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
    io::FileDescriptor fd(::openat(dir_fd, temp_name.c_str(),
                                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return io::FileDescriptor();
}

// Why --fix would refuse the file, found without opening it for writing; "" if it would not.
// --diff asks this, so that it never offers a patch --fix would refuse (the write itself checks
// again, race-free, through the directory's descriptor and O_NOFOLLOW).
std::string refusal(const FilePlan& plan, const Roots& roots) {
  auto [dir, name] = split_path(plan.path);
  const std::optional<std::string> real_dir = real_path(dir);
  if (!real_dir) return "cannot resolve its directory: " + errno_text(errno) + ": not fixed";
  if (!roots.contain(join(*real_dir, name)))
    return "lies outside the paths swept (through a symbolic link): not fixed";
  struct stat st {};
  if (::lstat(join(*real_dir, name).c_str(), &st) != 0) return "cannot open: " + errno_text(errno) + ": not fixed";
  if (S_ISLNK(st.st_mode)) return "is a symbolic link: not fixed";
  if (!S_ISREG(st.st_mode)) return "is not a regular file: not fixed";
  return "";
}

// Writes one file's fixes; an error message, or "" when written.
std::string write_plan(const FilePlan& plan, const Roots& roots, const WriteOptions& options) {
  auto [dir, name] = split_path(plan.path);
  const std::optional<std::string> real_dir = real_path(dir);
  if (!real_dir) return "cannot resolve its directory: " + errno_text(errno) + ": not fixed";
  if (!roots.contain(join(*real_dir, name)))
    return "lies outside the paths swept (through a symbolic link): not fixed";
  io::FileDescriptor dir_fd(::open(real_dir->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) return "cannot open its directory: " + errno_text(errno) + ": not fixed";
  if (options.pause_before_write) {
    const std::string note = "asyncsweep: test hook: about to re-read " + plan.path + "\n";
    io::write_all(STDERR_FILENO, note);
    char byte = 0;
    while (::read(STDIN_FILENO, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  io::FileDescriptor fd(
      ::openat(dir_fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    return errno == ELOOP ? "is a symbolic link: not fixed"
                          : "cannot open: " + errno_text(errno) + ": not fixed";
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return "is not a regular file: not fixed";
  io::WholeFile now = io::read_all(fd.get(), plan.path);
  if (!now) return "cannot read: " + errno_text(now.error_number) + ": not fixed";
  if (now.bytes != plan.original) return "changed since it was read: not fixed";
  fd.close();

  const std::string fixed = apply_edits(plan.original, plan.edits);
  std::string temp_name;
  io::FileDescriptor temp = create_temporary(dir_fd.get(), name, temp_name);
  if (!temp)
    return "cannot create a temporary file beside it: " + errno_text(errno) + ": not fixed";
  auto fail = [&](const std::string& what) {
    const std::string message = what + ": " + errno_text(errno) + ": not fixed";
    ::unlinkat(dir_fd.get(), temp_name.c_str(), 0);
    return message;
  };
  if (::fchmod(temp.get(), st.st_mode & 07777) != 0) return fail("cannot keep its mode");
  if (::fchown(temp.get(), st.st_uid, st.st_gid) != 0 && errno != EPERM)
    return fail("cannot keep its owner");
  if (!io::write_all(temp.get(), fixed)) return fail("cannot write");
  if (::fsync(temp.get()) != 0) return fail("cannot sync");
  if (const int error = temp.close(); error != 0) {
    errno = error;
    return fail("cannot write");
  }
  if (::renameat(dir_fd.get(), temp_name.c_str(), dir_fd.get(), name.c_str()) != 0)
    return fail("cannot replace it");
  ::fsync(dir_fd.get());  // the rename itself durable; a failure here loses nothing written
  return "";
}

}  // namespace

WriteOutcome write_fixes(const std::vector<FilePlan>& plans, const WriteOptions& options) {
  const Roots roots(options.roots);
  WriteOutcome outcome;
  for (const auto& plan : plans) {
    std::string error = write_plan(plan, roots, options);
    if (!error.empty()) {
      outcome.errors.push_back(SweepError{plan.path, "", std::move(error)});
      continue;
    }
    outcome.fixed += plan.edits.size();
    outcome.fixed_paths.push_back(plan.path);
  }
  return outcome;
}

std::vector<SweepError> drop_refused(std::vector<FilePlan>& plans, const std::vector<std::string>& swept_roots) {
  const Roots roots(swept_roots);
  std::vector<SweepError> errors;
  std::erase_if(plans, [&](const FilePlan& plan) {
    std::string why = refusal(plan, roots);
    if (why.empty()) return false;
    errors.push_back(SweepError{plan.path, "", std::move(why)});
    return true;
  });
  return errors;
}

}  // namespace asyncsweep::fix
