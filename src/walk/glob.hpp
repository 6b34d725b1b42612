// Glob matching with the syntax and semantics of ripgrep's globset (the oracle for -g globs,
// ignore-file lines and type globs), compiled once and matched without allocating.
//
// Syntax: `?` one character, `*` any run, `[...]`/`[!...]`/`[^...]` classes with ranges (no
// escapes inside a class, `]` or `-` first is literal, a reversed range is an error),
// `{a,b}` alternation (not nested; empty alternatives are dropped), `\x` escapes x, and `**`
// when it forms a whole path component: leading `**/` (any number of leading directories),
// middle `/**/` (zero or more directories), trailing `/**` (everything below). A `**` that is
// not a whole component is two `*`. A glob that is just `**` matches everything.
// With `literal_separator`, `*` and `?` never match '/'; classes may (as in globset).
// Matching is byte-wise, like globset's `(?-u)` regexes: `?` is one byte, so it does not match
// a two-byte UTF-8 character, and neither does a class naming one.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::walk {

// The message is globset's wording of the problem, e.g. "unclosed character class; missing ']'".
class GlobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Glob {
 public:
  Glob() = default;  // matches nothing

  // Throws GlobError.
  static Glob compile(std::string_view pattern, bool literal_separator = true);

  bool matches(std::string_view text) const {
    // Most candidates fail on the first or last byte that the pattern requires: check those
    // inline before the real matcher.
    if (last_byte_ >= 0 &&
        (text.empty() || static_cast<unsigned char>(text.back()) != last_byte_)) {
      return false;
    }
    if (first_byte_ >= 0 &&
        (text.empty() || static_cast<unsigned char>(text.front()) != first_byte_)) {
      return false;
    }
    return matches_slow(text);
  }

  // matches() without the inline first/last byte checks, adding to `steps` the number of
  // backtracking steps the memoised matcher took: lets tests bound the work structurally
  // (at most tokens x (length + 1) states, each expanded once) instead of timing it.
  bool matches_counting_steps(std::string_view text, std::uint64_t& steps) const;

  // True when some `[!...]` class could match a '/' (globset lets it), which makes a pattern
  // without slashes unsafe to match against a basename alone.
  bool has_negated_class() const { return has_negated_class_; }

 private:
  enum class Kind : std::uint8_t { lit, any, star, cls, rec_prefix, rec_mid, rec_suffix };
  struct Tok {
    Kind kind;
    std::uint32_t a = 0;  // lit: offset in lits_; cls: index in classes_
    std::uint32_t b = 0;  // lit: length
  };
  struct Class {
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // byte values, as globset's (?-u) regex
  };
  enum class Fast : std::uint8_t { general, literal, suffix, prefix, star, everything };
  struct Seq {  // one alternative after brace expansion
    std::vector<Tok> toks;
    Fast fast = Fast::general;
    std::uint32_t branch_points = 0;  // star and ** tokens
    Tok required{Kind::lit};          // the longest literal (length 0 if none)
  };
  struct Memo;

  bool matches_slow(std::string_view text) const;
  bool match_seq(const Seq& s, std::string_view t, std::uint64_t* steps = nullptr) const;
  bool match_at(const Seq& s, std::size_t ti, std::string_view t, std::size_t pos,
                Memo* memo) const;
  bool class_matches(const Class& c, char32_t ch) const;
  std::string_view lit(const Tok& t) const { return std::string_view(lits_).substr(t.a, t.b); }

  friend class GlobParser;
  std::vector<Seq> seqs_;
  std::string lits_;
  std::vector<Class> classes_;
  bool literal_separator_ = true;
  bool has_negated_class_ = false;
  int first_byte_ = -1;  // a byte every match starts with, or -1
  int last_byte_ = -1;   // a byte every match ends with, or -1
};

}  // namespace asyncsweep::walk
