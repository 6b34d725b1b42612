// Stage 2 of the fast structure pass: ModelBuilder<true>'s skim (see the comment above
// quiet() in builder.hpp) over stage 1's masks (structure_masks.hpp).
#include <array>

#include "python/builder.hpp"

namespace asyncsweep::python::detail {
namespace {

// What a byte that stage 1 tells skim() to visit is to it.
enum SkimClass : std::uint8_t {
  kSkimStop,
  kSkimOpen,
  kSkimClose,
  kSkimCommaAssign,
  kSkimColon,
  kSkimName
};

constexpr std::array<std::uint8_t, 256> make_skim_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t k = kSkimStop;
    if (c == '(' || c == '[' || c == '{')
      k = kSkimOpen;
    else if (c == ')' || c == ']' || c == '}')
      k = kSkimClose;
    else if (c == ',' || c == '=')
      k = kSkimCommaAssign;
    else if (c == ':')
      k = kSkimColon;
    else if (kClass[static_cast<std::size_t>(c)] == kIdent)
      k = kSkimName;
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}
constexpr auto kSkimClass = make_skim_classes();

// By a known name's first letter (low five bits): the set of its second letters' low five bits.
constexpr std::array<std::uint32_t, 32> make_second_letters() {
  std::array<std::uint32_t, 32> t{};
  for (std::size_t i = 1; i < std::size(kKnownNames); ++i) {
    const auto* w = kKnownNames[i].text;
    t[static_cast<unsigned char>(w[0]) & 31u] |= 1u << (static_cast<unsigned char>(w[1]) & 31u);
  }
  return t;
}
constexpr auto kSecondLetters = make_second_letters();

}  // namespace

template <>
const BlockMasks& ModelBuilder<true>::masks_at(std::uint32_t block) {
  if (block != masks_block_) {
    masks_block_ = block;
    if (block + 64 <= n_) {
      masks_ = simd_ ? block_masks_simd(s_ + block) : block_masks_portable(s_ + block);
    } else {  // the tail, padded with NULs, which always stop a skim
      char pad[64] = {};
      for (std::uint32_t i = block; i < n_; ++i) pad[i - block] = s_[i];
      masks_ = simd_ ? block_masks_simd(pad) : block_masks_portable(pad);
    }
  }
  return masks_;
}

// A closer at the depth the skim started from: handled in place unless it closes a scope
// (the lexer's, which needs last_end_) or a replacement field.
template <>
bool ModelBuilder<true>::close_in_place(char c) {
  if (frames_.empty()) return true;
  if (frames_.back().kind == kField) return c != '}';
  if (frames_.back().kind > kBrace) return true;
  if (open_.size() > 1 && open_.back().depth > frames_.size() - 1) return false;
  frames_.pop_back();
  return true;
}

// Whether the name at `at` may be one name_id knows: its first two letters are those of one
// (compared on their low five bits: a false positive only costs a name_id).
template <>
bool ModelBuilder<true>::maybe_known_name(std::uint32_t at) const {
  const auto d = static_cast<unsigned char>(at + 1 < n_ ? s_[at + 1] : '\0');
  return kSecondLetters[static_cast<unsigned char>(s_[at]) & 31u] >> (d & 31u) & 1u;
}

// The end of the plain string whose opening quote is at `at` (one past its closing quote), or
// 0 where the lexer must take it: triple-quoted, or not closed on its line (unterminated, or
// continued by a backslash before the line break).
template <>
std::uint32_t ModelBuilder<true>::plain_string_end(std::uint32_t at) const {
  const char q = s_[at];
  if (at + 2 < n_ && s_[at + 1] == q && s_[at + 2] == q) return 0;
  std::uint32_t r = at + 1;
  for (;;) {
    r = q == '"' ? skip_to_stop<'"', '\\', '\n', '\r'>(s_, r, n_)
                 : skip_to_stop<'\'', '\\', '\n', '\r'>(s_, r, n_);
    if (r >= n_) return 0;
    const char c = s_[r];
    if (c == q) return r + 1;
    if (c != '\\' || r + 1 >= n_ || is_nl(s_[r + 1])) return 0;
    r += 2;  // an escaped byte, even in what would be a raw string
  }
}

template <>
bool ModelBuilder<true>::skim() {
  const std::uint32_t a = p_;
  std::uint32_t q = n_;
  const std::uint8_t state = open_.back().state;
  const bool comma_plain = state != kLambdaBody;  // `,` and `=` end lambda bodies
  const bool colon_plain = comma_plain && state != kHeader && state != kLambdaHeader;
  bool field_top = !frames_.empty() && frames_.back().kind == kField;
  // `,` `=` `:` that need nothing are not even visited. A `:` needs a look only where a
  // replacement field may become the innermost frame during the skim (a `}` may close it).
  bool field_open = false;
  for (const Frame& f : frames_) field_open |= f.kind == kField;
  const bool skip_comma_assign = comma_plain;
  const bool skip_colon = colon_plain && !field_open;
  // A `(` right after a lexed gather/create_task/TaskGroup is a call the lexer counts.
  const std::uint8_t prev = hist(0);
  const bool counted_call =
      !run_pending_ && (prev == kIdGather || prev == kIdCreateTask || prev == kIdTaskGroup);
  // Brackets opened here and still open. Their kind is never read again (closers pop any
  // bracket), so they become kParen frames when the skim ends.
  std::uint32_t opened = 0;
  std::uint64_t carry = 0;  // the previous block ends in a name byte
  bool found = false;
  // Plain strings are taken in place: `from` is where the next token starts (a, or the byte
  // after a string), `seg` where the run's code after the last string starts, and `code`
  // whether the run holds a token other than a string (which marks its line kLineCode).
  std::uint32_t from = a, seg = a;
  bool code = false;
  // Line breaks inside brackets are taken in place too (not inside a replacement field, where
  // a single-quoted f-string would end): `line_start` is where the current line's part of
  // the run starts, `last_line` the last earlier line with a token of the run.
  const bool breaks_plain = !field_open;
  std::uint32_t line_start = a, last_line = line_;
  std::uint32_t block = a & ~63u;
  while (block < n_ && !found) {
    const BlockMasks m = masks_at(block);
    // `from` starts a token whatever precedes it; elsewhere a digit or letter after a name
    // byte continues the name.
    const std::uint32_t first = block < from ? from - block : 0;
    const std::uint64_t start_bit = block <= from ? std::uint64_t{1} << first : 0;
    const std::uint64_t prev_ident = (m.ident << 1 | carry) & ~start_bit;
    std::uint64_t next_dd = 0;  // the block ends in `.` and a digit or `.` follows
    if (m.dot >> 63 && block + 64 < n_)
      next_dd = s_[block + 64] == '.' || (s_[block + 64] >= '0' && s_[block + 64] <= '9');
    const std::uint64_t before_dd = (m.digit | m.dot) >> 1 | next_dd << 63;
    const std::uint64_t unvisited =
        (skip_comma_assign ? m.comma_assign : 0) | (skip_colon ? m.colon : 0);
    std::uint64_t visit = ((~m.plain & ~unvisited) | (m.digit & ~prev_ident) | (m.dot & before_dd) |
                           (m.kfirst & ~prev_ident)) &
                          (~std::uint64_t{0} << first);
    bool resumed = false;
    for (; visit != 0; visit &= visit - 1) {
      const std::uint32_t at = block + static_cast<std::uint32_t>(__builtin_ctzll(visit));
      if (at >= n_) break;  // the padding
      const char c = s_[at];
      // Tested in order of frequency: a jump table mispredicts on most visits.
      const std::uint8_t kind = kSkimClass[static_cast<unsigned char>(c)];
      bool plain;
      if (kind == kSkimOpen) {
        plain = !(c == '(' && at == a && counted_call);
        opened += plain;
      } else if (kind == kSkimClose) {
        if (opened > 0) {
          --opened;
          plain = true;
        } else {
          plain = close_in_place(c);
          field_top = !frames_.empty() && frames_.back().kind == kField;
        }
      } else if (kind == kSkimCommaAssign) {
        plain = comma_plain;
      } else if (kind == kSkimName) {
        plain = !maybe_known_name(at) ||
                name_id(s_ + at, skip_identifier(s_, at + 1, n_) - at, n_ - at) == kIdName;
      } else if (kind == kSkimColon) {
        plain = colon_plain && (opened > 0 || !field_top);
      } else if (c == '\'' || c == '"') {  // tested apart from `kind`: no jump table
        // Without a prefix (a name byte before it), not triple-quoted, ended on its line.
        const std::uint32_t end = (prev_ident >> (at - block) & 1) ? 0 : plain_string_end(at);
        if (end != 0) {
          std::uint32_t b = at;
          while (b > seg && kClass[static_cast<unsigned char>(s_[b - 1])] == kSpace) --b;
          code |= b > seg;
          emit_span(at, end, line_, Region::String, 0);
          from = seg = end;
          resumed = true;
          break;
        }
        plain = false;
      } else if (is_nl(c)) {
        if (breaks_plain && frames_.size() + opened > 0) {
          std::uint32_t b = at;
          while (b > line_start && kClass[static_cast<unsigned char>(s_[b - 1])] == kSpace) --b;
          if (b > line_start) last_line = line_;
          if ((code || b > seg) && code_line_ != line_) {
            code_line_ = line_;
            mark(line_, kLineCode);
          }
          p_ = at;
          take_newline();
          from = seg = line_start = p_;
          code = false;
          resumed = true;
          break;
        }
        plain = false;
      } else {
        plain = false;  // digits and dots visited start a number or `...`
      }
      if (!plain) {
        q = at;
        found = true;
        break;
      }
    }
    if (resumed) {  // after a string or a line break, perhaps in a later block
      block = from & ~63u;
      carry = 0;  // `from` starts a token: the bit before it is never read
      continue;
    }
    carry = m.ident >> 63;
    block += 64;
  }
  for (; opened > 0; --opened) frames_.push_back({kParen, 0, false, false, 0, 0});
  if (q < n_) {
    const auto cls = kClass[static_cast<unsigned char>(s_[q])];
    if (cls == kQuote) {  // a string's prefix is the string's
      while (q > a && is_ident_cont(static_cast<unsigned char>(s_[q - 1]))) --q;
    } else if (s_[q] == '=') {  // `<=`, `+=`, ... are one token
      while (q > a && kOperators.find(s_[q - 1]) != std::string_view::npos) --q;
    }
  }
  std::uint32_t e = q;
  while (e > a && (kClass[static_cast<unsigned char>(s_[e - 1])] == kSpace || is_nl(s_[e - 1])))
    --e;
  p_ = q;
  if (e == a) return q > a;
  ++tokens_in_logical_;  // read only as 0, 1 or more
  if ((code || e > seg) && code_line_ != line_) {
    code_line_ = line_;
    mark(line_, kLineCode);
  }
  last_end_ = e;
  last_end_line_ = e > line_start ? line_ : last_line;
  // The history needs only whether the last skipped token is a lone `.` and whether it was
  // the only one (see resolve_skipped).
  std::uint32_t dots = 0;
  if (s_[e - 1] == '.') {
    while (e - dots > a && s_[e - dots - 1] == '.') ++dots;
  }
  run_many_ = run_pending_ || e - a > 1;
  run_last_dot_ = dots % 3 != 0;
  run_pending_ = true;
  return true;
}

}  // namespace asyncsweep::python::detail
