// Reads one file into a caller-owned, reused buffer and hands back its text: binary files
// (a NUL byte) are reported, not returned, and a UTF-8 BOM is not part of the text. Never
// opens anything that is not a regular file (FIFOs would block, devices never end).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::search {

enum class ReadStatus : std::uint8_t { ok, not_regular, too_large, binary, error };

// Where a NUL byte makes a file binary, as in ripgrep: anywhere in a file found by walking
// (its quit mode), only in the first 64 KiB of one named on the command line.
enum class BinaryCheck : std::uint8_t { whole_file, head };

struct ReadResult {
  ReadStatus status = ReadStatus::ok;
  int error_number = 0;  // errno for ReadStatus::error
  std::size_t size = 0;  // bytes read (ok, binary) or file size (too_large)
  // ok: the file's text, in the buffer, without a leading UTF-8 BOM (rg strips it, so `^` and
  // line 1's columns start after it).
  std::string_view text;
};

// A thread's file buffer: anonymous memory mapped once and grown in place (mremap), so that
// growing it neither copies nor zero-fills what it held, and its pages, once touched, serve
// every later file instead of going back to the kernel and being faulted in again. It asks
// for transparent huge pages: a page fault is the costliest thing a read does on some VMs,
// and a sweep's buffers are the largest memory it touches.
class ReadBuffer {
 public:
  ReadBuffer() = default;
  ~ReadBuffer();
  ReadBuffer(ReadBuffer&& other) noexcept;
  ReadBuffer& operator=(ReadBuffer&& other) noexcept;
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  char operator[](std::size_t i) const { return data_[i]; }
  // Makes size() at least `bytes`, keeping the contents. Throws std::bad_alloc.
  void grow_to(std::size_t bytes);

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Reads `path` (relative to `dir_fd` when it is not AT_FDCWD) into buffer[0, size).
// The buffer keeps its capacity between calls. Files growing while read are cut at
// max_size + 1 bytes and reported too_large. The caller has seen a regular file there (d_type
// or stat): a file that fits the buffer is read without an fstat, so one swapped for a FIFO
// with a writer after it was listed would be read as what the writer wrote (an empty FIFO,
// a device or a directory is still found out and reported not_regular).
ReadResult read_file(int dir_fd, const char* path, std::uint64_t max_size, ReadBuffer& buffer,
                     BinaryCheck binary = BinaryCheck::whole_file);
// Reads an open descriptor to its end (standard input: a pipe or a terminal), with the same
// size limit and binary check.
ReadResult read_stream(int fd, std::uint64_t max_size, ReadBuffer& buffer, BinaryCheck binary);

}  // namespace asyncsweep::search
