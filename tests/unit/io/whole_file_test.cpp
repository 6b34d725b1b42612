#include <catch2/catch.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/file_descriptor.hpp"
#include "io/whole_file.hpp"

using namespace asyncsweep;

namespace {
// A fresh directory, removed with what the test left in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "asyncsweep-io-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path_ = templ;
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};
}  // namespace

TEST_CASE("read_whole_file returns every byte of a file") {
  ScratchDir scratch;
  const std::string& dir = scratch.path();
  std::string path = dir + "/pack.toml";
  // Larger than one read, with NULs and no final newline: nothing is cut or translated.
  std::string bytes(200'000, 'a');
  bytes[7] = '\0';
  bytes[150'000] = '\r';
  std::ofstream(path, std::ios::binary) << bytes;
  io::WholeFile file = io::read_whole_file(path);
  REQUIRE(file.ok());
  CHECK(file.bytes == bytes);
  CHECK(file.error.empty());

  std::string empty = dir + "/empty";
  std::ofstream(empty).flush();
  io::WholeFile nothing = io::read_whole_file(empty);
  REQUIRE(nothing);
  CHECK(nothing.bytes.empty());
}

TEST_CASE("read_whole_file says why, naming the file") {
  ScratchDir scratch;
  const std::string& dir = scratch.path();
  io::WholeFile missing = io::read_whole_file(dir + "/nope.toml");
  CHECK_FALSE(missing);
  CHECK(missing.error_number == ENOENT);
  CHECK(missing.error == dir + "/nope.toml: No such file or directory");
  // A directory opens, and fails on the read.
  io::WholeFile directory = io::read_whole_file(dir);
  CHECK_FALSE(directory);
  CHECK(directory.error_number == EISDIR);
  CHECK(directory.error == dir + ": Is a directory");
}

TEST_CASE("read_all reads a descriptor to its end and leaves it open") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "one\ntwo\n", 8) == 8);
  ::close(fds[1]);
  io::WholeFile file = io::read_all(fds[0], "<stdin>");
  REQUIRE(file);
  CHECK(file.bytes == "one\ntwo\n");
  CHECK(::close(fds[0]) == 0);  // still open: read_all did not close it
  io::WholeFile closed = io::read_all(fds[0], "<stdin>");
  CHECK(closed.error_number == EBADF);
  CHECK(closed.error == "<stdin>: Bad file descriptor");
}

TEST_CASE("FileDescriptor::close closes at once and leaves the object empty") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  io::FileDescriptor reader(fds[0]);
  io::FileDescriptor writer(fds[1]);
  CHECK(writer.close() == 0);
  CHECK_FALSE(writer);
  CHECK(writer.close() == 0);  // nothing left to close
  // The write end is closed: the reader sees the end of the pipe.
  char byte = 0;
  CHECK(::read(reader.get(), &byte, 1) == 0);
}

TEST_CASE("read_input reads a file, or standard input for \"-\" named <stdin>") {
  ScratchDir scratch;
  const std::string path = scratch.path() + "/roots.txt";
  std::ofstream(path, std::ios::binary) << "a\nb\n";
  io::WholeFile file = io::read_input(path);
  REQUIRE(file);
  CHECK(file.bytes == "a\nb\n");
  CHECK(io::read_input(scratch.path() + "/nope").error ==
        scratch.path() + "/nope: No such file or directory");

  // Standard input replaced by a pipe for the call, then put back.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "from stdin", 10) == 10);
  ::close(fds[1]);
  io::FileDescriptor saved(::dup(STDIN_FILENO));
  REQUIRE(saved);
  REQUIRE(::dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
  ::close(fds[0]);
  io::WholeFile piped = io::read_input("-");
  ::close(STDIN_FILENO);  // a closed stdin: the error names <stdin>
  io::WholeFile closed = io::read_input("-");
  REQUIRE(::dup2(saved.get(), STDIN_FILENO) == STDIN_FILENO);
  REQUIRE(piped);
  CHECK(piped.bytes == "from stdin");
  CHECK(closed.error == "<stdin>: Bad file descriptor");
}
