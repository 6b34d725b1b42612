#include "report/fingerprint.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <unordered_map>
#include <vector>

#include "io/whole_file.hpp"

namespace asyncsweep::report {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// The WHATWG "UTF-8 decode" algorithm (Encoding Standard §9.1.1). A byte that cannot continue
// the current sequence ends it with one U+FFFD and is then looked at again as a lead byte; that
// reprocessing is what makes the replacement count match Node's, which fingerprints.ts relies on.
template <typename Sink>
void decode_utf8(std::string_view bytes, Sink&& sink) {
  char32_t code_point = 0;
  int needed = 0;
  int seen = 0;
  unsigned lower = 0x80;
  unsigned upper = 0xBF;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const unsigned byte = static_cast<unsigned char>(bytes[i]);
    if (needed == 0) {
      ++i;
      if (byte <= 0x7F) {
        sink(static_cast<char32_t>(byte));
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        code_point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;  // no surrogates
        needed = 2;
        code_point = byte & 0x0F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;  // nothing above U+10FFFF
        needed = 3;
        code_point = byte & 0x07;
      } else {
        sink(kReplacement);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      code_point = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      sink(kReplacement);
      continue;  // not consumed: it may start the next sequence
    }
    ++i;
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3F);
    if (++seen == needed) {
      sink(code_point);
      code_point = 0;
      needed = seen = 0;
    }
  }
  if (needed != 0) sink(kReplacement);
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool all_ascii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// fingerprints.ts state, one object per file. Arithmetic on std::uint64_t wraps exactly as
// the signed 64-bit `Long` there does; only the final hex rendering is unsigned.
class RollingHasher {
 public:
  explicit RollingHasher(const LineHashCallback& callback) : callback_(callback) {
    line_numbers_.fill(-1);
    window_.fill(0);
    for (int i = 0; i < kBlockSize; ++i) first_mod_ *= kMod;
  }

  void process(std::uint32_t current) {
    if (current == kSpace || current == kTab || (prev_cr_ && current == kLf)) {
      prev_cr_ = false;
      return;
    }
    if (current == kCr) {
      current = kLf;
      prev_cr_ = true;
    } else {
      prev_cr_ = false;
    }
    if (line_numbers_[index_] != -1) output();
    if (line_start_) {
      line_start_ = false;
      ++line_number_;
      line_numbers_[index_] = line_number_;
    }
    if (current == kLf) line_start_ = true;
    update(current);
  }

  void finish() {
    process(kEof);
    for (int i = 0; i < kBlockSize; ++i) {
      if (line_numbers_[index_] != -1) output();
      update(0);
    }
  }

 private:
  static constexpr int kBlockSize = 100;
  static constexpr std::uint64_t kMod = 37;
  static constexpr std::uint32_t kTab = '\t';
  static constexpr std::uint32_t kSpace = ' ';
  static constexpr std::uint32_t kLf = '\n';
  static constexpr std::uint32_t kCr = '\r';
  static constexpr std::uint32_t kEof = 65535;

  void output() {
    std::string value = fmt::format("{:x}", hash_);
    const std::uint64_t n = ++counts_[value];
    value += fmt::format(":{}", n);
    callback_(static_cast<std::uint32_t>(line_numbers_[index_]), value);
    line_numbers_[index_] = -1;
  }

  void update(std::uint32_t current) {
    const std::uint32_t begin = window_[index_];
    window_[index_] = current;
    hash_ = kMod * hash_ + current - first_mod_ * begin;
    index_ = (index_ + 1) % kBlockSize;
  }

  const LineHashCallback& callback_;
  std::array<std::uint32_t, kBlockSize> window_{};
  std::array<std::int64_t, kBlockSize> line_numbers_{};
  std::uint64_t hash_ = 0;
  std::uint64_t first_mod_ = 1;
  int index_ = 0;
  std::int64_t line_number_ = 0;
  bool line_start_ = true;
  bool prev_cr_ = false;
  std::unordered_map<std::string, std::uint64_t> counts_;
};

}  // namespace

std::string sanitize_utf8(std::string_view bytes) {
  if (all_ascii(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size());
  decode_utf8(bytes, [&](char32_t cp) { append_utf8(out, cp); });
  return out;
}

std::size_t utf16_length(std::string_view bytes) {
  if (all_ascii(bytes)) return bytes.size();
  std::size_t units = 0;
  decode_utf8(bytes, [&](char32_t cp) { units += cp > 0xFFFF ? 2 : 1; });
  return units;
}

void hash_lines(std::string_view bytes, const LineHashCallback& callback) {
  RollingHasher hasher(callback);
  decode_utf8(bytes, [&](char32_t cp) {
    // JavaScript strings are UTF-16: charCodeAt() sees both halves of a surrogate pair.
    if (cp > 0xFFFF) {
      const std::uint32_t v = static_cast<std::uint32_t>(cp) - 0x10000;
      hasher.process(0xD800 + (v >> 10));
      hasher.process(0xDC00 + (v & 0x3FF));
    } else {
      hasher.process(static_cast<std::uint32_t>(cp));
    }
  });
  hasher.finish();
}

namespace {

void hash_first_lines(std::string_view bytes, const std::vector<Finding*>& findings) {
  std::unordered_map<std::uint32_t, std::string> wanted;  // line -> its hash, once known
  for (const Finding* finding : findings) wanted.emplace(finding->line, std::string());
  hash_lines(bytes, [&](std::uint32_t line, std::string_view hash) {
    auto it = wanted.find(line);
    if (it != wanted.end()) it->second = hash;
  });
  for (Finding* finding : findings) finding->line_hash = wanted[finding->line];
}

}  // namespace

void add_line_hashes(std::string_view bytes, std::span<Finding> findings, std::span<Finding> more) {
  if (findings.empty() && more.empty()) return;
  std::vector<Finding*> all;
  all.reserve(findings.size() + more.size());
  for (Finding& finding : findings) all.push_back(&finding);
  for (Finding& finding : more) all.push_back(&finding);
  hash_first_lines(bytes, all);
}

void add_line_hashes_from_files(std::span<Finding> findings, std::span<Finding> more) {
  std::map<std::string, std::vector<Finding*>> by_path;
  // Findings hashed already (while their file was in memory) are left as they are.
  for (Finding& finding : findings) {
    if (finding.line_hash.empty()) by_path[finding.path.str()].push_back(&finding);
  }
  for (Finding& finding : more) {
    if (finding.line_hash.empty()) by_path[finding.path.str()].push_back(&finding);
  }
  for (const auto& [path, in_file] : by_path) {
    io::WholeFile file = io::read_whole_file(path);
    if (file) hash_first_lines(file.bytes, in_file);
  }
}

}  // namespace asyncsweep::report
