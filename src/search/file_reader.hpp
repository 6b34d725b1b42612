// Reads one file into a caller-owned, reused buffer. Never opens anything that is not a
// regular file (FIFOs would block, devices never end).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace asyncsweep::search {

enum class ReadStatus : std::uint8_t { ok, not_regular, too_large, error };

struct ReadResult {
  ReadStatus status = ReadStatus::ok;
  int error_number = 0;    // errno for ReadStatus::error
  std::size_t size = 0;    // bytes read (ok) or file size (too_large)
};

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

 private:
  int fd_ = -1;
};

// Reads `path` (relative to `dir_fd` when it is not AT_FDCWD) into buffer[0, size).
// The buffer keeps its capacity between calls. Files growing while read are cut at
// max_size + 1 bytes and reported too_large. The caller has seen a regular file there (d_type
// or stat): a file that fits the buffer is read without an fstat, so one swapped for a FIFO
// with a writer after it was listed would be read as what the writer wrote (an empty FIFO,
// a device or a directory is still found out and reported not_regular).
ReadResult read_file(int dir_fd, const char* path, std::uint64_t max_size, std::vector<char>& buffer);

}  // namespace asyncsweep::search
