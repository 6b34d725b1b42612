// Internal to the Python line model: the builder behind LineModel::build and
// LineModel::build_reference, shared by builder.cpp (the pass) and skim.cpp (the fast
// structure pass's stage 2, ModelBuilder<true> only).
//
// The single pass: a byte-level lexer modelled on the CPython 3.12
// tokenizer, feeding a small structural state machine (indentation, scopes, docstrings,
// inventory) token by token. Tokens are never stored; only lines, string/comment spans, scopes
// and decorator texts are kept.
//
// Lexer modes are a stack of frames, as in the 3.12 tokenizer: brackets, and for PEP 701
// f-strings an FStr frame (literal text), a Field frame (a `{...}` replacement field, lexed as
// code) and a Spec frame (format-spec text after a top-level `:` in a field, which may hold
// nested fields). Logical lines end only at a line break with an empty stack.
#pragma once

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "python/lexer_tables.hpp"
#include "python/model.hpp"
#include "python/structure_masks.hpp"

namespace asyncsweep::python::detail {


struct Tok {
  std::uint32_t begin, end, line, end_line;
  std::uint8_t id;
  std::uint8_t flags;  // SpanFlag bits for string tokens
};

enum FrameKind : std::uint8_t { kParen, kBracket, kBrace, kFStr, kField, kSpec };

struct Frame {
  std::uint8_t kind;
  char quote;  // FStr/Field/Spec: the f-string's quote, triple-ness and raw-ness
  bool triple;
  bool raw;
  std::uint32_t lit_begin;  // FStr/Spec: start of the literal run being scanned
  std::uint32_t lit_line;
};

enum State : std::uint8_t {
  kModuleBody,
  kDecorators,    // placeholder opened at a decorator line, becomes the def/class that follows
  kHeader,        // def/class header, waiting for the `:` at its bracket depth
  kAfterColon,    // header done, body not started
  kSimpleBody,    // body on the header's logical line; ends with it
  kAwaitBody,     // header line ended, the body must be an indented block
  kBlock,         // indented body; ends when indentation drops to the def's level
  kLambdaHeader,  // parameters
  kLambdaBody,    // expression; ends at a terminator at the lambda's bracket depth
};

struct Open {
  std::uint32_t index;
  std::uint32_t depth;  // frame-stack size when the scope opened
  std::uint32_t level;  // indentation-stack size of the scope's own line
  std::uint8_t state;
  bool body_pending;
};

// Docstring candidate: the first statement of a body, accepted iff it is
// '('* STRING+ ')'* with balanced parentheses and only plain (non-f, non-bytes) literals.
struct Candidate {
  bool active = false, ok = false;
  std::uint8_t phase = 0;  // 0 opening parens, 1 strings, 2 closing parens
  std::uint32_t open = 0, close = 0, scope = 0;
  std::uint32_t first = 0, last = 0;
  bool any = false;
};

constexpr std::uint32_t kNone32 = 0xffffffffu;

template <bool Fast>
class ModelBuilder {
 public:
  ModelBuilder(LineModel& m, std::string_view src)
      : m_(m), s_(src.data()),
        n_(static_cast<std::uint32_t>(std::min<std::size_t>(src.size(), 0xfffffffeu))) {
    m_.source_ = src.substr(0, n_);
  }

  void run() {
    // A low estimate (real code averages 30-40 bytes a line): growth by doubling keeps the
    // capacity within 2x the line count either way.
    m_.lines_.reserve(n_ / 64 + 4);
    if (n_ >= 3 && static_cast<unsigned char>(s_[0]) == 0xEF &&
        static_cast<unsigned char>(s_[1]) == 0xBB && static_cast<unsigned char>(s_[2]) == 0xBF) {
      p_ = 3;
      m_.bom_ = true;
    }
    m_.lines_.push_back({0, 1, 0});
    Scope mod;
    mod.name = "<module>";
    m_.scopes_.push_back(mod);
    dead_.push_back(0);
    open_.push_back({0, 0, 1, kModuleBody, true});
    indents_.push_back(0);
    measure_indent();
    while (p_ < n_) {
      if (!frames_.empty()) {
        std::uint8_t k = frames_.back().kind;
        if (k == kFStr) { scan_fstring_text(false); continue; }
        if (k == kSpec) { scan_fstring_text(true); continue; }
      }
      code_step();
    }
    finish();
  }

 private:
  // ------------------------------------------------------------------ lines and spans
  void take_newline() {  // s_[p_] is '\n' or '\r'; a CR LF pair is one break
    p_ += (s_[p_] == '\r' && p_ + 1 < n_ && s_[p_ + 1] == '\n') ? 2 : 1;
    ++line_;
    line_begin_ = p_;
    m_.lines_.push_back({p_, line_, 0});
  }

  void mark(std::uint32_t line, std::uint8_t f) { m_.lines_[line - 1].flags |= f; }

  void mark_range(std::uint32_t from, std::uint32_t to, std::uint8_t f) {
    for (std::uint32_t l = from; l <= to; ++l) mark(l, f);
  }

  // Emits [b, e) as a span starting on line `bline`. The last byte may be the line break of
  // the previous line when e sits exactly at the start of the current one.
  void emit_span(std::uint32_t b, std::uint32_t e, std::uint32_t bline, Region r, std::uint8_t fl) {
    if (e <= b) return;
    mark_range(bline, end_line(e), r == Region::Comment ? kLineComment : kLineString);
    m_.spans_.push_back({b, e, r, fl});
  }

  // Line of the byte before `e`, where e lies on the current line or just past its start.
  std::uint32_t end_line(std::uint32_t e) const { return e > line_begin_ ? line_ : line_ - 1; }

  std::uint32_t line_of(std::uint32_t off) const {
    auto& ls = m_.lines_;
    auto it = std::upper_bound(ls.begin(), ls.end(), off,
                               [](std::uint32_t o, const LineModel::Line& l) { return o < l.begin; });
    return static_cast<std::uint32_t>(it - ls.begin());
  }

  // Leading whitespace of a line that may start a logical line; tabs advance to the next
  // multiple of 8 and a form feed resets the column, as in CPython.
  void measure_indent() {
    std::uint32_t col = 0;
    if constexpr (Fast) {  // indentation is mostly blanks: 16 at a time
      p_ = skip_blanks(s_, p_, n_);
      col = p_ - line_begin_;
      if (line_ == 1 && m_.bom_) col -= 3;
    }
    for (; p_ < n_; ++p_) {
      char c = s_[p_];
      if (c == ' ') ++col;
      else if (c == '\t') col = (col / 8 + 1) * 8;
      else if (c == '\f') col = 0;
      else break;
    }
    indent_col_ = col;
  }

  // ------------------------------------------------------------------ code mode
  void code_step() {
    // Whitespace is skipped here rather than dispatched: most tokens are preceded by a space.
    // A local position: stores through the member could alias the source bytes.
    std::uint32_t p = p_;
    while (kClass[static_cast<unsigned char>(s_[p])] == kSpace) {
      if (++p == n_) {
        p_ = p;
        return;
      }
    }
    p_ = p;
    std::uint8_t cls = kClass[static_cast<unsigned char>(s_[p])];
    if constexpr (Fast) {
      // A number, or a name that is likely one the builder reacts to, would stop a skim at
      // once: the lexer takes them without one. Where a skim stops, the token is one the
      // lexer must take: it does so at once rather than through another skim.
      if (cls != kNewline && cls != kHash && cls != kBackslash && cls != kDigit &&
          !(cls == kIdent && maybe_known_name(p)) && quiet() && skim()) {
        if (p_ >= n_) return;
        cls = kClass[static_cast<unsigned char>(s_[p_])];
      }
    }
    if (cls == kIdent) return ident();  // the most common token: a direct, well-predicted branch
    // The next most common after a skim: a conditional branch mispredicts less often than
    // the switch's indirect jump.
    if (cls == kNewline) return newline();
    switch (cls) {
      case kNewline:
        return newline();
      case kHash: {
        std::uint32_t b = p_;
        p_ = skip_to_stop<'\n', '\r'>(s_, p_, n_);
        emit_span(b, p_, line_, Region::Comment, 0);
        return;
      }
      case kBackslash:
        if (p_ + 1 < n_ && is_nl(s_[p_ + 1])) {  // explicit line joining: not a token
          ++p_;
          take_newline();
          return;
        }
        return single(kIdError);
      case kIdent: return ident();
      case kDigit: return number();
      case kDot:
        if (p_ + 1 < n_ && s_[p_ + 1] >= '0' && s_[p_ + 1] <= '9') return number();
        if (p_ + 2 < n_ && s_[p_ + 1] == '.' && s_[p_ + 2] == '.') return multi(3, kIdOp);
        return single(kIdDot);
      case kQuote: return string(p_, false, false, false);
      case kOpChar: return op();
      default: return single(kIdError);
    }
  }

  void newline() {
    if (frames_.empty() && tokens_in_logical_ > 0) end_logical_line();
    take_newline();
    if (frames_.empty() && tokens_in_logical_ == 0) measure_indent();
  }

  // ------------------------------------------------------------------ skimming (Fast only)
  // Outside the few states where every token matters (the start of a logical line or of a
  // body, a def's name, a decorator's text, a docstring candidate), most tokens only move
  // last_end_ and the token history: plain names, `.`, operators, and brackets, `,`, `=`, `:`
  // where no scope is waiting for them. skim() steps over those with stage 1's masks, visiting
  // only the bytes that may matter, and stops (leaving p_ at a token start for the lexer) at
  // the first that does.
  bool quiet() const {
    const Open& o = open_.back();
    return !at_logical_start_ && !(o.body_pending && o.state != kAwaitBody) && pending_name_ == kNone32 &&
           !pending_dec_text_ && !(cand_.active && cand_.ok);
  }

  // skim.cpp (ModelBuilder<true> only)
  const BlockMasks& masks_at(std::uint32_t block);
  bool close_in_place(char c);
  bool maybe_known_name(std::uint32_t at) const;
  std::uint32_t plain_string_end(std::uint32_t at) const;
  bool skim();

  // Before a lexed token: the skipped tokens enter the history. Its readers compare the
  // previous token with async/def/class and the names a call is counted after (never skipped),
  // and, for `asyncio.gather(`, the two before gather with `.` and asyncio: a lone skipped `.`
  // keeps its place, any other skipped tokens become one name.
  void resolve_skipped() {
    run_pending_ = false;
    if (run_last_dot_) {
      if (run_many_) hist_ = hist_ << 8 | kIdName;
      hist_ = hist_ << 8 | kIdDot;
    } else {
      hist_ = hist_ << 8 | kIdName;
    }
  }

  void single(std::uint8_t id) { multi(1, id); }

  void multi(std::uint32_t len, std::uint8_t id) {
    Tok t{p_, p_ + len, line_, line_, id, 0};
    p_ += len;
    on_token(t);
  }

  void ident() {
    std::uint32_t b = p_++;
    p_ = skip_identifier(s_, p_, n_);
    std::uint32_t len = p_ - b;
    if (len <= 2 && p_ < n_ && kClass[static_cast<unsigned char>(s_[p_])] == kQuote) {
      // String prefixes, any case: r u b f br rb fr rf (and 3.14 t-strings: t tr rt).
      bool r = false, bb = false, f = false, u = false, ok = true;
      for (std::uint32_t i = b; i < p_; ++i) {
        bool* flag = nullptr;
        switch (s_[i] | 0x20) {
          case 'r': flag = &r; break;
          case 'b': flag = &bb; break;
          case 'f': case 't': flag = &f; break;
          case 'u': flag = &u; break;
          default: break;
        }
        if (!flag || *flag) ok = false;
        else *flag = true;
      }
      if (ok && !(u && len > 1) && !(bb && f)) return string(b, r, bb, f);
    }
    Tok t{b, p_, line_, line_, name_id(s_ + b, len, n_ - b), 0};
    on_token(t);
  }

  // Python number syntax, so that `1if x else y` and `0x1for` split where CPython splits them.
  void number() {
    std::uint32_t b = p_;
    if (s_[p_] == '0' && p_ + 1 < n_ && std::string_view("xXoObB").find(s_[p_ + 1]) != std::string_view::npos) {
      p_ += 2;
      while (p_ < n_ && is_hex(s_[p_])) ++p_;
    } else {
      while (p_ < n_ && is_dec(s_[p_])) ++p_;
      if (p_ < n_ && s_[p_] == '.') {
        ++p_;
        while (p_ < n_ && is_dec(s_[p_])) ++p_;
      }
      if (p_ < n_ && (s_[p_] == 'e' || s_[p_] == 'E')) {
        std::uint32_t q = p_ + 1;
        if (q < n_ && (s_[q] == '+' || s_[q] == '-')) ++q;
        if (q < n_ && s_[q] >= '0' && s_[q] <= '9') {
          p_ = q;
          while (p_ < n_ && is_dec(s_[p_])) ++p_;
        }
      }
      if (p_ < n_ && (s_[p_] == 'j' || s_[p_] == 'J')) ++p_;
    }
    Tok t{b, p_, line_, line_, kIdNumber, 0};
    on_token(t);
  }

  void op() {
    char c = s_[p_];
    char d = p_ + 1 < n_ ? s_[p_ + 1] : '\0';
    char e = p_ + 2 < n_ ? s_[p_ + 2] : '\0';
    switch (c) {
      case '(': return single(kIdLParen);
      case ')': return single(kIdRParen);
      case '[': return single(kIdLBracket);
      case ']': return single(kIdRBracket);
      case '{': return single(kIdLBrace);
      case '}': return single(!frames_.empty() && frames_.back().kind == kField ? kIdFieldClose : kIdRBrace);
      case ',': return single(kIdComma);
      case ';': return single(kIdSemi);
      case ':': return d == '=' ? multi(2, kIdOp) : single(kIdColon);
      case '@': return d == '=' ? multi(2, kIdAssign) : single(kIdAt);
      case '=': return d == '=' ? multi(2, kIdOp) : single(kIdAssign);
      case '!': return d == '=' ? multi(2, kIdOp) : single(kIdOp);
      case '-': return d == '>' ? multi(2, kIdOp) : d == '=' ? multi(2, kIdAssign) : single(kIdOp);
      case '<': case '>': case '*': case '/':
        if (d == c) return e == '=' ? multi(3, kIdAssign) : multi(2, kIdOp);
        if (d == '=') return multi(2, (c == '<' || c == '>') ? kIdOp : kIdAssign);
        if (c == '<' && d == '>') return multi(2, kIdOp);
        return single(kIdOp);
      case '~': return single(kIdOp);
      default:  // + % & | ^
        return d == '=' ? multi(2, kIdAssign) : single(kIdOp);
    }
  }

  // ------------------------------------------------------------------ strings
  // `b` is the token start (prefix included); s_[p_] is the opening quote.
  void string(std::uint32_t b, bool raw, bool bytes, bool fstr) {
    const char q = s_[p_];
    const bool triple = p_ + 2 < n_ && s_[p_ + 1] == q && s_[p_ + 2] == q;
    const std::uint32_t bline = line_;
    p_ += triple ? 3 : 1;
    if (fstr) {
      on_token({b, p_, bline, bline, kIdString, kSpanFString});
      frames_.push_back({kFStr, q, triple, raw, b, bline});
      return;
    }
    std::uint8_t fl = bytes ? kSpanBytes : 0;
    for (;;) {
      p_ = skip_to_stop<'\'', '"', '\\', '\n', '\r'>(s_, p_, n_);
      if (p_ >= n_) { fl |= kSpanUnterminated; break; }
      char c = s_[p_];
      if (c == q) {
        if (!triple) { ++p_; break; }
        if (p_ + 2 < n_ && s_[p_ + 1] == q && s_[p_ + 2] == q) { p_ += 3; break; }
        ++p_;
      } else if (c == '\\') {  // escapes the next byte even in raw strings (r"\"" is valid)
        ++p_;
        if (p_ < n_) {
          if (is_nl(s_[p_])) take_newline();
          else ++p_;
        }
      } else if (is_nl(c)) {
        if (!triple) { fl |= kSpanUnterminated; break; }  // ends before the line break
        take_newline();
      } else {
        ++p_;  // the other quote character
      }
    }
    emit_span(b, p_, bline, Region::String, fl);
    on_token({b, p_, bline, end_line(p_), kIdString, fl});
  }

  // Literal text of an f-string (spec = false) or of a format spec (spec = true), up to the
  // next replacement field, the end of the spec/string, or an error that ends the string.
  void scan_fstring_text(bool spec) {
    const Frame f = frames_.back();
    const char q = f.quote;
    for (;;) {
      p_ = skip_to_stop<'\'', '"', '\\', '\n', '\r', '{', '}'>(s_, p_, n_);
      if (p_ >= n_) return;  // EOF: finish() closes the run
      char c = s_[p_];
      if (c == q) {
        if (f.triple && !(p_ + 2 < n_ && s_[p_ + 1] == q && s_[p_ + 2] == q)) { ++p_; continue; }
        if (spec) {  // the string ends inside a field (an error): drop back to the FStr frame
          emit_span(f.lit_begin, p_, f.lit_line, Region::String, kSpanFString);
          while (!frames_.empty() && frames_.back().kind != kFStr) pop_frame();
          if (!frames_.empty()) { frames_.back().lit_begin = p_; frames_.back().lit_line = line_; }
          return;
        }
        p_ += f.triple ? 3 : 1;
        emit_span(f.lit_begin, p_, f.lit_line, Region::String, kSpanFString);
        pop_frame();
        last_end_ = p_;
        last_end_line_ = line_;
        hist_ = (hist_ & ~0xffu) | kIdString;
        return;
      }
      switch (c) {
        case '\\': {
          if (p_ + 1 >= n_) { ++p_; continue; }
          char d = s_[p_ + 1];
          if (d == '{' || d == '}') { ++p_; continue; }  // `\{` is `\` then a brace
          if (is_nl(d)) { ++p_; take_newline(); continue; }
          if (!f.raw && d == 'N' && p_ + 2 < n_ && s_[p_ + 2] == '{') {  // \N{NAME}
            p_ += 3;
            while (p_ < n_ && s_[p_] != '}' && s_[p_] != q && !is_nl(s_[p_])) ++p_;
            if (p_ < n_ && s_[p_] == '}') ++p_;
            continue;
          }
          p_ += 2;
          continue;
        }
        case '\n': case '\r':
          if (f.triple) { take_newline(); continue; }
          // A single-quoted f-string cannot span lines: it ends before the break, unterminated.
          emit_span(f.lit_begin, p_, f.lit_line, Region::String, kSpanFString | kSpanUnterminated);
          while (!frames_.empty() && frames_.back().kind != kFStr) pop_frame();
          if (!frames_.empty()) pop_frame();
          return;
        case '{':
          if (!spec && p_ + 1 < n_ && s_[p_ + 1] == '{') { p_ += 2; continue; }
          emit_span(f.lit_begin, p_, f.lit_line, Region::String, kSpanFString);
          return single(kIdFieldOpen);
        case '}':
          if (spec) {
            emit_span(f.lit_begin, p_, f.lit_line, Region::String, kSpanFString);
            pop_frame();  // the Spec; the `}` then closes its Field
            return single(kIdFieldClose);
          }
          p_ += (p_ + 1 < n_ && s_[p_ + 1] == '}') ? 2 : 1;  // `}}`, or a stray `}` (an error)
          continue;
        default:
          ++p_;  // the other quote character
          continue;
      }
    }
  }

  void pop_frame() {
    frames_.pop_back();
    close_above(static_cast<std::uint32_t>(frames_.size()));
  }

  // ------------------------------------------------------------------ structure
  // Inlined into the few lexer call sites: ~7% of total throughput on the stdlib.
  [[gnu::always_inline]] inline void on_token(const Tok& t) {
    if constexpr (Fast) {
      if (run_pending_) resolve_skipped();
    }
    if (cand_.active) cand_feed(t);
    if (at_logical_start_) begin_logical(t);
    ++tokens_in_logical_;
    if (t.id != kIdString && t.line != code_line_) {
      code_line_ = t.line;
      mark(t.line, kLineCode);
    }

    bool colon_taken = false;
    const auto depth = static_cast<std::uint32_t>(frames_.size());
    if (t.id >= kIdFirstStructural) switch (t.id) {
      case kIdRParen: case kIdRBracket: case kIdRBrace:
        // Mismatched closers are popped anyway (Python rejects them; this keeps depth sane),
        // but never a replacement field, which only `}` closes.
        if (!frames_.empty() && frames_.back().kind <= kBrace) pop_frame();
        break;
      case kIdFieldClose:
        pop_frame();
        if (!frames_.empty()) { frames_.back().lit_begin = t.end; frames_.back().lit_line = t.line; }
        break;
      case kIdColon: colon_taken = colon(t, depth); break;
      case kIdComma: case kIdAssign: case kIdFor: case kIdAsync: case kIdAs: case kIdFrom:
        close_lambda_bodies(depth);
        break;
      case kIdSemi:
        if (depth == 0) {
          while (open_.back().state == kLambdaHeader || open_.back().state == kLambdaBody) close_top();
          cand_finalize();
        }
        break;
      default: break;
    }

    if (!colon_taken && open_.back().body_pending && open_.back().state != kAwaitBody) {
      Open& o = open_.back();
      if (o.state == kAfterColon) o.state = kSimpleBody;
      start_body(t);
    }

    if (pending_name_ != kNone32) {
      if (is_name(t.id)) m_.scopes_[pending_name_].name = std::string_view(s_ + t.begin, t.end - t.begin);
      pending_name_ = kNone32;
    }
    if (pending_dec_text_) { dec_text_begin_ = t.begin; pending_dec_text_ = false; }

    if (t.id >= kIdFirstStructural) switch (t.id) {
      case kIdDef: case kIdClass: new_def(t); break;
      case kIdLambda: new_lambda(t); break;
      case kIdAt: if (tokens_in_logical_ == 1 && depth == 0) decorator(t); break;
      case kIdAwait: ++m_.inventory_.awaits; break;
      case kIdFor: if (hist(0) == kIdAsync) ++m_.inventory_.async_fors; break;
      case kIdWith: if (hist(0) == kIdAsync) ++m_.inventory_.async_withs; break;
      case kIdLParen:
        count_call();
        frames_.push_back({kParen, 0, false, false, 0, 0});
        break;
      case kIdLBracket: frames_.push_back({kBracket, 0, false, false, 0, 0}); break;
      case kIdLBrace: frames_.push_back({kBrace, 0, false, false, 0, 0}); break;
      case kIdFieldOpen: {
        const Frame& lit = frames_.back();  // the FStr or Spec being scanned
        frames_.push_back({kField, lit.quote, lit.triple, lit.raw, 0, 0});
        break;
      }
      default: break;
    }

    last_end_ = t.end;
    last_end_line_ = t.end_line;
    prev_begin_ = t.begin;
    prev_line_ = t.line;
    hist_ = hist_ << 8 | t.id;
  }

  bool colon(const Tok& t, std::uint32_t depth) {
    if (!frames_.empty() && frames_.back().kind == kField) {  // format spec follows
      const Frame& fld = frames_.back();
      frames_.push_back({kSpec, fld.quote, fld.triple, fld.raw, t.end, t.line});
      return true;
    }
    close_lambda_bodies(depth);
    Open& o = open_.back();
    if (o.depth == depth && (o.state == kLambdaHeader || o.state == kHeader)) {
      o.state = o.state == kHeader ? kAfterColon : kLambdaBody;
      o.body_pending = true;
      return true;
    }
    return false;
  }

  // Tokens that cannot continue a lambda body at the lambda's own bracket depth end it:
  // `,` `:` `=` (and augmented), comprehension `for`/`async for`, `with ... as`, `raise ... from`.
  void close_lambda_bodies(std::uint32_t depth) {
    while (open_.back().state == kLambdaBody && open_.back().depth == depth) close_top();
  }

  void close_above(std::uint32_t depth) {
    while (open_.size() > 1 && open_.back().depth > depth) close_top();
  }

  void count_call() {
    Inventory& inv = m_.inventory_;
    switch (hist(0)) {
      // gather: `asyncio.gather(` or a bare `gather(` (from asyncio import gather). create_task
      // on any receiver (`loop.create_task(`, `tg.create_task(`) or bare: each makes a task.
      case kIdGather:
        if ((hist(1) == kIdDot && hist(2) == kIdAsyncio && hist(3) != kIdDot) ||
            (hist(1) != kIdDot && hist(1) != kIdDef && hist(1) != kIdClass))
          ++inv.gather_calls;
        break;
      case kIdCreateTask:
        if (hist(1) != kIdDef && hist(1) != kIdClass) ++inv.create_task_calls;
        break;
      case kIdTaskGroup:
        if (hist(1) != kIdDef && hist(1) != kIdClass) ++inv.task_group_calls;
        break;
      default: break;
    }
  }

  std::uint32_t new_scope(ScopeKind kind, std::uint32_t begin) {
    Scope sc;
    sc.kind = kind;
    sc.parent = open_.back().index;
    sc.begin = begin;
    m_.scopes_.push_back(sc);
    dead_.push_back(0);
    return static_cast<std::uint32_t>(m_.scopes_.size() - 1);
  }

  void decorator(const Tok& t) {
    logical_is_decorator_ = true;
    pending_dec_text_ = true;
    dec_text_begin_ = kNone32;
    if (open_.back().state == kDecorators) return;  // another decorator of the same def
    std::uint32_t idx = new_scope(ScopeKind::Function, t.begin);
    Scope& sc = m_.scopes_[idx];
    sc.decorator_line = t.line;
    sc.decorators_first = static_cast<std::uint32_t>(m_.decorators_.size());
    open_.push_back({idx, 0, static_cast<std::uint32_t>(indents_.size()), kDecorators, false});
  }

  void new_def(const Tok& t) {
    const bool is_async = hist(0) == kIdAsync && tokens_in_logical_ >= 2;
    const std::uint32_t kw = is_async ? prev_begin_ : t.begin;
    const std::uint32_t kw_line = is_async ? prev_line_ : t.line;
    std::uint32_t idx;
    if (open_.back().state == kDecorators) {
      idx = open_.back().index;
      open_.pop_back();
    } else {
      idx = new_scope(ScopeKind::Function, kw);
    }
    Scope& sc = m_.scopes_[idx];
    sc.kind = t.id == kIdClass ? ScopeKind::Class
              : is_async       ? ScopeKind::AsyncFunction
                               : ScopeKind::Function;
    if (sc.kind == ScopeKind::AsyncFunction) ++m_.inventory_.async_defs;
    sc.keyword_line = kw_line;
    sc.keyword_offset = kw;
    sc.first_line = sc.decorator_line ? sc.decorator_line : kw_line;
    open_.push_back({idx, static_cast<std::uint32_t>(frames_.size()),
                     static_cast<std::uint32_t>(indents_.size()), kHeader, false});
    pending_name_ = idx;
  }

  void new_lambda(const Tok& t) {
    std::uint32_t idx = new_scope(ScopeKind::Lambda, t.begin);
    Scope& sc = m_.scopes_[idx];
    sc.name = "<lambda>";
    sc.keyword_line = sc.first_line = t.line;
    sc.keyword_offset = t.begin;
    open_.push_back({idx, static_cast<std::uint32_t>(frames_.size()),
                     static_cast<std::uint32_t>(indents_.size()), kLambdaHeader, false});
  }

  void start_body(const Tok& t) {
    Open& o = open_.back();
    o.body_pending = false;
    Scope& sc = m_.scopes_[o.index];
    sc.body_first_line = t.line;
    sc.body_begin = t.begin;
    if (sc.kind != ScopeKind::Lambda) {
      cand_ = Candidate{};
      cand_.active = cand_.ok = true;
      cand_.scope = o.index;
      cand_feed(t);
    }
  }

  void close_top() {
    const Open o = open_.back();
    open_.pop_back();
    Scope& sc = m_.scopes_[o.index];
    sc.end = std::max(last_end_, sc.begin);
    sc.body_last_line = last_end_line_;
    // No body at all, or a header that never ended (invalid code): an empty body at the end.
    if (o.body_pending || o.state == kHeader || o.state == kLambdaHeader) {
      sc.body_first_line = last_end_line_;
      sc.body_begin = sc.end;
    }
  }

  void kill_top() {
    dead_[open_.back().index] = 1;
    open_.pop_back();
  }

  // First token of a logical line: INDENT/DEDENT bookkeeping, then the scopes it ends/starts.
  void begin_logical(const Tok& t) {
    at_logical_start_ = false;
    logical_first_line_ = t.line;
    bool indented = false;
    if (indent_col_ > indents_.back()) {
      indents_.push_back(indent_col_);
      indented = true;
    } else {
      while (indents_.size() > 1 && indent_col_ < indents_.back()) indents_.pop_back();
    }
    const auto level = static_cast<std::uint32_t>(indents_.size());
    for (;;) {
      Open& o = open_.back();
      if (o.state == kAwaitBody) {
        if (indented && level == o.level + 1) {
          o.state = kBlock;
          start_body(t);
          return;
        }
        close_top();
      } else if (o.state == kDecorators) {
        if (level == o.level &&
            (t.id == kIdAt || t.id == kIdDef || t.id == kIdClass || t.id == kIdAsync))
          return;
        kill_top();
      } else if (o.state == kBlock && o.level >= level) {
        close_top();
      } else {
        return;
      }
    }
  }

  // NEWLINE: the logical line ends (only with an empty frame stack).
  void end_logical_line() {
    cand_finalize();
    for (;;) {
      std::uint8_t st = open_.back().state;
      if (st == kLambdaHeader || st == kLambdaBody || st == kHeader || st == kSimpleBody) close_top();
      else break;
    }
    Open& o = open_.back();
    if (o.state == kAfterColon) {
      o.state = kAwaitBody;
    } else if (o.state == kDecorators) {
      if (logical_is_decorator_) {
        std::uint32_t b = dec_text_begin_ == kNone32 ? last_end_ : dec_text_begin_;
        m_.decorators_.push_back(std::string_view(s_ + b, std::max(last_end_, b) - b));
        ++m_.scopes_[o.index].decorators_count;
      } else {
        kill_top();
      }
    }
    for (std::uint32_t l = logical_first_line_ + 1; l <= line_; ++l)
      m_.lines_[l - 1].logical = logical_first_line_;
    tokens_in_logical_ = 0;
    at_logical_start_ = true;
    logical_is_decorator_ = pending_dec_text_ = false;
    pending_name_ = kNone32;
    hist_ = kIdNone;
    run_pending_ = false;
  }

  void cand_feed(const Tok& t) {
    Candidate& c = cand_;
    if (!c.ok || t.id == kIdSemi) return;  // `;` is handled by cand_finalize
    if (t.id == kIdString && !(t.flags & (kSpanFString | kSpanBytes)) && c.phase <= 1) {
      auto idx = static_cast<std::uint32_t>(m_.spans_.size() - 1);
      if (!c.any) c.first = idx;
      c.last = idx;
      c.any = true;
      c.phase = 1;
    } else if (t.id == kIdLParen && c.phase == 0) {
      ++c.open;
    } else if (t.id == kIdRParen && c.phase >= 1 && c.close < c.open) {
      ++c.close;
      c.phase = 2;
    } else {
      c.ok = false;
    }
  }

  void cand_finalize() {
    Candidate& c = cand_;
    if (c.active && c.ok && c.any && c.open == c.close) {
      for (std::uint32_t i = c.first; i <= c.last; ++i) {
        Span& sp = m_.spans_[i];
        if (sp.region != Region::String) continue;  // a comment between parenthesized parts
        sp.flags |= kSpanDocstring;
        mark_range(line_of(sp.begin), line_of(sp.end - 1), kLineDocstring);
      }
      Scope& sc = m_.scopes_[c.scope];
      sc.doc_begin = m_.spans_[c.first].begin;
      sc.doc_end = m_.spans_[c.last].end;
    }
    c.active = false;
  }

  void finish() {
    if (!frames_.empty() && (frames_.back().kind == kFStr || frames_.back().kind == kSpec)) {
      const Frame& f = frames_.back();
      emit_span(f.lit_begin, n_, f.lit_line, Region::String, kSpanFString | kSpanUnterminated);
      last_end_ = n_;
      last_end_line_ = end_line(n_);
    }
    while (!frames_.empty()) pop_frame();
    if (tokens_in_logical_ > 0) end_logical_line();
    while (open_.size() > 1) {
      if (open_.back().state == kDecorators) kill_top();
      else close_top();
    }
    Scope& mod = m_.scopes_[0];
    mod.end = n_;
    if (open_.back().body_pending) {  // no tokens at all
      mod.body_first_line = mod.body_last_line = 0;
    } else {
      mod.body_last_line = last_end_line_;
    }
    auto& ls = m_.lines_;
    // A final line break opens no line; neither does a lone BOM (CPython sees an empty file).
    if ((ls.back().begin == n_ && (ls.size() > 1 || n_ == 0)) || (m_.bom_ && n_ == 3)) ls.pop_back();
    if (!ls.empty()) mod.keyword_line = mod.first_line = 1;
    m_.finalize_scopes(dead_);
  }

  LineModel& m_;
  const char* s_;
  std::uint32_t n_;
  std::uint32_t p_ = 0;
  std::uint32_t line_ = 1, line_begin_ = 0;

  std::vector<Frame> frames_;
  std::vector<Open> open_;
  std::vector<std::uint32_t> indents_;
  std::vector<std::uint8_t> dead_;
  Candidate cand_;

  std::uint32_t indent_col_ = 0;
  bool at_logical_start_ = true;
  std::uint32_t tokens_in_logical_ = 0;
  std::uint32_t logical_first_line_ = 1;
  bool logical_is_decorator_ = false;
  bool pending_dec_text_ = false;
  std::uint32_t dec_text_begin_ = kNone32;
  std::uint32_t pending_name_ = kNone32;

  std::uint32_t last_end_ = 0, last_end_line_ = 0;
  std::uint32_t code_line_ = 0;  // last line marked kLineCode
  std::uint32_t prev_begin_ = 0, prev_line_ = 0;
  // Ids of the last four tokens of the logical line, most recent in the low byte.
  std::uint32_t hist_ = kIdNone;
  std::uint8_t hist(int back) const { return static_cast<std::uint8_t>(hist_ >> (8 * back)); }
  // Fast only: tokens skimmed since the last lexed one (see resolve_skipped), and stage 1's
  // masks of the last block skimmed.
  bool run_pending_ = false, run_many_ = false, run_last_dot_ = false;
  bool simd_ = Fast && structure_simd_available();
  std::uint32_t masks_block_ = kNone32;
  BlockMasks masks_{};
};

// Defined in skim.cpp.
template <>
const BlockMasks& ModelBuilder<true>::masks_at(std::uint32_t block);
template <>
bool ModelBuilder<true>::close_in_place(char c);
template <>
bool ModelBuilder<true>::maybe_known_name(std::uint32_t at) const;
template <>
std::uint32_t ModelBuilder<true>::plain_string_end(std::uint32_t at) const;
template <>
bool ModelBuilder<true>::skim();

}  // namespace asyncsweep::python::detail
