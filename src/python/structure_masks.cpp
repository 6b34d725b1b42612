#include "python/structure_masks.hpp"

#include <array>
#include <string_view>

#include "python/lexer_tables.hpp"
#include "simd/cpu.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace asyncsweep::python::detail {
namespace {

enum Bit : std::uint8_t {
  kPlainBit = 1,
  kIdentBit = 2,
  kDigitBit = 4,
  kDotBit = 8,
  kFirstBit = 16
};

constexpr std::array<std::uint8_t, 256> make_bits() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t b = 0;
    const auto cls = kClass[static_cast<std::size_t>(c)];
    if (cls == kIdent || cls == kDigit) b |= kIdentBit | kPlainBit;
    if (cls == kDigit) b |= kDigitBit;
    if (cls == kSpace) b |= kPlainBit;
    if (c == '.') b |= kDotBit | kPlainBit;
    if (kOperators.find(static_cast<char>(c)) != std::string_view::npos) b |= kPlainBit;
    if (std::string_view("acdfglwT").find(static_cast<char>(c)) != std::string_view::npos)
      b |= kFirstBit;
    t[static_cast<std::size_t>(c)] = b;
  }
  return t;
}
constexpr auto kBits = make_bits();

#if defined(__x86_64__)
// For an ASCII set: entry [low nibble] holds one bit per high nibble 0-7 whose byte is in the
// set. A byte is in it when that entry ANDed with (1 << high nibble) is not zero; bytes >= 0x80
// select no bit (kHighBit's upper half is zero).
constexpr std::array<std::uint8_t, 16> nibble_table(std::uint8_t bit) {
  std::array<std::uint8_t, 16> t{};
  for (int c = 0; c < 128; ++c) {
    if (kBits[static_cast<std::size_t>(c)] & bit)
      t[static_cast<std::size_t>(c & 15)] |= static_cast<std::uint8_t>(1u << (c >> 4));
  }
  return t;
}

__attribute__((target("avx2"))) inline __m256i broadcast(const std::array<std::uint8_t, 16>& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

__attribute__((target("avx2"))) inline std::uint64_t mask32(__m256i v) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
}

// Bit i set where byte i of v (nibbles lo, high-nibble bits sel) is in the table's set.
__attribute__((target("avx2"))) inline std::uint64_t inside(__m256i table, __m256i lo,
                                                            __m256i sel) {
  const __m256i hit = _mm256_and_si256(_mm256_shuffle_epi8(table, lo), sel);
  return ~mask32(_mm256_cmpeq_epi8(hit, _mm256_setzero_si256())) & 0xffffffffu;
}
#endif

}  // namespace

bool structure_simd_available() { return simd::cpu_has_avx2(); }

BlockMasks block_masks_portable(const char* block) {
  BlockMasks m{0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    const std::uint8_t b = kBits[static_cast<unsigned char>(block[i])];
    const std::uint64_t at = std::uint64_t{1} << i;
    if (b & kPlainBit) m.plain |= at;
    if (b & kIdentBit) m.ident |= at;
    if (b & kDigitBit) m.digit |= at;
    if (b & kDotBit) m.dot |= at;
    if (b & kFirstBit) m.kfirst |= at;
    if (block[i] == ',' || block[i] == '=') m.comma_assign |= at;
    if (block[i] == ':') m.colon |= at;
  }
  return m;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) BlockMasks block_masks_simd(const char* block) {
  static constexpr std::array<std::uint8_t, 16> kHighBit = {1, 2, 4, 8, 16, 32, 64, 128,
                                                            0, 0, 0, 0, 0,  0,  0,  0};
  static constexpr auto kPlain = nibble_table(kPlainBit);
  static constexpr auto kIdent = nibble_table(kIdentBit);
  static constexpr auto kFirst = nibble_table(kFirstBit);
  const __m256i high_bit = broadcast(kHighBit), plain_t = broadcast(kPlain),
                ident_t = broadcast(kIdent), first_t = broadcast(kFirst),
                low4 = _mm256_set1_epi8(0x0f);
  BlockMasks m{0, 0, 0, 0, 0, 0, 0};
  for (int k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 * k));
    const __m256i sel =
        _mm256_shuffle_epi8(high_bit, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4));
    const __m256i lo = _mm256_and_si256(v, low4);
    const std::uint64_t high = mask32(v);  // bytes >= 0x80 are name bytes
    const std::uint64_t digit = mask32(_mm256_cmpeq_epi8(
        _mm256_min_epu8(_mm256_sub_epi8(v, _mm256_set1_epi8('0')), _mm256_set1_epi8(9)),
        _mm256_sub_epi8(v, _mm256_set1_epi8('0'))));
    const int shift = 32 * k;
    m.plain |= (inside(plain_t, lo, sel) | high) << shift;
    m.ident |= (inside(ident_t, lo, sel) | high) << shift;
    m.kfirst |= inside(first_t, lo, sel) << shift;
    m.digit |= digit << shift;
    m.dot |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'))) << shift;
    m.comma_assign |= mask32(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(',')),
                                             _mm256_cmpeq_epi8(v, _mm256_set1_epi8('='))))
                      << shift;
    m.colon |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':'))) << shift;
  }
  return m;
}
#else
BlockMasks block_masks_simd(const char* block) { return block_masks_portable(block); }
#endif

}  // namespace asyncsweep::python::detail
