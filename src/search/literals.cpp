#include "search/literals.hpp"

#include <algorithm>
#include <cstring>

namespace asyncsweep::search {

namespace {

constexpr std::size_t kMinLiteral = 3;

bool is_meta(char c) { return std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos; }

// Parses a group body that is a pure alternation of literals, e.g. "close|aclose".
bool literal_alternatives(std::string_view body, std::vector<std::string>& out) {
  std::string current;
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '|') {
      out.push_back(current);
      current.clear();
    } else if (c == '\\' && i + 1 < body.size() && !std::isalnum(static_cast<unsigned char>(body[i + 1]))) {
      current += body[++i];
    } else if (is_meta(c)) {
      return false;
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return std::none_of(out.begin(), out.end(), [](const std::string& s) { return s.empty(); });
}

// Visits the characters of `regex` from `from` on that are outside escapes and character
// classes, with the group depth before each; returns the index where `visit` says stop.
template <typename Visit>
std::size_t scan_structure(std::string_view regex, std::size_t from, Visit visit) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = from; i < regex.size(); ++i) {
    char c = regex[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      continue;
    }
    if (visit(i, c, depth)) return i;
    if (c == '(') ++depth;
    else if (c == ')') --depth;
  }
  return std::string_view::npos;
}

std::size_t matching_paren(std::string_view regex, std::size_t open) {
  return scan_structure(regex, open, [](std::size_t, char c, int depth) { return c == ')' && depth == 1; });
}

bool quantifier_at(std::string_view regex, std::size_t i, bool& optional) {
  if (i >= regex.size()) return false;
  char c = regex[i];
  if (c == '*' || c == '?') {
    optional = true;
    return true;
  }
  if (c == '+') {
    optional = false;
    return true;
  }
  if (c == '{') {
    optional = i + 1 < regex.size() && regex[i + 1] == '0';
    return true;
  }
  return false;
}

// Index just past the quantifier at i (with a lazy/possessive suffix), or i when none.
std::size_t skip_quantifier(std::string_view regex, std::size_t i) {
  if (i >= regex.size()) return i;
  if (regex[i] == '{') {
    std::size_t close = regex.find('}', i);
    i = close == std::string_view::npos ? regex.size() : close + 1;
  } else if (regex[i] == '*' || regex[i] == '+' || regex[i] == '?') {
    ++i;
  } else {
    return i;
  }
  if (i < regex.size() && (regex[i] == '?' || regex[i] == '+')) ++i;
  return i;
}

}  // namespace

namespace {
std::vector<Requirement> required_literals_of_branch(std::string_view regex);

// Splits a pattern at its top-level `|` (outside groups and classes).
std::vector<std::string_view> top_level_branches(std::string_view regex) {
  std::vector<std::string_view> branches;
  std::size_t start = 0;
  scan_structure(regex, 0, [&](std::size_t i, char c, int depth) {
    if (c == '|' && depth == 0) {
      branches.push_back(regex.substr(start, i - start));
      start = i + 1;
    }
    return false;
  });
  branches.push_back(regex.substr(start));
  return branches;
}
}  // namespace

// `(?i)`, `(?s:...)`, `(?-x)`: inline options can change what a literal means.
bool has_inline_options(std::string_view regex) {
  for (std::size_t at = regex.find("(?"); at != std::string_view::npos; at = regex.find("(?", at + 2)) {
    if (at > 0 && regex[at - 1] == '\\') continue;
    char c = at + 2 < regex.size() ? regex[at + 2] : ')';
    if (std::isalpha(static_cast<unsigned char>(c)) && c != 'P') return true;
    if (c == '-' || c == '^' || c == '#') return true;
  }
  return false;
}

std::vector<Requirement> required_literals(std::string_view regex) {
  if (has_inline_options(regex)) return {};
  std::vector<std::string_view> branches = top_level_branches(regex);
  if (branches.size() == 1) return required_literals_of_branch(regex);
  // One branch must match, so one of the branches' literals must occur: from each branch take
  // its most selective requirement (the longest shortest literal) and require any of them.
  Requirement any;
  for (std::string_view branch : branches) {
    std::vector<Requirement> own = required_literals_of_branch(branch);
    if (own.empty()) return {};
    auto shortest = [](const Requirement& r) {
      std::size_t n = ~std::size_t{0};
      for (const auto& s : r) n = std::min(n, s.size());
      return n;
    };
    const Requirement* best = &own.front();
    for (const auto& r : own) {
      if (shortest(r) > shortest(*best)) best = &r;
    }
    any.insert(any.end(), best->begin(), best->end());
  }
  return {any};
}

namespace {

// One branch: no top-level `|` (required_literals splits there first).
std::vector<Requirement> required_literals_of_branch(std::string_view regex) {
  std::vector<Requirement> out;
  std::string run;
  auto flush = [&] {
    if (run.size() >= kMinLiteral) out.push_back({run});
    run.clear();
  };
  std::size_t i = 0;
  while (i < regex.size()) {
    char c = regex[i];
    std::string piece;
    bool literal = false;
    std::size_t next = i + 1;
    if (c == '\\' && i + 1 < regex.size()) {
      char e = regex[i + 1];
      next = i + 2;
      if (!std::isalnum(static_cast<unsigned char>(e))) {
        piece = std::string(1, e);
        literal = true;
      } else if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z' || e == 'G') {
        i = next;  // zero-width: the run of literals around it stays adjacent
        continue;
      } else {
        // \n, \w, \d, \s, \x.., \p{..}: not a literal; skip escape arguments conservatively.
        flush();
        if (e == 'x' || e == 'p' || e == 'P' || e == 'o' || e == 'N') return out;  // escapes with arguments
        i = skip_quantifier(regex, next);
        continue;
      }
    } else if (c == '^' || c == '$') {
      i = next;
      continue;
    } else if (c == '(') {
      std::size_t close = matching_paren(regex, i);
      if (close == std::string_view::npos) return {};
      std::string_view body = regex.substr(i + 1, close - i - 1);
      next = close + 1;
      bool optional = false;
      bool quantified = quantifier_at(regex, next, optional);
      flush();
      std::vector<std::string> alternatives;
      if (!quantified || !optional) {
        if (body.starts_with("?:")) body.remove_prefix(2);
        if (!body.starts_with("?") && literal_alternatives(body, alternatives)) {
          bool all_long = std::all_of(alternatives.begin(), alternatives.end(),
                                      [](const std::string& s) { return s.size() >= kMinLiteral; });
          if (all_long) out.push_back(alternatives);
        }
      }
      i = skip_quantifier(regex, next);
      continue;
    } else if (c == '[' || c == '.') {
      flush();
      if (c == '[') {
        std::size_t j = i + 1;
        if (j < regex.size() && regex[j] == '^') ++j;
        if (j < regex.size() && regex[j] == ']') ++j;
        while (j < regex.size() && regex[j] != ']') j += regex[j] == '\\' ? 2 : 1;
        next = j + 1;
      }
      i = skip_quantifier(regex, next);
      continue;
    } else if (is_meta(c)) {
      // A stray quantifier or other meta: stop here, conservatively.
      flush();
      return out;
    } else {
      piece = std::string(1, c);
      literal = true;
    }
    if (literal) {
      if (skip_quantifier(regex, next) != next) {
        // A quantified character is not reliably part of the run: end the run before it.
        flush();
        i = skip_quantifier(regex, next);
        continue;
      }
      run += piece;
    }
    i = next;
  }
  flush();
  return out;
}

}  // namespace

namespace {

// Rough rank of a byte's frequency in Python source (higher: more frequent). Letters and
// punctuation that are rare in code make the best anchors.
int frequency(unsigned char c) {
  static constexpr std::string_view kByFrequency =
      " etaosinrldc_\n(),.:upmf=hg'\"y[]bwTkSvECxAIRN0F1DLPO#M2-*BGqzjHUW3V{}+<>Kj%9@&\\|!^~`$?;";
  std::size_t at = kByFrequency.find(static_cast<char>(c));
  return at == std::string_view::npos ? 0 : static_cast<int>(kByFrequency.size() - at);
}

}  // namespace

namespace {

constexpr unsigned kHashBits = 18;  // 2^18 bits = 32 KiB: stays in L1/L2 while scanning
// Up to this many literals, one memmem each is cheaper than the hashed scan (measured on the
// stdlib: memmem runs at several GB/s, the hashed scan at about 0.7 GB/s whatever the count).
constexpr std::size_t kFewLiterals = 6;

inline std::uint32_t triple_hash(const unsigned char* p) {
  std::uint32_t v = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                    (static_cast<std::uint32_t>(p[2]) << 16);
  return (v * 2654435761u) >> (32 - kHashBits);
}

}  // namespace

LiteralSet::LiteralSet(std::vector<std::string> literals)
    : literals_(std::move(literals)), pair_bits_((std::size_t{1} << kHashBits) / 64, 0) {
  for (std::uint32_t index = 0; index < literals_.size(); ++index) {
    const std::string& literal = literals_[index];
    if (literal.size() < 3) {
      if (!literal.empty()) short_literals_.push_back(index);
      continue;  // an empty literal is never required (the loader rejects them)
    }
    // Anchor on the rarest three bytes of the literal.
    std::size_t best = 0;
    long best_cost = -1;
    for (std::size_t k = 0; k + 2 < literal.size(); ++k) {
      long cost = static_cast<long>(frequency(static_cast<unsigned char>(literal[k])) + 1) *
                  (frequency(static_cast<unsigned char>(literal[k + 1])) + 1) *
                  (frequency(static_cast<unsigned char>(literal[k + 2])) + 1);
      if (best_cost < 0 || cost < best_cost) {
        best_cost = cost;
        best = k;
      }
    }
    std::uint32_t hash = triple_hash(reinterpret_cast<const unsigned char*>(literal.data()) + best);
    pair_bits_[hash >> 6] |= std::uint64_t{1} << (hash & 63);
    anchors_.push_back({hash, index, static_cast<std::uint32_t>(best)});
  }
  std::sort(anchors_.begin(), anchors_.end(), [](const Anchor& a, const Anchor& b) { return a.key < b.key; });
}

void LiteralSet::scan(std::string_view text, std::vector<std::uint8_t>& found) const {
  found.assign(literals_.size(), 0);
  if (literals_.size() <= kFewLiterals) {
    // A handful of literals: glibc's vectorised memmem per literal beats one hashed pass.
    for (std::size_t i = 0; i < literals_.size(); ++i) {
      const std::string& literal = literals_[i];
      found[i] = ::memmem(text.data(), text.size(), literal.data(), literal.size()) != nullptr;
    }
    return;
  }
  for (std::uint32_t index : short_literals_) {
    found[index] = text.find(literals_[index]) != std::string_view::npos;
  }
  if (anchors_.empty() || text.size() < 3) return;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::uint64_t* bits = pair_bits_.data();
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
      }
    }
  }
}

}  // namespace asyncsweep::search
