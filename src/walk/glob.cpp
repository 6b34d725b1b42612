#include "walk/glob.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace asyncsweep::walk {

// A token while parsing: one byte of literal, a wildcard, a class or an alternation group.
// Outside the anonymous namespace: GlobParser (a friend of Glob, so not anonymous itself)
// holds them, and a unity build would warn about a named class with anonymous members.
struct PTok {
  enum class K : std::uint8_t { byte, any, star, cls, rec_prefix, rec_mid, rec_suffix, alt };
  K k;
  unsigned char ch = 0;   // byte
  std::uint32_t idx = 0;  // cls: class index; alt: group index
};
using PSeq = std::vector<PTok>;

namespace {

constexpr std::size_t kMaxAlternatives = 1024;

bool is_sep(int c) { return c == '/'; }

}  // namespace

// Mirrors globset's parser (ripgrep 13): a stack of token lists, where entries beyond the first
// are the branches of the one open `{...}` group.
class GlobParser {
 public:
  GlobParser(std::string_view pattern, Glob& out) : pat_(pattern), out_(out) {}

  void parse() {
    stack_.emplace_back();
    while (next()) {
      const unsigned char c = static_cast<unsigned char>(cur_);
      switch (c) {
        case '?':
          push({PTok::K::any});
          break;
        case '*':
          parse_star();
          break;
        case '[':
          parse_class();
          break;
        case '{':
          if (stack_.size() > 1) throw GlobError("nested alternate groups are not allowed");
          stack_.emplace_back();
          break;
        case '}':
          pop_alternate();
          break;
        case ',':
          if (stack_.size() <= 1) {
            push({PTok::K::byte, ','});
          } else {
            stack_.emplace_back();
          }
          break;
        case '\\':
          if (!next()) throw GlobError("dangling '\\'");
          push({PTok::K::byte, static_cast<unsigned char>(cur_)});
          break;
        default:
          push({PTok::K::byte, c});
          break;
      }
    }
    if (stack_.size() > 1) {
      throw GlobError("unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)");
    }
    expand();
  }

 private:
  bool next() {
    if (pos_ >= pat_.size()) {
      prev_ = cur_;
      cur_ = -1;
      return false;
    }
    prev_ = cur_;
    cur_ = static_cast<unsigned char>(pat_[pos_++]);
    return true;
  }
  int peek() const { return pos_ < pat_.size() ? static_cast<unsigned char>(pat_[pos_]) : -1; }
  void push(PTok t) { stack_.back().push_back(t); }
  bool have_tokens() const { return !stack_.back().empty(); }

  void parse_star() {
    const int prev = prev_;
    if (peek() != '*') {
      push({PTok::K::star});
      return;
    }
    next();  // the second '*'
    if (!have_tokens()) {
      if (peek() != -1 && !is_sep(peek())) {
        push({PTok::K::star});
        push({PTok::K::star});
      } else {
        push({PTok::K::rec_prefix});
        next();  // the separator, if any
      }
      return;
    }
    if (!is_sep(prev)) {
      push({PTok::K::star});
      push({PTok::K::star});
      return;
    }
    bool is_suffix;
    const int p = peek();
    if (p == -1) {
      is_suffix = true;
    } else if ((p == ',' || p == '}') && stack_.size() >= 2) {
      is_suffix = true;
    } else if (is_sep(p)) {
      next();
      is_suffix = false;
    } else {
      push({PTok::K::star});
      push({PTok::K::star});
      return;
    }
    const PTok popped = stack_.back().back();
    stack_.back().pop_back();
    if (popped.k == PTok::K::rec_prefix) {
      push({PTok::K::rec_prefix});
    } else if (popped.k == PTok::K::rec_suffix) {
      push({PTok::K::rec_suffix});
    } else {
      push({is_suffix ? PTok::K::rec_suffix : PTok::K::rec_mid});
    }
  }

  void parse_class() {
    Glob::Class cls;
    if (peek() == '!' || peek() == '^') {
      next();
      cls.negated = true;
    }
    bool first = true;
    bool in_range = false;
    auto extend_last = [&](char32_t c) {
      auto& r = cls.ranges.back();
      r.second = c;
      if (r.second < r.first) {
        throw GlobError(std::string("invalid range; '") + static_cast<char>(r.first) + "' > '" +
                        static_cast<char>(r.second) + "'");
      }
    };
    for (;;) {
      if (!next()) throw GlobError("unclosed character class; missing ']'");
      const auto c = static_cast<char32_t>(cur_);
      if (c == ']') {
        if (!first) break;
        cls.ranges.emplace_back(c, c);
      } else if (c == '-') {
        if (first) {
          cls.ranges.emplace_back(c, c);
        } else if (in_range) {
          extend_last(c);
          in_range = false;
        } else {
          in_range = true;
        }
      } else {
        if (in_range) {
          extend_last(c);
        } else {
          cls.ranges.emplace_back(c, c);
        }
        in_range = false;
      }
      first = false;
    }
    if (in_range) cls.ranges.emplace_back(U'-', U'-');
    if (cls.negated) out_.has_negated_class_ = true;
    out_.classes_.push_back(std::move(cls));
    push({PTok::K::cls, 0, static_cast<std::uint32_t>(out_.classes_.size() - 1)});
  }

  void pop_alternate() {
    std::vector<PSeq> alts;
    while (stack_.size() >= 2) {
      alts.push_back(std::move(stack_.back()));
      stack_.pop_back();
    }
    // globset drops empty alternatives (so `}` alone, or `{}`, matches the empty string).
    std::vector<PSeq> kept;
    for (auto it = alts.rbegin(); it != alts.rend(); ++it) {
      if (!it->empty()) kept.push_back(std::move(*it));
    }
    if (kept.empty()) kept.emplace_back();
    groups_.push_back(std::move(kept));
    push({PTok::K::alt, 0, static_cast<std::uint32_t>(groups_.size() - 1)});
  }

  // Brace expansion into flat sequences, then literal runs are merged.
  void expand() {
    std::vector<PSeq> seqs(1);
    for (const PTok& t : stack_.front()) {
      if (t.k != PTok::K::alt) {
        for (auto& s : seqs) s.push_back(t);
        continue;
      }
      const auto& branches = groups_[t.idx];
      if (seqs.size() * branches.size() > kMaxAlternatives) {
        throw GlobError("too many alternatives (more than 1024 after expanding {...})");
      }
      std::vector<PSeq> grown;
      grown.reserve(seqs.size() * branches.size());
      for (const auto& s : seqs) {
        for (const auto& b : branches) {
          PSeq n = s;
          n.insert(n.end(), b.begin(), b.end());
          grown.push_back(std::move(n));
        }
      }
      seqs = std::move(grown);
    }
    const bool only_rec_prefix =
        groups_.empty() && stack_.front().size() == 1 && stack_.front()[0].k == PTok::K::rec_prefix;
    for (const PSeq& ps : seqs) {
      Glob::Seq s;
      for (const PTok& t : ps) {
        switch (t.k) {
          case PTok::K::byte:
            if (!s.toks.empty() && s.toks.back().kind == Glob::Kind::lit) {
              out_.lits_.push_back(static_cast<char>(t.ch));
              ++s.toks.back().b;
            } else {
              s.toks.push_back({Glob::Kind::lit, static_cast<std::uint32_t>(out_.lits_.size()), 1});
              out_.lits_.push_back(static_cast<char>(t.ch));
            }
            break;
          case PTok::K::any:
            s.toks.push_back({Glob::Kind::any});
            break;
          case PTok::K::star:
            s.toks.push_back({Glob::Kind::star});
            break;
          case PTok::K::cls:
            s.toks.push_back({Glob::Kind::cls, t.idx});
            break;
          case PTok::K::rec_prefix:
            s.toks.push_back({Glob::Kind::rec_prefix});
            break;
          case PTok::K::rec_mid:
            s.toks.push_back({Glob::Kind::rec_mid});
            break;
          case PTok::K::rec_suffix:
            s.toks.push_back({Glob::Kind::rec_suffix});
            break;
          case PTok::K::alt:
            break;  // expanded above
        }
      }
      // Collapse runs of '*' (two stars that are not a component mean one).
      std::vector<Glob::Tok> toks;
      for (const auto& t : s.toks) {
        if (t.kind == Glob::Kind::star && !toks.empty() && toks.back().kind == Glob::Kind::star) {
          continue;
        }
        toks.push_back(t);
      }
      s.toks = std::move(toks);
      for (const auto& t : s.toks) {
        if (t.kind == Glob::Kind::star || t.kind == Glob::Kind::rec_prefix ||
            t.kind == Glob::Kind::rec_mid || t.kind == Glob::Kind::rec_suffix) {
          ++s.branch_points;
        }
        if (t.kind == Glob::Kind::lit && t.b > s.required.b) s.required = t;
      }
      const auto& k = s.toks;
      if (only_rec_prefix) {
        s.fast = Glob::Fast::everything;
      } else if (k.empty() || (k.size() == 1 && k[0].kind == Glob::Kind::lit)) {
        s.fast = Glob::Fast::literal;
      } else if (k.size() == 1 && k[0].kind == Glob::Kind::star) {
        s.fast = Glob::Fast::star;
      } else if (k.size() == 2 && k[0].kind == Glob::Kind::star && k[1].kind == Glob::Kind::lit) {
        s.fast = Glob::Fast::suffix;
      } else if (k.size() == 2 && k[0].kind == Glob::Kind::lit && k[1].kind == Glob::Kind::star) {
        s.fast = Glob::Fast::prefix;
      }
      out_.seqs_.push_back(std::move(s));
    }
    // Bytes that every alternative starts or ends with, for Glob::matches' quick rejection.
    auto edge = [&](bool front) {
      int byte = -1;
      for (const Glob::Seq& s : out_.seqs_) {
        if (s.fast == Glob::Fast::everything || s.toks.empty()) return -1;
        const Glob::Tok& t = front ? s.toks.front() : s.toks.back();
        if (t.kind != Glob::Kind::lit) return -1;
        const int b = static_cast<unsigned char>(out_.lits_[front ? t.a : t.a + t.b - 1]);
        if (byte != -1 && byte != b) return -1;
        byte = b;
      }
      return byte;
    };
    out_.first_byte_ = edge(true);
    out_.last_byte_ = edge(false);
  }

  std::string_view pat_;
  Glob& out_;
  std::size_t pos_ = 0;
  int cur_ = -1;
  int prev_ = -1;
  std::vector<PSeq> stack_;
  std::vector<std::vector<PSeq>> groups_;
};

Glob Glob::compile(std::string_view pattern, bool literal_separator) {
  Glob g;
  g.literal_separator_ = literal_separator;
  GlobParser(pattern, g).parse();
  return g;
}

// Failed (token, position) pairs, so that patterns with several stars stay polynomial.
struct Glob::Memo {
  std::size_t width = 0;
  std::uint64_t steps = 0;              // calls of match_at: what matches_counting_steps reports
  std::array<std::uint64_t, 32> small;  // zeroed as far as needed
  std::vector<std::uint64_t> big;
  std::uint64_t* bits = nullptr;

  Memo(std::size_t tokens, std::size_t text_len) : width(text_len + 1) {
    const std::size_t words = (tokens * width + 63) / 64;
    if (words <= small.size()) {
      std::fill_n(small.begin(), words, 0);
      bits = small.data();
    } else {
      big.assign(words, 0);
      bits = big.data();
    }
  }
  bool failed(std::size_t ti, std::size_t pos) const {
    const std::size_t i = ti * width + pos;
    return (bits[i / 64] >> (i % 64)) & 1U;
  }
  void set_failed(std::size_t ti, std::size_t pos) {
    const std::size_t i = ti * width + pos;
    bits[i / 64] |= std::uint64_t{1} << (i % 64);
  }
};

bool Glob::matches_slow(std::string_view text) const {
  for (const Seq& s : seqs_) {
    if (match_seq(s, text)) return true;
  }
  return false;
}

bool Glob::matches_counting_steps(std::string_view text, std::uint64_t& steps) const {
  for (const Seq& s : seqs_) {
    if (match_seq(s, text, &steps)) return true;
  }
  return false;
}

bool Glob::match_seq(const Seq& s, std::string_view t, std::uint64_t* steps) const {
  auto no_sep = [&](std::string_view part) {
    return !literal_separator_ || part.find('/') == std::string_view::npos;
  };
  switch (s.fast) {
    case Fast::everything:
      return true;
    case Fast::literal:
      return s.toks.empty() ? t.empty() : t == lit(s.toks[0]);
    case Fast::star:
      return no_sep(t);
    case Fast::suffix: {
      const std::string_view l = lit(s.toks[1]);
      return t.size() >= l.size() && t.substr(t.size() - l.size()) == l &&
             no_sep(t.substr(0, t.size() - l.size()));
    }
    case Fast::prefix: {
      const std::string_view l = lit(s.toks[0]);
      return t.substr(0, l.size()) == l && no_sep(t.substr(l.size()));
    }
    case Fast::general:
      break;
  }
  // Every match contains the pattern's longest literal: a cheap way to reject most paths.
  if (s.required.b > 1 && t.find(lit(s.required)) == std::string_view::npos) return false;
  if (s.branch_points < 2) return match_at(s, 0, t, 0, nullptr);
  Memo memo(s.toks.size(), t.size());
  const bool ok = match_at(s, 0, t, 0, &memo);
  if (steps != nullptr) *steps += memo.steps;
  return ok;
}

bool Glob::class_matches(const Class& c, char32_t ch) const {
  bool in = false;
  for (const auto& r : c.ranges) {
    if (ch >= r.first && ch <= r.second) {
      in = true;
      break;
    }
  }
  return in != c.negated;
}

bool Glob::match_at(const Seq& s, std::size_t ti, std::string_view t, std::size_t pos,
                    Memo* memo) const {
  if (memo != nullptr) ++memo->steps;
  const std::size_t n = t.size();
  while (ti < s.toks.size()) {
    const Tok& k = s.toks[ti];
    switch (k.kind) {
      case Kind::lit: {
        const std::string_view l = lit(k);
        if (t.substr(pos, l.size()) != l) return false;
        pos += l.size();
        ++ti;
        continue;
      }
      case Kind::any:
        if (pos >= n || (literal_separator_ && t[pos] == '/')) return false;
        ++pos;
        ++ti;
        continue;
      case Kind::cls:
        if (pos >= n || !class_matches(classes_[k.a], static_cast<unsigned char>(t[pos]))) {
          return false;
        }
        ++pos;
        ++ti;
        continue;
      default:
        break;
    }
    // A branching token: try each way of consuming text, then the rest of the pattern.
    if (memo != nullptr && memo->failed(ti, pos)) return false;
    bool ok = false;
    switch (k.kind) {
      case Kind::star:
        if (ti + 1 == s.toks.size()) {
          ok = !literal_separator_ || t.find('/', pos) == std::string_view::npos;
          break;
        }
        {
          // The star eats t[pos, p) for every p up to the next '/' (or the end); when a literal
          // follows, only the places where it occurs are worth trying.
          const std::size_t limit = literal_separator_ ? std::min(n, t.find('/', pos)) : n;
          const Tok& next = s.toks[ti + 1];
          if (next.kind == Kind::lit) {
            const std::string_view l = lit(next);
            for (std::size_t p = t.find(l, pos); !ok && p != std::string_view::npos && p <= limit;
                 p = t.find(l, p + 1)) {
              ok = match_at(s, ti + 1, t, p, memo);
            }
          } else {
            for (std::size_t p = pos; !ok && p <= limit; ++p) ok = match_at(s, ti + 1, t, p, memo);
          }
        }
        break;
      case Kind::rec_prefix:  // (?:/?|.*/)
        ok = match_at(s, ti + 1, t, pos, memo);
        for (std::size_t q = pos; !ok && q < n; ++q) {
          if (t[q] == '/') ok = match_at(s, ti + 1, t, q + 1, memo);
        }
        break;
      case Kind::rec_mid:  // (?:/|/.*/)
        if (pos < n && t[pos] == '/') {
          for (std::size_t q = pos; !ok && q < n; ++q) {
            if (t[q] == '/') ok = match_at(s, ti + 1, t, q + 1, memo);
          }
        }
        break;
      case Kind::rec_suffix:  // (?:/?|/.*)
        ok = match_at(s, ti + 1, t, pos, memo);
        if (!ok && pos < n && t[pos] == '/') {
          for (std::size_t p = pos + 1; !ok && p <= n; ++p) ok = match_at(s, ti + 1, t, p, memo);
        }
        break;
      default:
        break;
    }
    if (!ok && memo != nullptr) memo->set_failed(ti, pos);
    return ok;
  }
  return pos == n;
}

}  // namespace asyncsweep::walk
