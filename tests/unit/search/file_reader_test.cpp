#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "cli/resolve.hpp"
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
  search::ReadBuffer buffer;
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

// rg's rules: a NUL anywhere makes a walked file binary, only one in the first 64 KiB an
// explicitly named one; a UTF-8 BOM is read but is not part of the text.
TEST_CASE("read_file reports binary files and strips a UTF-8 BOM from the text") {
  std::string dir = temp_dir();
  search::ReadBuffer buffer;
  auto read = [&](const std::string& name, const std::string& bytes,
                  search::BinaryCheck check = search::BinaryCheck::whole_file) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return search::read_file(AT_FDCWD, path.c_str(), 1 << 20, buffer, check);
  };
  auto plain = read("plain.py", "x = 1\n");
  REQUIRE(plain.status == search::ReadStatus::ok);
  CHECK(plain.text == "x = 1\n");

  auto bom = read("bom.py", "\xEF\xBB\xBFx = 1\n");
  REQUIRE(bom.status == search::ReadStatus::ok);
  CHECK(bom.size == 9);
  CHECK(bom.text == "x = 1\n");
  CHECK(bom.text.data() == buffer.data() + 3);
  CHECK(read("only_bom.py", "\xEF\xBB\xBF").text.empty());
  // Only a whole BOM at the very start is one.
  CHECK(read("half_bom.py", "\xEF\xBBx").text == "\xEF\xBBx");
  CHECK(read("late_bom.py", "x\xEF\xBB\xBF").text == "x\xEF\xBB\xBF");

  CHECK(read("nul.py", std::string("a\0b", 3)).status == search::ReadStatus::binary);
  CHECK(read("nul_after_bom.py", std::string("\xEF\xBB\xBF\0", 4)).status == search::ReadStatus::binary);
  const std::string late_nul = std::string(64u << 10, 'x') + std::string(1, '\0');
  CHECK(read("late.py", late_nul).status == search::ReadStatus::binary);
  auto named = read("late_named.py", late_nul, search::BinaryCheck::head);
  REQUIRE(named.status == search::ReadStatus::ok);
  CHECK(named.text.size() == late_nul.size());
  const std::string head_nul = std::string((64u << 10) - 1, 'x') + std::string(1, '\0');
  CHECK(read("head_named.py", head_nul, search::BinaryCheck::head).status == search::ReadStatus::binary);
  auto empty = read("empty.py", "", search::BinaryCheck::head);
  REQUIRE(empty.status == search::ReadStatus::ok);
  CHECK(empty.text.empty());
}

// The first read asks for the buffer's size without an fstat; files that fill it (or pass the
// limit within it) take the slower path. Sizes around both edges, with a fresh and a used
// buffer, must all come back whole or be reported too_large.
TEST_CASE("read_file reads files of any size around the first read's edge") {
  std::string dir = temp_dir();
  const std::size_t edge = 256u << 10;
  // Read first into a used buffer: larger than every file below, and full of other bytes.
  const std::string big = dir + "/big.py";
  std::ofstream(big) << std::string(9 * edge, 'z');
  for (std::size_t size : {edge - 1, edge, edge + 1, 3 * edge + 7}) {
    std::string body(size, 'x');
    for (std::size_t i = 0; i < size; i += 4093) body[i] = static_cast<char>('a' + i % 26);
    std::string path = dir + "/f" + std::to_string(size) + ".py";
    std::ofstream(path) << body;
    for (bool fresh : {true, false}) {
      search::ReadBuffer buffer;
      if (!fresh) REQUIRE(search::read_file(AT_FDCWD, big.c_str(), 1 << 30, buffer).size == 9 * edge);
      auto result = search::read_file(AT_FDCWD, path.c_str(), 1 << 30, buffer);
      REQUIRE(result.status == search::ReadStatus::ok);
      REQUIRE(result.size == size);
      CHECK(std::string(buffer.data(), result.size) == body);
      // The limit right below the size: too large, whichever path found it.
      auto limited = search::read_file(AT_FDCWD, path.c_str(), size - 1, buffer);
      CHECK(limited.status == search::ReadStatus::too_large);
      auto exact = search::read_file(AT_FDCWD, path.c_str(), size, buffer);
      CHECK(exact.status == search::ReadStatus::ok);
      CHECK(exact.size == size);
    }
  }
}

TEST_CASE("read_file never blocks on a FIFO") {
  std::string dir = temp_dir();
  std::string fifo = dir + "/pipe.py";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  search::ReadBuffer buffer;
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
