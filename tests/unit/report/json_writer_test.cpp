// The hand-written JSON Lines writer must print exactly what nlohmann::json prints.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "report/json_writer.hpp"
#include "report/output.hpp"

using namespace asyncsweep;

namespace {

std::string nlohmann_line(const nlohmann::json& object) {
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// nlohmann's strict dump throws on invalid UTF-8: the oracle for the writer's valid_utf8.
bool nlohmann_accepts(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

// RFC 4648 section 4, written out bit by bit (checked against the RFC's vectors below).
std::string reference_base64(const std::string& bytes) {
  static const char* const kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bits;
  for (unsigned char c : bytes) {
    for (int b = 7; b >= 0; --b) bits.push_back(static_cast<char>('0' + ((c >> b) & 1)));
  }
  while (bits.size() % 6 != 0) bits.push_back('0');
  std::string out;
  for (std::size_t i = 0; i < bits.size(); i += 6)
    out.push_back(kAlphabet[std::stoi(bits.substr(i, 6), nullptr, 2)]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

}  // namespace

TEST_CASE("json strings are escaped as nlohmann escapes them") {
  std::vector<std::string> samples = {"",          "plain",           "quote \" and \\ backslash", "\b\f\n\r\t",
                                      "\x01\x1f\x7f", "caf\xC3\xA9 \xE2\x9C\x93", "bad \xFF byte",
                                      "cut \xE2\x9C", std::string("nul \0 inside", 13), "/slash/"};
  for (const auto& s : samples) {
    std::string ours;
    report::append_json_string(ours, s);
    CHECK(ours == nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

TEST_CASE("the base64 reference encodes RFC 4648's test vectors") {
  CHECK(reference_base64("") == "");
  CHECK(reference_base64("f") == "Zg==");
  CHECK(reference_base64("fo") == "Zm8=");
  CHECK(reference_base64("foo") == "Zm9v");
  CHECK(reference_base64("foob") == "Zm9vYg==");
  CHECK(reference_base64("fooba") == "Zm9vYmE=");
  CHECK(reference_base64("foobar") == "Zm9vYmFy");
  CHECK(reference_base64("\xFF\xFE") == "//4=");
}

TEST_CASE("json records print like nlohmann objects: key order, numbers, arrays, base64 siblings") {
  std::mt19937 rng(3);
  const std::string alphabet = "ab\"\\\n\t\x01\xC3\xA9\xFF ";
  auto random_text = [&] {
    std::string s;
    for (std::size_t i = 0, n = rng() % 12; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  report::JsonRecord record;
  for (int trial = 0; trial < 500; ++trial) {
    nlohmann::json expected;
    std::string path = random_text(), lines = random_text();
    std::vector<std::string> reasons;
    for (std::size_t i = 0, n = rng() % 3; i < n; ++i) reasons.push_back(random_text());
    auto number = static_cast<std::int64_t>(rng() % 100000) - 50;
    record.string("type", "finding");
    record.text("path", path);
    record.number("line", number);
    record.text("lines", lines);
    record.strings("reasons", reasons);
    expected["type"] = "finding";
    expected["path"] = path;
    if (!nlohmann_accepts(path)) expected["path_base64"] = reference_base64(path);
    expected["line"] = number;
    expected["lines"] = lines;
    if (!nlohmann_accepts(lines)) expected["lines_base64"] = reference_base64(lines);
    expected["reasons"] = reasons;
    std::string ours;
    record.append_line_to(ours);
    REQUIRE(ours == nlohmann_line(expected));
  }
}

TEST_CASE(
    "json strings longer than a vector step escape like nlohmann wherever the special byte is") {
  // The writer skips 16 plain ASCII bytes at a time: put escapes, UTF-8 and invalid bytes at
  // every offset around and across those steps.
  const std::vector<std::string> specials = {"\"",   "\\",       "\n",           "\x01",
                                             "\x7f", "\xC3\xA9", "\xE2\x9C\x93", "\xF0\x9F\x98\x80",
                                             "\xFF", "\xE2\x9C", "\xED\xA0\x80"};
  for (const auto& special : specials) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string s = std::string(at, 'a') + special + std::string(37 - at % 7, 'z') + special;
      INFO("special at " << at << ": " << s);
      std::string ours;
      report::append_json_string(ours, s);
      REQUIRE(ours ==
              nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  std::mt19937 rng(11);
  const std::string alphabet =
      "abcdefghijklmnopqrstuvwxyz      ()=.,\"\\\n\x01\xC3\xA9\xE2\x9C\x93\xFF";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string s;
    for (std::size_t i = 0, n = rng() % 90; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    std::string ours;
    report::append_json_string(ours, s);
    REQUIRE(ours ==
            nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

TEST_CASE(
    "a json record whose fields come in key order prints like nlohmann, duplicates included") {
  report::JsonRecord record;
  record.string("a", "first");
  record.number("b", 7);
  record.text("c", "bad \xFF");
  record.string("d", "old");
  record.string("d", "new");  // a later field of the same key wins
  nlohmann::json expected;
  expected["a"] = "first";
  expected["b"] = 7;
  expected["c"] = "bad \xFF";
  expected["c_base64"] = report::base64("bad \xFF");
  expected["d"] = "new";
  std::string ours;
  record.append_line_to(ours);
  CHECK(ours == nlohmann_line(expected));
}
