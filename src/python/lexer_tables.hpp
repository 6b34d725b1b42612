// Internal to the Python line model: byte classes and token ids shared by the lexer.
// Everything is constexpr tables so that the hot loops are a load and a compare per byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace asyncsweep::python::detail {

enum CharClass : std::uint8_t {
  kOther, kSpace, kNewline, kIdent, kDigit, kQuote, kHash, kBackslash, kDot, kOpChar
};

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  constexpr std::string_view ops = "()[]{}:,;=+-*/%&|^<>!@~";
  for (int c = 0; c < 256; ++c) {
    std::uint8_t k = kOther;
    if (c == ' ' || c == '\t' || c == '\f') k = kSpace;
    else if (c == '\n' || c == '\r') k = kNewline;
    // Bytes >= 0x80 are treated as identifier characters: that covers every non-ASCII
    // identifier in any ASCII-compatible encoding without decoding anything.
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) k = kIdent;
    else if (c >= '0' && c <= '9') k = kDigit;
    else if (c == '\'' || c == '"') k = kQuote;
    else if (c == '#') k = kHash;
    else if (c == '\\') k = kBackslash;
    else if (c == '.') k = kDot;
    else if (ops.find(static_cast<char>(c)) != std::string_view::npos) k = kOpChar;
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}

inline constexpr auto kClass = make_classes();

// First offset in [p, n) whose byte is one of `Stops`, or n. Comment and string bodies are
// long runs without any: 16 bytes are tested at a time (SSE2 is part of x86-64).
template <char... Stops>
inline std::uint32_t skip_to_stop(const char* s, std::uint32_t p, std::uint32_t n) {
#if defined(__SSE2__)
  while (p + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Stops)))), ...);
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return p + static_cast<std::uint32_t>(__builtin_ctz(mask));
    p += 16;
  }
#endif
  while (p < n && !((s[p] == Stops) || ...)) ++p;
  return p;
}

// First offset in [p, n) that is not a blank (0x20), or n; 16 bytes at a time.
inline std::uint32_t skip_blanks(const char* s, std::uint32_t p, std::uint32_t n) {
#if defined(__SSE2__)
  while (p + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    auto other = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))) & 0xffffu;
    if (other != 0) return p + static_cast<std::uint32_t>(__builtin_ctz(other));
    p += 16;
  }
#endif
  while (p < n && s[p] == ' ') ++p;
  return p;
}

constexpr std::array<bool, 256> make_ident_cont() {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 256; ++c) t[c] = kClass[c] == kIdent || kClass[c] == kDigit;
  return t;
}
inline constexpr auto kIdentCont = make_ident_cont();

inline bool is_nl(char c) { return c == '\n' || c == '\r'; }
inline bool is_ident_cont(unsigned char c) { return kIdentCont[c]; }

// First offset in [p, n) that does not continue an identifier, or n; 16 bytes at a time.
inline std::uint32_t skip_identifier(const char* s, std::uint32_t p, std::uint32_t n) {
#if defined(__SSE2__)
  while (p + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    auto within = [](__m128i x, char low, char count) {  // low <= x < low + count, unsigned
      __m128i offset = _mm_sub_epi8(x, _mm_set1_epi8(low));
      return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(count - 1))), offset);
    };
    __m128i ident = _mm_or_si128(within(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26), within(v, '0', 10));
    ident = _mm_or_si128(ident, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmplt_epi8(v, _mm_setzero_si128())));
    auto stops = ~static_cast<unsigned>(_mm_movemask_epi8(ident)) & 0xffffu;
    if (stops != 0) return p + static_cast<std::uint32_t>(__builtin_ctz(stops));
    p += 16;
  }
#endif
  while (p < n && is_ident_cont(static_cast<unsigned char>(s[p]))) ++p;
  return p;
}
inline bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
}
inline bool is_dec(char c) { return (c >= '0' && c <= '9') || c == '_'; }

// Token ids: the structural layer only distinguishes the tokens it reacts to. Ids below
// kIdFirstStructural need no work beyond bookkeeping, which keeps the common path short.
enum Id : std::uint8_t {
  kIdNone, kIdNumber, kIdString, kIdError, kIdOp, kIdDot,
  kIdName, kIdAsyncio, kIdGather, kIdCreateTask, kIdTaskGroup,
  kIdAsync, kIdAwait, kIdDef, kIdClass, kIdLambda, kIdFor, kIdWith, kIdAs, kIdFrom,
  kIdLParen, kIdRParen, kIdLBracket, kIdRBracket, kIdLBrace, kIdRBrace,
  kIdColon, kIdComma, kIdSemi, kIdAssign, kIdAt, kIdFieldOpen, kIdFieldClose,
};
constexpr std::uint8_t kIdFirstStructural = kIdAsync;

constexpr bool is_name(std::uint8_t id) { return id >= kIdName && id <= kIdFrom; }

// `len` is known by the switch, so each comparison is a fixed-size memcmp the compiler inlines.
inline std::uint8_t name_id(const char* b, std::size_t len) {
  auto is = [&]<std::size_t N>(const char (&w)[N]) { return std::memcmp(b, w, N - 1) == 0; };
  switch (len) {
    case 2: return is("as") ? kIdAs : kIdName;
    case 3: return is("def") ? kIdDef : is("for") ? kIdFor : kIdName;
    case 4: return is("from") ? kIdFrom : is("with") ? kIdWith : kIdName;
    case 5:
      return is("async") ? kIdAsync : is("await") ? kIdAwait : is("class") ? kIdClass : kIdName;
    case 6: return is("lambda") ? kIdLambda : is("gather") ? kIdGather : kIdName;
    case 7: return is("asyncio") ? kIdAsyncio : kIdName;
    case 9: return is("TaskGroup") ? kIdTaskGroup : kIdName;
    case 11: return is("create_task") ? kIdCreateTask : kIdName;
    default: return kIdName;
  }
}

}  // namespace asyncsweep::python::detail
