#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "cli/config.hpp"
#include "search/file_reader.hpp"

using namespace asyncsweep;

namespace {
std::string temp_dir() {
  char templ[] = "/tmp/asyncsweep-test-XXXXXX";
  REQUIRE(::mkdtemp(templ) != nullptr);
  return templ;
}
}  // namespace

TEST_CASE("read_file reads whole files into a reused buffer") {
  std::string dir = temp_dir();
  std::string path = dir + "/a.py";
  std::ofstream(path) << "hello\nworld\n";
  std::vector<char> buffer;
  auto result = search::read_file(AT_FDCWD, path.c_str(), 1 << 20, buffer);
  REQUIRE(result.status == search::ReadStatus::ok);
  CHECK(std::string(buffer.data(), result.size) == "hello\nworld\n");
  auto too_large = search::read_file(AT_FDCWD, path.c_str(), 4, buffer);
  CHECK(too_large.status == search::ReadStatus::too_large);
  auto missing = search::read_file(AT_FDCWD, (dir + "/nope").c_str(), 10, buffer);
  CHECK(missing.status == search::ReadStatus::error);
  CHECK(missing.error_number == ENOENT);
  std::string empty = dir + "/empty.py";
  std::ofstream(empty).flush();
  auto nothing = search::read_file(AT_FDCWD, empty.c_str(), 10, buffer);
  CHECK(nothing.status == search::ReadStatus::ok);
  CHECK(nothing.size == 0);
}

TEST_CASE("read_file never blocks on a FIFO") {
  std::string dir = temp_dir();
  std::string fifo = dir + "/pipe.py";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::vector<char> buffer;
  auto result = search::read_file(AT_FDCWD, fifo.c_str(), 1 << 20, buffer);
  CHECK(result.status == search::ReadStatus::not_regular);
}

TEST_CASE("sizes accept K, M and G suffixes") {
  CHECK(cli::parse_size("100") == 100);
  CHECK(cli::parse_size("10K") == 10240);
  CHECK(cli::parse_size("64M") == (64ull << 20));
  CHECK(cli::parse_size("2G") == (2ull << 30));
  CHECK_THROWS(cli::parse_size("12X"));
  CHECK_THROWS(cli::parse_size(""));
  CHECK_THROWS(cli::parse_size("M"));
}
