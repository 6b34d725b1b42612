#include <catch2/catch.hpp>
#include <string>

#include "regex/pcre.hpp"

using namespace asyncsweep::regex;

TEST_CASE("compile reports the error offset") {
  CompileError error;
  CHECK_FALSE(Regex::compile("a[b", {}, &error));
  CHECK(error.offset == 3);
  CHECK(!error.message.empty());
}

TEST_CASE("matching uses start_offset on the whole subject, so lookbehind and \\b see context") {
  auto re = Regex::compile("(?<=x)y", {}, nullptr);
  REQUIRE(re);
  MatchScratch scratch;
  std::string subject = "xy";
  MatchResult m = scratch.find(*re, subject, 1);
  REQUIRE(m.status == MatchStatus::match);
  CHECK(m.start == 1);
  auto word = Regex::compile("\\bopen\\(", {}, nullptr);
  REQUIRE(word);
  CHECK(scratch.find(*word, "reopen(", 2).status == MatchStatus::no_match);
}

TEST_CASE(
    "find_starting_by keeps only matches that start by the limit, and leaves no limit behind") {
  CompileOptions options;
  options.offset_limit = true;
  auto re = Regex::compile("ab+", options, nullptr);
  REQUIRE(re);
  REQUIRE(re->offset_limit());
  MatchScratch scratch;
  const std::string subject = "xxabbb ab";
  MatchResult m = scratch.find_starting_by(*re, subject, 0, subject.size(), 2);
  REQUIRE(m.status == MatchStatus::match);
  CHECK(m.start == 2);
  CHECK(m.end == 6);  // the match itself may run past the limit
  CHECK(scratch.find_starting_by(*re, subject, 0, subject.size(), 1).status ==
        MatchStatus::no_match);
  CHECK(scratch.find_starting_by(*re, subject, 3, subject.size(), 6).status ==
        MatchStatus::no_match);
  m = scratch.find(*re, subject, 3);
  REQUIRE(m.status == MatchStatus::match);
  CHECK(m.start == 7);
}

TEST_CASE("Unicode word boundaries and invalid UTF-8 are safe") {
  auto re = Regex::compile("\\bawait\\b", {}, nullptr);
  REQUIRE(re);
  MatchScratch scratch;
  CHECK(scratch.find(*re, "éawait", 0).status == MatchStatus::no_match);
  CHECK(scratch.find(*re, "\xff await", 0).status == MatchStatus::match);
}

TEST_CASE("a dot matches a carriage return, as in rg without --crlf") {
  auto re = Regex::compile("def.*\\n.*x", {}, nullptr);
  REQUIRE(re);
  MatchScratch scratch;
  CHECK(scratch.find(*re, "def f():\r\n  x", 0).status == MatchStatus::match);
}

TEST_CASE("catastrophic backtracking hits the match limit and says so") {
  auto re = Regex::compile("(a+)+$", {}, nullptr);
  REQUIRE(re);
  MatchLimits limits;
  limits.match_limit = 10000;
  MatchScratch scratch(limits);
  std::string subject(40, 'a');
  subject += 'b';
  MatchResult m = scratch.find(*re, subject, 0);
  CHECK(m.status == MatchStatus::match_limit);
  CHECK(to_string(m.status) == "match limit exceeded");
}

TEST_CASE("the JIT stack grows on demand up to its maximum") {
  // A pattern whose JIT needs deep recursion on a long subject.
  auto re = Regex::compile("(?:a|b(?=c))*+x|(a|b)*y", {}, nullptr);
  REQUIRE(re);
  std::string subject(20000, 'a');
  MatchLimits tiny;
  tiny.jit_stack_max = 32 << 10;
  tiny.match_limit = 100000000;
  MatchScratch small(tiny);
  MatchResult limited = small.find(*re, subject, 0);
  MatchLimits roomy;
  roomy.jit_stack_max = 64 << 20;
  roomy.match_limit = 100000000;
  MatchScratch big(roomy);
  MatchResult full = big.find(*re, subject, 0);
  // PCRE2 has a JIT for x86-64 and arm64, the machines this project targets.
  REQUIRE(re->jit());
  CHECK(limited.status == MatchStatus::jit_stack_limit);
  CHECK(full.status == MatchStatus::no_match);
}
