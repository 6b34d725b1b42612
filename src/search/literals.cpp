#include "search/literals.hpp"

#include <algorithm>
#include <array>
#include <cmath>
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
        } else if (!body.starts_with("?")) {
          // A group every match goes through: whatever its body requires, the regex requires
          // (`(socket\..*\.connect|socket\..*\.recv)` needs socket. or .recv, ...).
          std::vector<Requirement> inner = required_literals(body);
          out.insert(out.end(), inner.begin(), inner.end());
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

Requirement simplify(Requirement alternatives) {
  std::sort(alternatives.begin(), alternatives.end(),
            [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
  alternatives.erase(std::unique(alternatives.begin(), alternatives.end()), alternatives.end());
  Requirement kept;
  for (const auto& literal : alternatives) {
    bool covered = std::any_of(kept.begin(), kept.end(), [&](const std::string& shorter) {
      return literal.find(shorter) != std::string::npos;
    });
    if (!covered) kept.push_back(literal);
  }
  return kept;
}

double byte_frequency(unsigned char byte) {
  // Bytes by frequency in the CPython 3.11 standard library, most frequent first; a byte of
  // rank r has a share of about 5% x 0.95^r (space: 28%), bytes not listed about 0.01%.
  static const std::array<double, 256> kShare = [] {
    constexpr std::string_view kByFrequency =
        " etarlonisfcd\n_.()pu',mhg\"=:b0ExyTw1k-I#ANv2RLS\\Cq[]OPFD3>M45*U/B8z6HG9j7+W%V{}<XKY@;Z|!?`QJ&^$~";
    std::array<double, 256> share{};
    share.fill(1e-4);
    for (std::size_t rank = 0; rank < kByFrequency.size(); ++rank) {
      share[static_cast<unsigned char>(kByFrequency[rank])] =
          rank == 0 ? 0.28 : 0.05 * std::pow(0.95, static_cast<double>(rank));
    }
    return share;
  }();
  return kShare[byte];
}

double estimated_frequency(std::string_view literal) {
  double share = 1.0;
  for (char c : literal) share *= byte_frequency(static_cast<unsigned char>(c));
  return share;
}

double estimated_frequency(const Requirement& alternatives) {
  double share = 0;
  for (const auto& literal : alternatives) share += estimated_frequency(literal);
  return std::min(share, 1.0);
}

}  // namespace asyncsweep::search
