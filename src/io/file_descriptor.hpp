// RAII for a POSIX file descriptor, shared by the walker (directories) and the reader (files).
#pragma once

#include <string_view>

namespace asyncsweep::io {

// Move-only file descriptor; the destructor closes and never throws.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // Hands the descriptor on: this object no longer closes it.
  int release();
  // Closes it now and says how that went: 0, or close's errno (for a file just written, a
  // late write error such as a full disk). Empty afterwards, whatever the outcome.
  int close();

 private:
  int fd_ = -1;
};

// Writes all of `data`, again after a short write or EINTR; false with errno set when a write
// fails (EPIPE: the reader went away).
bool write_all(int fd, std::string_view data);

}  // namespace asyncsweep::io
