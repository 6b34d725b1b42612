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

// The names name_id knows. A name's length and last byte pick its one candidate (the pair is
// unique among them), so that telling a name from these is a table load and one compare,
// without the jump table a switch on the length would mispredict on.
struct KnownName {
  char text[16];  // zero-padded for a 16-byte compare
  std::uint8_t len, id;
};
inline constexpr KnownName kKnownNames[] = {
    {"", 0, kIdName},
    {"as", 2, kIdAs},
    {"def", 3, kIdDef},
    {"for", 3, kIdFor},
    {"from", 4, kIdFrom},
    {"with", 4, kIdWith},
    {"async", 5, kIdAsync},
    {"await", 5, kIdAwait},
    {"class", 5, kIdClass},
    {"lambda", 6, kIdLambda},
    {"gather", 6, kIdGather},
    {"asyncio", 7, kIdAsyncio},
    {"TaskGroup", 9, kIdTaskGroup},
    {"create_task", 11, kIdCreateTask},
};

constexpr std::size_t name_slot(std::size_t len, unsigned char last) {
  return len << 5 | (last & 31u);
}

constexpr std::array<std::uint8_t, 512> make_name_slots() {
  std::array<std::uint8_t, 512> t{};
  for (std::size_t i = 1; i < std::size(kKnownNames); ++i) {
    const KnownName& k = kKnownNames[i];
    auto& slot = t[name_slot(k.len, static_cast<unsigned char>(k.text[k.len - 1]))];
    if (slot != 0) throw "two known names share a slot";  // not a constant: a compile error
    slot = static_cast<std::uint8_t>(i);
  }
  return t;
}
inline constexpr auto kNameSlots = make_name_slots();

// The id of the name [b, b + len), len >= 1; `room` bytes are readable from b.
inline std::uint8_t name_id(const char* b, std::size_t len, std::size_t room) {
  if (len >= 16) return kIdName;
  const std::uint8_t slot = kNameSlots[name_slot(len, static_cast<unsigned char>(b[len - 1]))];
  if (slot == 0) return kIdName;
  const KnownName& k = kKnownNames[slot];
#if defined(__SSE2__)
  if (room >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k.text));
    const auto eq = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, w)));
    const unsigned need = (1u << len) - 1;
    return (eq & need) == need ? k.id : std::uint8_t{kIdName};
  }
#else
  (void)room;
#endif
  return std::memcmp(b, k.text, len) == 0 ? k.id : std::uint8_t{kIdName};
}

}  // namespace asyncsweep::python::detail
