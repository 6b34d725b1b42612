#include "search/file_reader.hpp"

#include "io/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

namespace asyncsweep::search {

namespace {
// The first read asks for this much at least: one read covers nearly every source file.
constexpr std::size_t kMinReadBuffer = 256u << 10;
constexpr std::size_t kHugePage = 2u << 20;
constexpr std::size_t kBinaryHead = 64u << 10;  // BinaryCheck::head
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
}  // namespace

ReadBuffer::~ReadBuffer() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

ReadBuffer::ReadBuffer(ReadBuffer&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

ReadBuffer& ReadBuffer::operator=(ReadBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void ReadBuffer::grow_to(std::size_t bytes) {
  if (bytes <= size_) return;
  // Whole huge pages: what the kernel would fault in anyway, and no regrowth in small steps.
  std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = data_ == nullptr ? ::mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                             : ::mremap(data_, size_, rounded, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Advice only: without transparent huge pages the buffer works the same with small pages.
  (void)::madvise(p, rounded, MADV_HUGEPAGE);
  data_ = static_cast<char*>(p);
  size_ = rounded;
}

namespace {

// Reads `fd` on from buffer[used] to its end, growing the buffer; too_large past max_size.
// A regular file's short read is its end (`short_read_ends`); a pipe's is not.
ReadResult read_rest(int fd, std::size_t used, std::uint64_t max_size, ReadBuffer& buffer,
                     bool short_read_ends) {
  ReadResult result;
  for (;;) {
    if (used > max_size) {
      result.status = ReadStatus::too_large;
      result.size = used;
      return result;
    }
    if (used == buffer.size()) buffer.grow_to(buffer.size() * 2);
    ssize_t got = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      result.status = ReadStatus::error;
      result.error_number = errno;
      return result;
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
    if (short_read_ends && used < buffer.size()) break;
  }
  if (used > max_size) {
    result.status = ReadStatus::too_large;
    result.size = used;
    return result;
  }
  result.size = used;
  return result;
}

// read_file without the look at the bytes: the whole file into buffer[0, size).
ReadResult read_bytes(int dir_fd, const char* path, std::uint64_t max_size, ReadBuffer& buffer) {
  ReadResult result;
  // O_NONBLOCK: if the entry was swapped for a FIFO after it was listed, open must not hang.
  io::FileDescriptor fd(::openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) {
    result.status = ReadStatus::error;
    result.error_number = errno;
    return result;
  }
  // Most source files fit in the thread's buffer, and a regular file returns less than asked
  // only at its end: one read is the whole file, with no fstat before it. fstat only when the
  // read leaves the question open: the buffer filled (a large file: its size and kind are
  // checked before reading on), nothing came back (an empty file, or a FIFO), or it failed
  // (a directory). Never more than max_size + 1 bytes are read before the size is known.
  if (buffer.size() < kMinReadBuffer) buffer.grow_to(kMinReadBuffer);
  const std::size_t first = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), max_size + 1));
  ssize_t n = 0;
  do {
    n = ::read(fd.get(), buffer.data(), first);
  } while (n < 0 && errno == EINTR);
  if (n > 0 && static_cast<std::size_t>(n) < first) {
    result.size = static_cast<std::size_t>(n);
    return result;
  }
  const int read_errno = n < 0 ? errno : 0;
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
  if (n < 0) {
    result.status = ReadStatus::error;
    result.error_number = read_errno;
    return result;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    result.status = ReadStatus::too_large;
    result.size = static_cast<std::size_t>(st.st_size);
    return result;
  }
  if (n == 0) return result;  // an empty file
  // Room for the whole file plus one byte, so that growth after fstat is noticed.
  std::size_t used = static_cast<std::size_t>(n);
  std::size_t want = static_cast<std::size_t>(st.st_size) + 1;
  if (buffer.size() < want) buffer.grow_to(want);
  return read_rest(fd.get(), used, max_size, buffer, true);
}

// The bytes read become text: binary when a NUL is within the checked part, else without a BOM.
ReadResult as_text(ReadResult result, const ReadBuffer& buffer, BinaryCheck binary) {
  if (result.status != ReadStatus::ok) return result;
  std::string_view text(buffer.data(), result.size);
  std::size_t sniff = binary == BinaryCheck::head ? std::min(text.size(), kBinaryHead) : text.size();
  if (sniff > 0 && std::memchr(text.data(), '\0', sniff) != nullptr) {
    result.status = ReadStatus::binary;
    return result;
  }
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  result.text = text;
  return result;
}

}  // namespace

ReadResult read_file(int dir_fd, const char* path, std::uint64_t max_size, ReadBuffer& buffer,
                     BinaryCheck binary) {
  return as_text(read_bytes(dir_fd, path, max_size, buffer), buffer, binary);
}

ReadResult read_stream(int fd, std::uint64_t max_size, ReadBuffer& buffer, BinaryCheck binary) {
  if (buffer.size() < kMinReadBuffer) buffer.grow_to(kMinReadBuffer);
  return as_text(read_rest(fd, 0, max_size, buffer, false), buffer, binary);
}

}  // namespace asyncsweep::search
