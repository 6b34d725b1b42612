#include "io/file_descriptor.hpp"

#include <unistd.h>

#include <utility>

namespace asyncsweep::io {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

int FileDescriptor::release() { return std::exchange(fd_, -1); }

}  // namespace asyncsweep::io
