#include "search/file_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace asyncsweep::search {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ReadResult read_file(int dir_fd, const char* path, std::uint64_t max_size, std::vector<char>& buffer) {
  ReadResult result;
  // O_NONBLOCK: if the entry was swapped for a FIFO after it was listed, open must not hang.
  FileDescriptor fd(::openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) {
    result.status = ReadStatus::error;
    result.error_number = errno;
    return result;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    result.status = ReadStatus::error;
    result.error_number = errno;
    return result;
  }
  if (!S_ISREG(st.st_mode)) {
    result.status = ReadStatus::not_regular;
    return result;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    result.status = ReadStatus::too_large;
    result.size = static_cast<std::size_t>(st.st_size);
    return result;
  }
  // Room for the whole file plus one byte, so that growth after fstat is noticed.
  std::size_t want = static_cast<std::size_t>(st.st_size) + 1;
  if (buffer.size() < want) buffer.resize(want);
  std::size_t used = 0;
  for (;;) {
    if (used == buffer.size()) {
      if (used > max_size) {
        result.status = ReadStatus::too_large;
        result.size = used;
        return result;
      }
      buffer.resize(buffer.size() * 2);
    }
    ssize_t n = ::read(fd.get(), buffer.data() + used, buffer.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.status = ReadStatus::error;
      result.error_number = errno;
      return result;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    // A regular file returns less than asked only at its end: no second read to learn that.
    if (used < buffer.size()) break;
  }
  if (used > max_size) {
    result.status = ReadStatus::too_large;
    result.size = used;
    return result;
  }
  result.size = used;
  return result;
}

}  // namespace asyncsweep::search
