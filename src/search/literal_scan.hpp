// One pass over a file that says which of many literals occur in it: the prefilter's scanner.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::search {

// Which scanning kernel a LiteralSet uses. `automatic` takes the SIMD kernel where the CPU has
// it; `portable` forces the scalar one (tests compare the two).
enum class ScanKernel { automatic, portable };

// Finds which literals occur in a text. Each literal is anchored on its rarest three bytes (by
// a static frequency table of source code). The SIMD kernel is Teddy (as in Hyperscan and
// ripgrep's aho-corasick): literals fall into eight buckets; per anchor byte, two 16-entry
// nibble tables say which buckets have that byte there, so that 32 positions are tested with
// a few shuffles and ANDs, and only positions where a bucket's three anchor bytes all fit are
// verified. The portable kernel hashes every byte triple into a 2^18-bit table. A literal
// found drops out of the tables for the rest of the file (common ones cost one verification,
// not one per occurrence), and the scan stops when all are found.
// Built once, shared read-only.
class LiteralSet {
 public:
  explicit LiteralSet(std::vector<std::string> literals, ScanKernel kernel = ScanKernel::automatic);
  std::size_t size() const { return literals_.size(); }
  const std::string& literal(std::size_t index) const { return literals_[index]; }
  bool simd() const { return simd_; }
  // Sets found[i] when literal i occurs in text. `found` is resized and cleared.
  void scan(std::string_view text, std::vector<std::uint8_t>& found) const;
  // Whether any literal occurs; stops at the first.
  bool contains_any(std::string_view text) const;

  struct Anchor {
    std::uint32_t key;      // the portable kernel's hash of the anchor's three bytes
    std::uint32_t literal;
    std::uint32_t offset;   // where the anchor sits in the literal
    std::uint32_t bytes;    // the anchor's three bytes, little-endian
  };
  static constexpr int kBuckets = 8;
  // Teddy's tables: for anchor byte j, lo[j][n] has bit b set when a literal of bucket b has
  // low nibble n at that byte; hi[j] likewise for the high nibble.
  struct NibbleMasks {
    std::array<std::array<std::uint8_t, 16>, 3> lo{};
    std::array<std::array<std::uint8_t, 16>, 3> hi{};
  };

 private:
  void scan_portable(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const;
  void scan_teddy(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const;
  void scan_all(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const;

  std::vector<std::string> literals_;
  std::vector<std::uint32_t> short_literals_;  // one or two bytes: a plain find
  std::vector<Anchor> anchors_;                // sorted by key (portable kernel)
  std::vector<std::uint64_t> triple_bits_;     // 2^18 bits (portable kernel)
  std::array<std::vector<Anchor>, kBuckets> buckets_;  // Teddy: each bucket's literals
  NibbleMasks masks_;
  bool simd_ = false;
};

// Finds one literal, faster than glibc's memmem on source code: 32 positions at a time are
// tested for the literal's two rarest bytes at their offsets (AVX2), and only the positions
// where both fit are compared in full. Without AVX2 it is memmem.
class LiteralFinder {
 public:
  explicit LiteralFinder(std::string literal);
  const std::string& literal() const { return literal_; }
  // Offset of the first occurrence at or after `from`, or npos.
  std::size_t find(std::string_view text, std::size_t from = 0) const;

 private:
  std::string literal_;
  std::size_t rare_first = 0;   // offsets of the two probe bytes, rare_first < rare_second
  std::size_t rare_second = 0;
  bool simd_ = false;
};

}  // namespace asyncsweep::search
