// Internal to the Python line model: byte classes and token ids shared by the lexer.
// Everything is constexpr tables so that the hot loops are a load and a compare per byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

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

// `stops` lists the bytes a scanning loop must look at; everything else is skipped in a tight
// loop, which is where most of the time goes in comments and string bodies.
constexpr std::array<bool, 256> make_stops(std::string_view stops) {
  std::array<bool, 256> t{};
  for (char c : stops) t[static_cast<unsigned char>(c)] = true;
  return t;
}

inline constexpr auto kClass = make_classes();
inline constexpr auto kStringStops = make_stops("'\"\\\n\r");
inline constexpr auto kFStringStops = make_stops("'\"\\\n\r{}");
inline constexpr auto kNewlineStops = make_stops("\n\r");

constexpr std::array<bool, 256> make_ident_cont() {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 256; ++c) t[c] = kClass[c] == kIdent || kClass[c] == kDigit;
  return t;
}
inline constexpr auto kIdentCont = make_ident_cont();

inline bool is_nl(char c) { return c == '\n' || c == '\r'; }
inline bool is_ident_cont(unsigned char c) { return kIdentCont[c]; }
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

inline std::uint8_t name_id(const char* b, std::size_t len) {
  auto is = [&](std::string_view w) { return std::string_view(b, len) == w; };
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
