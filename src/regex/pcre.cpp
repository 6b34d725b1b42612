#include "regex/pcre.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>

namespace asyncsweep::regex {

namespace {

std::string error_message(int code) {
  std::array<PCRE2_UCHAR, 256> buffer{};
  int length = pcre2_get_error_message(code, buffer.data(), buffer.size());
  if (length < 0) return "unknown PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(length));
}

// The JIT stack starts small and is grown on demand up to the configured maximum, so that
// threads that never meet a pathological pattern keep their footprint at 32 KiB.
constexpr std::size_t kInitialJitStack = 32u << 10;

}  // namespace

void Regex::CodeDeleter::operator()(pcre2_code* code) const noexcept { pcre2_code_free(code); }
void MatchScratch::DataDeleter::operator()(pcre2_match_data* data) const noexcept {
  pcre2_match_data_free(data);
}
void MatchScratch::ContextDeleter::operator()(pcre2_match_context* ctx) const noexcept {
  pcre2_match_context_free(ctx);
}
void MatchScratch::StackDeleter::operator()(pcre2_jit_stack* stack) const noexcept {
  pcre2_jit_stack_free(stack);
}

std::optional<Regex> Regex::compile(std::string_view pattern, const CompileOptions& options,
                                    CompileError* error) {
  // UTF + UCP gives Unicode \b, \w, \d, \s as rg's default regex engine has.
  // MATCH_INVALID_UTF makes invalid UTF-8 safe to search without a UTF check (PCRE2 >= 10.34).
  // Newlines are LF only: rg without --crlf treats "\r" as an ordinary byte, so `.` must
  // match it (a CRLF file would otherwise defeat `async def.*\n.*` patterns).
  std::uint32_t flags = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  if (options.multiline_anchors) flags |= PCRE2_MULTILINE;
  if (options.caseless) flags |= PCRE2_CASELESS;
  if (options.offset_limit) flags |= PCRE2_USE_OFFSET_LIMIT;

  struct CompileContextDeleter {
    void operator()(pcre2_compile_context* ctx) const noexcept { pcre2_compile_context_free(ctx); }
  };
  std::unique_ptr<pcre2_compile_context, CompileContextDeleter> ctx(
      pcre2_compile_context_create(nullptr));
  pcre2_set_newline(ctx.get(), PCRE2_NEWLINE_LF);

  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags,
                    &error_code, &error_offset, ctx.get());
  if (code == nullptr) {
    if (error != nullptr) {
      error->message = error_message(error_code);
      error->offset = error_offset;
    }
    return std::nullopt;
  }
  // JIT failure is not an error: the interpreter gives the same answers, only slower.
  bool jit = options.jit && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  return Regex(std::string(pattern), code, jit, options.offset_limit);
}

std::string_view to_string(MatchStatus status) {
  switch (status) {
    case MatchStatus::match: return "match";
    case MatchStatus::no_match: return "no match";
    case MatchStatus::match_limit: return "match limit exceeded";
    case MatchStatus::jit_stack_limit: return "JIT stack limit exceeded";
    case MatchStatus::depth_limit: return "depth limit exceeded";
    case MatchStatus::heap_limit: return "heap limit exceeded";
    case MatchStatus::other_error: return "PCRE2 matching error";
  }
  return "unknown";
}

MatchScratch::MatchScratch(const MatchLimits& limits)
    : limits_(limits),
      data_(pcre2_match_data_create(1, nullptr)),
      context_(pcre2_match_context_create(nullptr)) {
  if (!data_ || !context_) throw std::bad_alloc();
  pcre2_set_match_limit(context_.get(), limits_.match_limit);
  stack_size_ = std::min(kInitialJitStack, limits_.jit_stack_max);
  stack_.reset(pcre2_jit_stack_create(stack_size_, stack_size_, nullptr));
  if (!stack_) throw std::bad_alloc();
  pcre2_jit_stack_assign(context_.get(), nullptr, stack_.get());
}

MatchResult MatchScratch::find(const Regex& regex, std::string_view subject,
                               std::size_t start_offset, std::size_t length) {
  MatchResult result;
  for (;;) {
    int rc = pcre2_match(regex.code(), reinterpret_cast<PCRE2_SPTR>(subject.data()), length,
                         start_offset, 0, data_.get(), context_.get());
    if (rc >= 0) {
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data_.get());
      result.status = MatchStatus::match;
      result.start = ovector[0];
      result.end = ovector[1];
      // \K can make a match end before it starts; treat it as empty at the start.
      if (result.end < result.start) result.end = result.start;
      return result;
    }
    if (rc == PCRE2_ERROR_NOMATCH) {
      result.status = MatchStatus::no_match;
      return result;
    }
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT && stack_size_ < limits_.jit_stack_max) {
      // Like RE2's DFA-to-NFA fallback: grow the stack and retry before giving up.
      stack_size_ = std::min(stack_size_ * 8, limits_.jit_stack_max);
      stack_.reset(pcre2_jit_stack_create(stack_size_, stack_size_, nullptr));
      if (!stack_) throw std::bad_alloc();
      pcre2_jit_stack_assign(context_.get(), nullptr, stack_.get());
      continue;
    }
    result.error_code = rc;
    switch (rc) {
      case PCRE2_ERROR_MATCHLIMIT: result.status = MatchStatus::match_limit; break;
      case PCRE2_ERROR_JIT_STACKLIMIT: result.status = MatchStatus::jit_stack_limit; break;
      case PCRE2_ERROR_DEPTHLIMIT: result.status = MatchStatus::depth_limit; break;
      case PCRE2_ERROR_HEAPLIMIT: result.status = MatchStatus::heap_limit; break;
      default: result.status = MatchStatus::other_error; break;
    }
    return result;
  }
}

MatchResult MatchScratch::find_starting_by(const Regex& regex, std::string_view subject,
                                           std::size_t start_offset, std::size_t length,
                                           std::size_t last_start) {
  pcre2_set_offset_limit(context_.get(), last_start);
  MatchResult result = find(regex, subject, start_offset, length);
  pcre2_set_offset_limit(context_.get(), PCRE2_UNSET);  // the context serves every other match
  return result;
}

}  // namespace asyncsweep::regex
