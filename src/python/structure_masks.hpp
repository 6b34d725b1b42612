// Internal to the Python line model: stage 1 of the fast structure pass. Classifies a 64-byte
// block of source into bit masks (bit i = byte i), the way simdjson's first stage does for
// JSON, so that the builder visits only the bytes that can change its state and steps over the
// rest (names, blanks, dots and operators that are not brackets or `,` `=` `:`) in bulk.
// An AVX2 kernel (nibble lookups, as Teddy in src/search/literal_scan.cpp) where the CPU has it,
// else a table loop giving the same masks (tests/unit/python/python_structure_test.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace asyncsweep::python::detail {

// Operator characters that never end a skim (see BlockMasks::plain).
inline constexpr std::string_view kOperators = "+-*/%&|^<>!~@";

struct BlockMasks {
  std::uint64_t plain;   // bytes the builder never stops at by themselves: name bytes (letters,
                         // digits, `_`, bytes >= 0x80), blank, tab, form feed, `.`, and the
                         // operator characters + - * / % & | ^ < > ! ~ @
  std::uint64_t ident;   // name bytes
  std::uint64_t digit;   // 0-9
  std::uint64_t dot;     // `.`
  std::uint64_t kfirst;  // a c d f g l w T: first letters of the names the builder reacts to
  std::uint64_t comma_assign;  // `,` and `=`
  std::uint64_t colon;         // `:`
};

bool structure_simd_available();
// `block` must have 64 readable bytes.
BlockMasks block_masks_portable(const char* block);
BlockMasks block_masks_simd(const char* block);  // only where structure_simd_available()

}  // namespace asyncsweep::python::detail
