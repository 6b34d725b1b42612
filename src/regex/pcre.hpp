// RAII over PCRE2 (8-bit). A Regex is compiled once, JIT-compiled when possible, and is
// immutable and shared by const reference across threads. Everything mutable a match needs
// (match data, match context, JIT stack) lives in a MatchScratch owned by one thread.
// pcre2.h stays inside src/regex/*.cpp: this header names PCRE2's handles by their (8-bit)
// struct names only, and their deleters live in pcre.cpp. A match costs one call into
// pcre.cpp either way, so the hot path pays nothing for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

// What pcre2.h calls pcre2_code, pcre2_match_data, ... with PCRE2_CODE_UNIT_WIDTH 8.
struct pcre2_real_code_8;
struct pcre2_real_match_data_8;
struct pcre2_real_match_context_8;
struct pcre2_real_jit_stack_8;

namespace asyncsweep::regex {

struct CompileOptions {
  bool multiline_anchors = true;  // ^ and $ at line boundaries, as rg always sets
  bool caseless = false;
  bool jit = true;  // false: only check that the pattern compiles (rule-pack validation)
  // Allows MatchScratch::find_starting_by (PCRE2_USE_OFFSET_LIMIT; the JIT compiles other code).
  bool offset_limit = false;
};

// A compile failure: PCRE2's message and the offset into the pattern.
struct CompileError {
  std::string message;
  std::size_t offset = 0;
};

// Limits applied to every match; PCRE2's own defaults are 10M for match_limit.
struct MatchLimits {
  std::uint32_t match_limit = 10'000'000;
  std::size_t jit_stack_max = 8u << 20;  // bytes; ripgrep hard-codes 10 MiB (#1132)
};

class Regex {
 public:
  // Returns nullopt and fills `error` when the pattern does not compile.
  static std::optional<Regex> compile(std::string_view pattern, const CompileOptions& options,
                                      CompileError* error);

  bool jit() const { return jit_; }
  bool offset_limit() const { return offset_limit_; }
  const std::string& pattern() const { return pattern_; }
  pcre2_real_code_8* code() const { return code_.get(); }

 private:
  struct CodeDeleter {
    void operator()(pcre2_real_code_8* code) const noexcept;
  };
  Regex(std::string pattern, pcre2_real_code_8* code, bool jit, bool offset_limit)
      : pattern_(std::move(pattern)), code_(code), jit_(jit), offset_limit_(offset_limit) {}

  std::string pattern_;
  std::unique_ptr<pcre2_real_code_8, CodeDeleter> code_;
  bool jit_ = false;
  bool offset_limit_ = false;
};

enum class MatchStatus : std::uint8_t {
  match,
  no_match,
  match_limit,      // PCRE2_ERROR_MATCHLIMIT
  jit_stack_limit,  // PCRE2_ERROR_JITSTACKLIMIT even after the retry with the largest stack
  depth_limit,
  heap_limit,
  other_error,
};

std::string_view to_string(MatchStatus status);

struct MatchResult {
  MatchStatus status = MatchStatus::no_match;
  std::size_t start = 0;
  std::size_t end = 0;
  int error_code = 0;  // the raw PCRE2 code for other_error
};

// Per-thread state for matching: never shared between threads.
class MatchScratch {
 public:
  explicit MatchScratch(const MatchLimits& limits = {});
  MatchScratch(MatchScratch&&) noexcept = default;
  MatchScratch& operator=(MatchScratch&&) noexcept = default;

  // Finds the leftmost match in subject[start_offset, length). The whole subject is always
  // passed to PCRE2 so that lookbehind, \b and ^ see the bytes before start_offset.
  MatchResult find(const Regex& regex, std::string_view subject, std::size_t start_offset,
                   std::size_t length);
  MatchResult find(const Regex& regex, std::string_view subject, std::size_t start_offset) {
    return find(regex, subject, start_offset, subject.size());
  }
  // The same, but only a match that starts at or before `last_start` counts: PCRE2 gives up
  // there instead of trying every later start. `regex` was compiled with offset_limit.
  MatchResult find_starting_by(const Regex& regex, std::string_view subject,
                               std::size_t start_offset, std::size_t length,
                               std::size_t last_start);

 private:
  struct DataDeleter {
    void operator()(pcre2_real_match_data_8* data) const noexcept;
  };
  struct ContextDeleter {
    void operator()(pcre2_real_match_context_8* ctx) const noexcept;
  };
  struct StackDeleter {
    void operator()(pcre2_real_jit_stack_8* stack) const noexcept;
  };

  MatchLimits limits_;
  std::unique_ptr<pcre2_real_match_data_8, DataDeleter> data_;
  std::unique_ptr<pcre2_real_match_context_8, ContextDeleter> context_;
  std::unique_ptr<pcre2_real_jit_stack_8, StackDeleter> stack_;
  std::size_t stack_size_ = 0;
};

}  // namespace asyncsweep::regex
