// Byte-level facts about Python source that the analyses test around a match position, where
// building the line model would cost more than the question.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace asyncsweep::text {

// ASCII letters, digits and '_', and every byte >= 0x80: a non-ASCII identifier in any
// ASCII-compatible encoding, undecoded. A table, not std::isalnum, which consults the locale.
inline constexpr std::array<bool, 256> kIdentifierByte = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c)
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c >= 0x80;
  return table;
}();

constexpr bool is_identifier_byte(char c) { return kIdentifierByte[static_cast<unsigned char>(c)]; }

// Bytes of leading spaces and tabs.
constexpr std::size_t indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

}  // namespace asyncsweep::text
