#include "search/literal_scan.hpp"

#include "search/literals.hpp"
#include "simd/cpu.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace asyncsweep::search {

namespace {

constexpr unsigned kHashBits = 18;  // 2^18 bits = 32 KiB: stays in L1/L2 while scanning

inline std::uint32_t triple_hash(const unsigned char* p) {
  std::uint32_t v = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                    (static_cast<std::uint32_t>(p[2]) << 16);
  return (v * 2654435761u) >> (32 - kHashBits);
}

// Offset of the literal's rarest three bytes.
std::size_t rarest_triple(const std::string& literal) {
  std::size_t best = 0;
  double best_share = 2;
  for (std::size_t k = 0; k + 2 < literal.size(); ++k) {
    double share = estimated_frequency(std::string_view(literal).substr(k, 3));
    if (share < best_share) {
      best_share = share;
      best = k;
    }
  }
  return best;
}

// Estimated share of positions a bucket lets through: for each anchor byte, the bytes whose
// two nibbles both occur there, weighted by their frequency in source code.
// Only the set nibbles are visited, high then low in ascending order: the same terms added in
// the same order as a loop over all 256 bytes, so the same double, at a tenth of the cost (the
// greedy placement below asks this for every literal and bucket: it was most of building the
// literal pass, which every sweep does before its threads start).
double bucket_share(const std::array<std::uint16_t, 3>& lo, const std::array<std::uint16_t, 3>& hi) {
  double share = 1;
  for (int j = 0; j < 3; ++j) {
    double accepted = 0;
    for (unsigned high = hi[j]; high != 0; high &= high - 1) {
      const int h = std::countr_zero(high);
      for (unsigned low = lo[j]; low != 0; low &= low - 1) {
        accepted += byte_frequency(static_cast<unsigned char>(h << 4 | std::countr_zero(low)));
      }
    }
    share *= accepted;
  }
  return share;
}

inline std::uint32_t load_triple(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16);
}

void add_to_masks(LiteralSet::NibbleMasks& masks, std::uint32_t triple, int bucket) {
  for (int j = 0; j < 3; ++j) {
    auto c = static_cast<unsigned char>(triple >> (8 * j));
    masks.lo[j][c & 15] |= static_cast<std::uint8_t>(1u << bucket);
    masks.hi[j][c >> 4] |= static_cast<std::uint8_t>(1u << bucket);
  }
}

// Per-scan state of the Teddy kernel: its own copy of the tables, from which found literals
// are taken out.
struct TeddyState {
  const std::array<std::vector<LiteralSet::Anchor>, LiteralSet::kBuckets>* buckets;
  const std::vector<std::string>* literals;
  const std::uint64_t* triple_bits;  // every anchor's hashed triple
  std::vector<std::uint8_t>* found;
  LiteralSet::NibbleMasks masks;
  std::size_t left = 0;     // literals not found yet
  bool first_only = false;  // stop at the first literal found
  bool changed = false;     // masks changed since the kernel loaded them

  // The anchors of the buckets in `bits` may fit at `at`: compare their literals.
  void verify(const unsigned char* bytes, std::size_t size, std::size_t at, std::uint8_t bits) {
    if (left == 0) return;  // first_only: done
    // Nibble tables of mixed buckets let through many triples that no literal has: the
    // exact-triple bitmap turns those away before any bucket is walked.
    const std::uint32_t hash = triple_hash(bytes + at);
    if ((triple_bits[hash >> 6] >> (hash & 63) & 1) == 0) return;
    const std::uint32_t here = load_triple(bytes + at);
    while (bits != 0) {
      int bucket = __builtin_ctz(bits);
      bits &= static_cast<std::uint8_t>(bits - 1);
      bool found_one = false;
      for (const auto& anchor : (*buckets)[bucket]) {
        if (anchor.bytes != here || (*found)[anchor.literal] != 0 || at < anchor.offset) continue;
        const std::string& literal = (*literals)[anchor.literal];
        std::size_t start = at - anchor.offset;
        if (start + literal.size() > size || std::memcmp(bytes + start, literal.data(), literal.size()) != 0) {
          continue;
        }
        (*found)[anchor.literal] = 1;
        --left;
        found_one = true;
      }
      if (found_one && first_only) {
        left = 0;
        changed = true;
        return;
      }
      if (found_one) rebuild(bucket);
    }
  }

  void rebuild(int bucket) {
    const auto keep = static_cast<std::uint8_t>(~(1u << bucket));
    for (int j = 0; j < 3; ++j) {
      for (int n = 0; n < 16; ++n) {
        masks.lo[j][n] &= keep;
        masks.hi[j][n] &= keep;
      }
    }
    for (const auto& anchor : (*buckets)[bucket]) {
      if ((*found)[anchor.literal] == 0) add_to_masks(masks, anchor.bytes, bucket);
    }
    changed = true;
  }
};

// Scalar Teddy for the positions the vector loop leaves (the last few bytes of a text).
void teddy_tail(const unsigned char* bytes, std::size_t size, std::size_t from, TeddyState& state) {
  for (std::size_t i = from; i + 2 < size && state.left != 0; ++i) {
    std::uint8_t bits = 0xff;
    for (int j = 0; j < 3; ++j) {
      unsigned char c = bytes[i + j];
      bits &= state.masks.lo[j][c & 15] & state.masks.hi[j][c >> 4];
    }
    if (bits != 0) state.verify(bytes, size, i, bits);
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline __m256i nibble_table(const std::array<std::uint8_t, 16>& table) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table.data())));
}

// Bucket bits of 32 bytes at one anchor position: the buckets whose byte there has both nibbles.
__attribute__((target("avx2"))) inline __m256i buckets_of(__m256i v, __m256i lo, __m256i hi) {
  const __m256i low_nibble = _mm256_set1_epi8(0x0f);
  __m256i low = _mm256_and_si256(v, low_nibble);
  __m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), low_nibble);
  return _mm256_and_si256(_mm256_shuffle_epi8(lo, low), _mm256_shuffle_epi8(hi, high));
}

// 32 positions per step: for each anchor byte j, the bytes at i+j.. select bucket bits from
// the nibble tables (PSHUFB); a position survives when all three agree on a bucket.
__attribute__((target("avx2"))) std::size_t teddy_avx2(const unsigned char* bytes, std::size_t size,
                                                       TeddyState& state) {
  const LiteralSet::NibbleMasks& m = state.masks;
  __m256i lo0 = nibble_table(m.lo[0]), lo1 = nibble_table(m.lo[1]), lo2 = nibble_table(m.lo[2]);
  __m256i hi0 = nibble_table(m.hi[0]), hi1 = nibble_table(m.hi[1]), hi2 = nibble_table(m.hi[2]);
  std::size_t i = 0;
  for (; i + 34 <= size; i += 32) {
    __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i));
    __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + 1));
    __m256i v2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + 2));
    __m256i hits = _mm256_and_si256(_mm256_and_si256(buckets_of(v0, lo0, hi0), buckets_of(v1, lo1, hi1)),
                                    buckets_of(v2, lo2, hi2));
    if (_mm256_testz_si256(hits, hits)) continue;
    alignas(32) std::uint8_t lanes[32];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), hits);
    auto positions = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hits, _mm256_setzero_si256())));
    while (positions != 0) {
      int k = __builtin_ctz(positions);
      positions &= positions - 1;
      // A literal found at an earlier lane may have emptied this lane's buckets.
      state.verify(bytes, size, i + k, lanes[k]);
    }
    if (state.changed) {
      if (state.left == 0) return size;
      state.changed = false;
      lo0 = nibble_table(m.lo[0]), lo1 = nibble_table(m.lo[1]), lo2 = nibble_table(m.lo[2]);
      hi0 = nibble_table(m.hi[0]), hi1 = nibble_table(m.hi[1]), hi2 = nibble_table(m.hi[2]);
    }
  }
  return i;
}
#endif

}  // namespace

LiteralSet::LiteralSet(std::vector<std::string> literals, ScanKernel kernel)
    : literals_(std::move(literals)), triple_bits_((std::size_t{1} << kHashBits) / 64, 0) {
  std::vector<Anchor> teddy;
  for (std::uint32_t index = 0; index < literals_.size(); ++index) {
    const std::string& literal = literals_[index];
    if (literal.size() < 3) {
      if (!literal.empty()) short_literals_.push_back(index);
      continue;  // an empty literal is never required (the loader rejects them)
    }
    std::size_t offset = rarest_triple(literal);
    std::uint32_t hash = triple_hash(reinterpret_cast<const unsigned char*>(literal.data()) + offset);
    triple_bits_[hash >> 6] |= std::uint64_t{1} << (hash & 63);
    anchors_.push_back({hash, index, static_cast<std::uint32_t>(offset),
                        load_triple(reinterpret_cast<const unsigned char*>(literal.data()) + offset)});
  }
  std::sort(anchors_.begin(), anchors_.end(), [](const Anchor& a, const Anchor& b) { return a.key < b.key; });

  // Buckets: each literal joins the bucket whose nibble tables it widens least, by the
  // estimated share of text positions the bucket then lets through (greedy, rarest anchors
  // last so that the common ones spread over the empty buckets first).
  std::vector<Anchor> by_share = anchors_;
  auto anchor_share = [this](const Anchor& a) {
    return estimated_frequency(std::string_view(literals_[a.literal]).substr(a.offset, 3));
  };
  std::stable_sort(by_share.begin(), by_share.end(),
                   [&](const Anchor& a, const Anchor& b) { return anchor_share(a) > anchor_share(b); });
  std::array<std::array<std::uint16_t, 3>, kBuckets> lo{}, hi{};
  std::array<double, kBuckets> shares{};
  for (const Anchor& anchor : by_share) {
    int best = 0;
    double best_growth = 0;
    std::array<std::uint16_t, 3> best_lo{}, best_hi{};
    for (int b = 0; b < kBuckets; ++b) {
      auto new_lo = lo[b], new_hi = hi[b];
      for (int j = 0; j < 3; ++j) {
        auto c = static_cast<unsigned char>(anchor.bytes >> (8 * j));
        new_lo[j] = static_cast<std::uint16_t>(new_lo[j] | (1u << (c & 15)));
        new_hi[j] = static_cast<std::uint16_t>(new_hi[j] | (1u << (c >> 4)));
      }
      double growth = bucket_share(new_lo, new_hi) - shares[b];
      if (b == 0 || growth < best_growth) {
        best = b;
        best_growth = growth;
        best_lo = new_lo;
        best_hi = new_hi;
      }
    }
    lo[best] = best_lo;
    hi[best] = best_hi;
    shares[best] += best_growth;
    buckets_[best].push_back(anchor);
    add_to_masks(masks_, anchor.bytes, best);
  }
  simd_ = kernel == ScanKernel::automatic && simd::cpu_has_avx2();
}

void LiteralSet::scan(std::string_view text, std::vector<std::uint8_t>& found) const {
  scan_all(text, found, false);
}

bool LiteralSet::contains_any(std::string_view text) const {
  std::vector<std::uint8_t> found;
  scan_all(text, found, true);
  return std::find(found.begin(), found.end(), 1) != found.end();
}

void LiteralSet::scan_all(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const {
  found.assign(literals_.size(), 0);
  for (std::uint32_t index : short_literals_) {
    found[index] = text.find(literals_[index]) != std::string_view::npos;
    if (first_only && found[index] != 0) return;
  }
  if (anchors_.empty() || text.size() < 3) return;
  if (simd_) {
    scan_teddy(text, found, first_only);
  } else {
    scan_portable(text, found, first_only);
  }
}

void LiteralSet::scan_teddy(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const {
  TeddyState state{&buckets_, &literals_, triple_bits_.data(), &found, masks_, anchors_.size(), first_only};
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t done = 0;
#if defined(__x86_64__)
  done = teddy_avx2(bytes, text.size(), state);
#endif
  teddy_tail(bytes, text.size(), done, state);
}

void LiteralSet::scan_portable(std::string_view text, std::vector<std::uint8_t>& found, bool first_only) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::uint64_t* bits = triple_bits_.data();
  const std::size_t n = text.size();
  for (std::size_t i = 0; i + 2 < n; ++i) {
    std::uint32_t hash = triple_hash(bytes + i);
    if ((bits[hash >> 6] >> (hash & 63) & 1) == 0) continue;
    auto it = std::lower_bound(anchors_.begin(), anchors_.end(), hash,
                               [](const Anchor& a, std::uint32_t h) { return a.key < h; });
    for (; it != anchors_.end() && it->key == hash; ++it) {
      if (found[it->literal] || i < it->offset) continue;
      const std::string& literal = literals_[it->literal];
      std::size_t start = i - it->offset;
      if (start + literal.size() <= n && std::memcmp(bytes + start, literal.data(), literal.size()) == 0) {
        found[it->literal] = 1;
        if (first_only) return;
      }
    }
  }
}

namespace {

#if defined(__x86_64__)
// The first occurrence among the starts the vector loop covers, or npos with `resume` set to
// the first start it did not cover.
__attribute__((target("avx2"))) std::size_t find_avx2(const char* bytes, std::size_t size, std::size_t from,
                                                      const std::string& literal, std::size_t first,
                                                      std::size_t second, std::size_t& resume) {
  const std::size_t length = literal.size();
  const __m256i probe1 = _mm256_set1_epi8(literal[first]);
  const __m256i probe2 = _mm256_set1_epi8(literal[second]);
  std::size_t i = from;
  // Candidate starts i..i+31 need bytes up to i + 31 + second, and whole literals fit.
  for (; i + 32 + length <= size + 1 && i + 32 + second <= size; i += 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + first));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + second));
    auto hits = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, probe1), _mm256_cmpeq_epi8(b, probe2))));
    while (hits != 0) {
      std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(hits));
      if (std::memcmp(bytes + at, literal.data(), length) == 0) return at;
      hits &= hits - 1;
    }
  }
  resume = i;
  return std::string_view::npos;
}
#endif

}  // namespace

LiteralFinder::LiteralFinder(std::string literal) : literal_(std::move(literal)) {
  // The two rarest bytes at distinct offsets, in offset order.
  std::size_t best = 0;
  for (std::size_t k = 1; k < literal_.size(); ++k) {
    if (byte_frequency(static_cast<unsigned char>(literal_[k])) <
        byte_frequency(static_cast<unsigned char>(literal_[best]))) {
      best = k;
    }
  }
  std::size_t other = best == 0 ? 1 : 0;
  for (std::size_t k = 0; k < literal_.size(); ++k) {
    if (k != best && byte_frequency(static_cast<unsigned char>(literal_[k])) <
                         byte_frequency(static_cast<unsigned char>(literal_[other]))) {
      other = k;
    }
  }
  rare_first = std::min(best, other);
  rare_second = std::max(best, other);
  simd_ = literal_.size() >= 2 && simd::cpu_has_avx2();
}

std::size_t LiteralFinder::find(std::string_view text, std::size_t from) const {
  if (from > text.size() || literal_.size() > text.size() - from) return std::string_view::npos;
  if (literal_.empty()) return from;
#if defined(__x86_64__)
  if (simd_) {
    std::size_t resume = from;
    std::size_t at = find_avx2(text.data(), text.size(), from, literal_, rare_first, rare_second, resume);
    if (at != std::string_view::npos) return at;
    from = resume;
  }
#endif
  const void* hit = ::memmem(text.data() + from, text.size() - from, literal_.data(), literal_.size());
  return hit == nullptr ? std::string_view::npos : static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
}

}  // namespace asyncsweep::search
