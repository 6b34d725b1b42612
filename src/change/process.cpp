#include "change/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "io/file_descriptor.hpp"

extern char** environ;

namespace asyncsweep::change {

namespace {

struct Pipe {
  io::FileDescriptor read;
  io::FileDescriptor write;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = io::FileDescriptor(fds[0]);
    write = io::FileDescriptor(fds[1]);
    return true;
  }
};

// posix_spawn's file actions, freed on every path out.
class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Reads both pipes to their ends together: a child blocked on a full stderr pipe would never
// finish its stdout.
void drain(io::FileDescriptor& out_fd, io::FileDescriptor& err_fd, std::string& out,
           std::string& err) {
  char buffer[64 << 10];
  pollfd fds[2] = {{out_fd.get(), POLLIN, 0}, {err_fd.get(), POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_count = 2;
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_count;
      } else {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv) {
  ProcessResult result;
  Pipe out;
  Pipe err;
  if (!out.open() || !err.open()) {
    result.spawn_error = std::generic_category().message(errno);
    return result;
  }
  FileActions actions;
  ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(actions.get(), out.write.get(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(actions.get(), err.write.get(), STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (int error = ::posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
      error != 0) {
    result.spawn_error = std::generic_category().message(error);
    return result;
  }
  out.write = io::FileDescriptor();  // the child holds the write ends now: EOF when it exits
  err.write = io::FileDescriptor();
  drain(out.read, err.read, result.out, result.err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return result;
  }
  if (WIFEXITED(status)) result.status = WEXITSTATUS(status);
  return result;
}

}  // namespace asyncsweep::change
