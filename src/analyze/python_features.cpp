#include "analyze/python_features.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "analyze/finally_block.hpp"
#include "analyze/nested_calls.hpp"
#include "analyze/object_kinds.hpp"
#include "python/model.hpp"
#include "rules/rule.hpp"
#include "search/literal_scan.hpp"
#include "text/python_text.hpp"

namespace asyncsweep::analyze {

namespace {

using text::indentation;
using text::is_identifier_byte;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view basename(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool is_test_path(std::string_view path) {
  std::string_view name = basename(path);
  if (name.starts_with("test_") || ends_with(name, "_test.py") || name == "conftest.py") return true;
  return path.find("/tests/") != std::string_view::npos || path.find("/test/") != std::string_view::npos ||
         path.starts_with("tests/") || path.starts_with("test/");
}

namespace {

// Start of the primary expression whose call begins at `offset`: back over names, dots and
// balanced brackets, so `await anyio.Path(p).read_text()` reaches `anyio`.
std::size_t expression_start(std::string_view text, std::size_t offset) {
  std::size_t p = offset;
  while (p > 0) {
    char c = text[p - 1];
    if (is_identifier_byte(c) || c == '.') {
      --p;
    } else if (c == ')' || c == ']') {
      int depth = 0;
      std::size_t q = p;
      while (q > 0) {
        char d = text[q - 1];
        if (d == ')' || d == ']') ++depth;
        else if ((d == '(' || d == '[') && --depth == 0) break;
        else if (d == '\n' && depth == 0) break;
        --q;
      }
      if (q == 0) break;
      p = q - 1;
    } else {
      break;
    }
  }
  return p;
}

// The keyword right before `start` (skipping blanks), if any.
bool keyword_before(std::string_view text, std::size_t& p, std::string_view keyword) {
  std::size_t q = p;
  while (q > 0 && (text[q - 1] == ' ' || text[q - 1] == '\t')) --q;
  if (q < keyword.size() || text.substr(q - keyword.size(), keyword.size()) != keyword) return false;
  if (q > keyword.size() && is_identifier_byte(text[q - keyword.size() - 1])) return false;
  p = q - keyword.size();
  return true;
}

// `await x.f()` and `async with x.open()` (an async context manager, e.g. aiofiles.open).
bool preceded_by_await(std::string_view text, std::size_t start) {
  std::size_t p = start;
  if (keyword_before(text, p, "await")) return true;
  p = start;
  return keyword_before(text, p, "with") && keyword_before(text, p, "async");
}

// The end of the call expression at `start` (`handler.open(...)`: just past its `)`), or npos
// when `start` holds something else. Quotes are stepped over, so a bracket in a string argument
// does not count; the line model has classified the call itself as code already.
std::size_t call_end(std::string_view text, std::size_t start) {
  std::size_t p = start;
  while (p < text.size() && (is_identifier_byte(text[p]) || text[p] == '.')) ++p;
  if (p == start || p >= text.size() || text[p] != '(') return std::string_view::npos;
  int depth = 0;
  for (; p < text.size(); ++p) {
    const char c = text[p];
    if (c == '\'' || c == '"') {
      for (++p; p < text.size() && text[p] != c && text[p] != '\n'; ++p) {
        if (text[p] == '\\') ++p;
      }
      if (p >= text.size() || text[p] != c) return std::string_view::npos;  // triple or unclosed
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
      return p + 1;
    } else if (c == '#') {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

// `result = <call at start>` as a whole statement, and `await result` further down the same
// function with `result` not bound again in between: the call returned an awaitable (tornado's
// `open_result = handler.open(...)`, then `if open_result is not None: await open_result`). The
// offset of that await's name, 0 when there is none. Anything that might rebind the name (`for
// result in`, `as result`, `result = `, a tuple target) ends the search: the finding then keeps
// its score.
std::size_t awaited_later(const python::LineModel& model, std::string_view text, std::size_t start,
                          std::size_t function_end) {
  std::size_t p = start;
  while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t')) --p;
  // `=` alone: not `==`, `<=`, `>=`, `!=`, an augmented assignment or a keyword argument's `=`
  // (a keyword argument's name follows `(` or `,`, which the statement check below rules out).
  if (p < 2 || text[p - 1] != '=' || std::string_view("=<>!+-*/%&|^@:").find(text[p - 2]) != std::string_view::npos) return 0;
  --p;
  while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t')) --p;
  const std::size_t name_end = p;
  while (p > 0 && is_identifier_byte(text[p - 1])) --p;
  if (p == name_end) return 0;
  const std::string_view name = text.substr(p, name_end - p);
  // The name starts the logical line: a plain assignment statement.
  for (std::size_t b = model.line_begin(model.logical_start(model.line_of(p))); b < p; ++b) {
    if (text[b] != ' ' && text[b] != '\t') return 0;
  }
  // The call is the whole right-hand side: `r = f(x)`, not `r = f(x) or fut` nor `r = f(x).attr`.
  std::size_t end = call_end(text, start);
  if (end == std::string_view::npos) return 0;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  if (end < text.size() && text[end] != '\n' && text[end] != '\r' && text[end] != '#') return 0;
  const std::string_view rest = text.substr(0, function_end);
  for (std::size_t hit = rest.find(name, end); hit != std::string_view::npos; hit = rest.find(name, hit + 1)) {
    const std::size_t after = hit + name.size();
    if (is_identifier_byte(text[hit - 1]) || (after < rest.size() && is_identifier_byte(text[after]))) continue;
    if (model.classify(hit).region != python::Region::Code) continue;
    std::size_t next = after;
    while (next < rest.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
    const char following = next < rest.size() ? text[next] : '\n';
    if (following == '.' || following == '(' || following == '[') continue;  // a use of the value
    std::size_t q = hit;
    if (keyword_before(text, q, "await")) return hit;
    const bool assigned = (following == '=' && (next + 1 >= rest.size() || text[next + 1] != '=')) ||
                          (following == ':' && next + 1 < rest.size() && text[next + 1] == '=') || following == ',';
    std::size_t before = hit;
    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
    q = hit;
    if (assigned || (before > 0 && (text[before - 1] == ',' || text[before - 1] == '*')) || keyword_before(text, q, "for") ||
        keyword_before(text, q, "as") || keyword_before(text, q, "del") || keyword_before(text, q, "global") ||
        keyword_before(text, q, "nonlocal")) {
      return 0;
    }
  }
  return 0;
}

// The function whose argument list holds `start` (on its logical line, which begins at
// `logical_line_begin`: brackets in earlier lines' comments and strings must not count), e.g.
// "asyncio.to_thread" or "loop.create_task"; empty when there is none.
std::string enclosing_call(std::string_view text, std::size_t start, std::size_t logical_line_begin) {
  int depth = 0;
  std::size_t p = start;
  const std::size_t limit = logical_line_begin;
  while (p > limit) {
    char c = text[p - 1];
    if (c == ')' || c == ']' || c == '}') ++depth;
    else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) {
        if (c != '(') return {};
        std::size_t end = p - 1;
        std::size_t b = end;
        while (b > 0 && (is_identifier_byte(text[b - 1]) || text[b - 1] == '.')) --b;
        return std::string(text.substr(b, end - b));
      }
      --depth;
    }
    --p;
  }
  return {};
}

// Non-blocking setup, or the handling only non-blocking I/O needs (BlockingIOError, EAGAIN).
const std::vector<std::string>& nonblocking_markers() {
  static const std::vector<std::string> markers = {
      "O_NONBLOCK", "set_blocking(",    "setblocking(False", "setblocking(0",
      "pipe2(",     "settimeout(0",     "BlockingIOError",   "EWOULDBLOCK",
      "EAGAIN",     "SSLWantReadError", "SSLWantWriteError"};
  return markers;
}

// The literal sets here are built once and shared: one SIMD pass instead of a find per needle.
bool has_nonblocking_setup(std::string_view body) {
  static const search::LiteralSet markers(nonblocking_markers());
  return markers.contains_any(body);
}

// What annotate_python asks of the whole file, answered by one literal pass.
struct FileMarkers {
  bool imports_async = false;    // imports asyncio, anyio or trio
  bool nonblocking = false;      // has_nonblocking_setup(file)
  bool guard_words = false;      // __name__ or __main__: every main guard holds one
  bool directive_words = false;  // noqa or asyncsweep:: every suppression directive holds one
};

// Whether the call whose "(" is at `open` passes return_exceptions=True: its arguments are
// read in code only (strings and comments skipped), up to the matching ")".
bool collects_exceptions(const python::LineModel& model, std::size_t open) {
  std::string_view text = model.source();
  if (open >= text.size() || text[open] != '(') return false;
  constexpr std::string_view kKeyword = "return_exceptions";
  int depth = 0;
  // A call's arguments are short; an unbalanced "(" must not make the scan run to the end.
  const std::size_t end = std::min(text.size(), open + (64u << 10));
  for (std::size_t p = open; p < end; ++p) {
    char c = text[p];
    if (c != '(' && c != ')' && c != 'r') continue;
    if (model.classify(p).region != python::Region::Code) continue;
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return false;
    } else if (depth == 1 && text.substr(p, kKeyword.size()) == kKeyword && (p == 0 || !is_identifier_byte(text[p - 1]))) {
      std::size_t q = p + kKeyword.size();
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t' || text[q] == '\n' || text[q] == '\r')) ++q;
      if (q >= text.size() || text[q] != '=') continue;
      ++q;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t' || text[q] == '\n' || text[q] == '\r')) ++q;
      return text.substr(q, 4) == "True" && (q + 4 >= text.size() || !is_identifier_byte(text[q + 4]));
    }
  }
  return false;
}

// `asyncsweep:` and `noqa` in every case: Ruff reads `# NOQA` and `# NoQA` too. Sixteen
// literals keep the one case-sensitive pass exact.
std::vector<std::string> directive_markers() {
  std::vector<std::string> out = {"asyncsweep:"};
  for (unsigned mask = 0; mask < 16; ++mask) {
    std::string word = "noqa";
    for (unsigned i = 0; i < 4; ++i) {
      if ((mask >> i) & 1u) word[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])));
    }
    out.push_back(std::move(word));
  }
  return out;
}

// Where `noqa` first occurs in any case, or npos.
std::size_t find_noqa(std::string_view comment) {
  for (std::size_t at = 0; at + 4 <= comment.size(); ++at) {
    if ((comment[at] | 0x20) == 'n' && (comment[at + 1] | 0x20) == 'o' && (comment[at + 2] | 0x20) == 'q' &&
        (comment[at + 3] | 0x20) == 'a') {
      return at;
    }
  }
  return std::string_view::npos;
}

FileMarkers scan_file_markers(std::string_view text) {
  static const std::vector<std::vector<std::string>> kGroups = {
      {"import asyncio", "from asyncio", "import anyio", "from anyio", "import trio", "from trio"},
      nonblocking_markers(),
      {"__name__", "__main__"},
      directive_markers()};
  static const search::LiteralSet kAll([] {
    std::vector<std::string> all;
    for (const auto& group : kGroups) all.insert(all.end(), group.begin(), group.end());
    return all;
  }());
  std::vector<std::uint8_t> found;
  kAll.scan(text, found);
  bool any[4] = {};
  std::size_t index = 0;
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    for (std::size_t k = 0; k < kGroups[g].size(); ++k, ++index)
      any[g] = any[g] || found[index] != 0;
  }
  return FileMarkers{any[0], any[1], any[2], any[3]};
}

constexpr std::string_view kMainGuards[] = {"if __name__", "if '__main__'", "if \"__main__\""};

bool is_main_guard(const python::LineModel& model, std::uint32_t line) {
  if (!model.has_code(line) || model.logical_start(line) != line) return false;
  std::string_view text = model.line_text(line);
  std::string_view stmt = text.substr(indentation(text));
  return std::any_of(std::begin(kMainGuards), std::end(kMainGuards),
                     [&](std::string_view guard) { return stmt.starts_with(guard); });
}

// The first line inside_main_guard would take for a guard, or 0. Every guard holds one of
// these words, found with a two-byte probe (string_view::find stops at every 'i').
std::uint32_t first_main_guard_line(const python::LineModel& model, const FileMarkers& markers) {
  if (!markers.guard_words) return 0;
  static const search::LiteralFinder kWords[] = {search::LiteralFinder("__name__"),
                                                 search::LiteralFinder("__main__")};
  std::string_view text = model.source();
  std::uint32_t first = 0;
  for (const auto& word : kWords) {
    for (std::size_t at = word.find(text); at != std::string_view::npos;
         at = word.find(text, at + 1)) {
      std::uint32_t line = model.line_of(at);
      if (first != 0 && line >= first) break;
      if (is_main_guard(model, line)) {
        first = line;
        break;
      }
    }
  }
  return first;
}

bool inside_main_guard(const python::LineModel& model, std::uint32_t line) {
  std::size_t current = indentation(model.line_text(line));
  for (std::uint32_t l = line; l-- > 1 && current > 0;) {
    if (!model.has_code(l) || model.logical_start(l) != l) continue;
    std::string_view text = model.line_text(l);
    std::size_t indent = indentation(text);
    if (indent >= current) continue;
    if (is_main_guard(model, l)) return true;
    current = indent;
  }
  return false;
}

// For `self._sock.recv(` (a match starting at the dot): "_sock".
std::string receiver_name(std::string_view text, std::size_t start, std::size_t match) {
  if (match <= start || match > text.size()) return {};
  std::size_t end = match;
  std::size_t b = end;
  while (b > start && is_identifier_byte(text[b - 1])) --b;
  return std::string(text.substr(b, end - b));
}

// The end of the call whose "(" is at `open` (just past its ")"), on code only; `open` when
// unbalanced within a few lines.
std::size_t call_end(const python::LineModel& model, std::size_t open) {
  std::string_view text = model.source();
  int depth = 0;
  const std::size_t limit = std::min(text.size(), open + 4096);
  for (std::size_t p = open; p < limit; ++p) {
    char c = text[p];
    if (c != '(' && c != ')') continue;
    if (model.classify(p).region != python::Region::Code) continue;
    if (c == '(') ++depth;
    else if (--depth == 0) return p + 1;
  }
  return open;
}

// `async for x in p.glob(...)` (or an async comprehension's `async for ... in`): the call
// returns an async iterator.
bool async_iterated(std::string_view text, std::size_t start, std::size_t logical_begin) {
  std::size_t p = start;
  if (!keyword_before(text, p, "in")) return false;
  return text.substr(logical_begin, p - logical_begin).find("async for") != std::string_view::npos;
}

// What object_kinds says about the receiver of the method call matched at `match` (the ".")
// whose expression starts at `start`, or about the whole call (`tarfile.open(fileobj=buf)`).
ObjectBinding describe_receiver(const python::LineModel& model, ObjectKinds& kinds, std::uint32_t function,
                                std::size_t start, std::size_t match, std::size_t open, Features& f) {
  std::string_view text = model.source();
  std::string_view receiver = match > start ? text.substr(start, match - start) : std::string_view{};
  ObjectBinding found;
  std::string shown(receiver);
  if (const ObjectBinding* b = kinds.lookup(function, receiver)) {
    found = *b;
  } else if (!receiver.empty()) {
    found = kinds.classify_expression(function, start, match);
  }
  if (found.kind == ReceiverKind::unknown) {
    // The whole call: `tarfile.open(fileobj=buf)`, `zipfile.ZipFile(io.BytesIO(data))`. Only
    // what it says against I/O counts here: that open() makes a file is the rule's own news.
    std::size_t end = call_end(model, open);
    if (end > open) {
      found = kinds.classify_expression(function, start, end);
      shown = std::string(text.substr(start, open - start)) + "(...)";
      if (found.kind != ReceiverKind::memory && found.kind != ReceiverKind::async_io) found = ObjectBinding{};
    }
  }
  if (found.kind == ReceiverKind::unknown) return found;
  f.receiver_kind = found.kind;
  f.receiver_origin = found.line != 0 ? fmt::format("`{}` is {} on line {}", shown, found.origin, found.line)
                                      : fmt::format("`{}` is {}", shown, found.origin);
  f.receiver_nonblocking_line = found.nonblocking_line;
  if (found.nonblocking_line == 0 && found.handoff_line != 0 && found.handoff_line < model.line_of(match)) {
    // Flow matters here: before the handoff the socket was still blocking.
    f.receiver_origin += fmt::format(", handed to {} (which makes it non-blocking)", found.handoff);
    f.receiver_nonblocking_line = found.handoff_line;
  }
  f.receiver_datagram = found.datagram;
  return found;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void split_ids(std::string_view list, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string_view item = trim(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    std::size_t end = 0;
    while (end < item.size() && (is_identifier_byte(item[end]) || item[end] == '-')) ++end;
    if (end > 0) out.emplace_back(item.substr(0, end));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

}  // namespace

bool is_python_name(std::string_view name) { return ends_with(name, ".py") || ends_with(name, ".pyi"); }

bool parse_suppression(std::string_view comment, Suppression& out) {
  // Several directives may share a comment: `# noqa: E501  # asyncsweep: ignore[ASW101]`.
  std::size_t at = comment.find("asyncsweep:");
  if (at != std::string_view::npos) {
    std::string_view rest = trim(comment.substr(at + 11));
    if (rest.starts_with("ignore")) {
      out.text = std::string(trim(comment));
      out.noqa = false;
      rest.remove_prefix(6);
      if (rest.starts_with("[")) {
        std::size_t close = rest.find(']');
        split_ids(rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1), out.ids);
      }
      return true;
    }
  }
  at = find_noqa(comment);
  if (at != std::string_view::npos && (at == 0 || !is_identifier_byte(comment[at - 1]))) {
    std::string_view rest = comment.substr(at + 4);
    if (!rest.empty() && is_identifier_byte(rest.front())) return false;  // "noqaxyz"
    out.text = std::string(trim(comment));
    out.noqa = true;
    rest = trim(rest);
    if (rest.starts_with(":")) split_ids(rest.substr(1), out.ids);
    return true;
  }
  return false;
}

void drop_without_model(std::string_view text, const search::RuleSet& rules, std::vector<Finding>& findings) {
  std::erase_if(findings, [&](const Finding& finding) {
    if (rules[finding.rule].rule.check != rules::Check::finally_closes) return false;
    std::size_t line_begin = std::min<std::size_t>(finding.offset, text.size());
    while (line_begin > 0 && text[line_begin - 1] != '\n') --line_begin;
    return finally_block_without_close(text, line_begin);
  });
}

bool may_define_async_function(std::string_view text) {
  static const search::LiteralFinder async_word("async");
  std::size_t at = 0;
  while ((at = async_word.find(text, at)) != std::string_view::npos) {
    std::size_t p = at + 5;
    // Between the tokens `async` and `def` the lexer lets through whitespace, explicit line
    // joins, and (inside brackets) line breaks and comments; all are skipped here.
    while (p < text.size()) {
      char c = text[p];
      if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\\') {
        ++p;
      } else if (c == '#') {
        const void* newline = std::memchr(text.data() + p, '\n', text.size() - p);
        p = newline == nullptr
                ? text.size()
                : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data());
      } else {
        break;
      }
    }
    if (text.substr(p, 3) == "def") return true;
    at += 5;
  }
  return false;
}

bool has_async_function(const python::LineModel& model) {
  return std::any_of(model.scopes().begin(), model.scopes().end(), [](const python::Scope& scope) {
    return scope.kind == python::ScopeKind::AsyncFunction;
  });
}

std::vector<search::TextRange> async_regions(const python::LineModel& model) {
  std::string_view text = model.source();
  std::vector<search::TextRange> regions;
  for (const python::Scope& scope : model.scopes()) {
    if (scope.kind != python::ScopeKind::AsyncFunction) continue;
    // The whole extent, decorators included: annotate_python gives a comment anywhere in it
    // (above the first statement, or beside a decorator) to the function.
    std::size_t begin = scope.begin;
    while (begin > 0 && text[begin - 1] != '\n') --begin;
    std::size_t last = scope.end > scope.body_begin ? scope.end - 1 : scope.body_begin;
    const void* newline = last < text.size() ? std::memchr(text.data() + last, '\n', text.size() - last) : nullptr;
    std::size_t end = newline == nullptr ? text.size() : static_cast<const char*>(newline) - text.data() + 1;
    // Scopes come in order of their first byte, so a region starts at or after the last one's.
    if (!regions.empty() && begin <= regions.back().end) {
      regions.back().end = std::max(regions.back().end, end);
    } else {
      regions.push_back({begin, end});
    }
  }
  return regions;
}

void annotate_python(std::string_view path, std::string_view text, const search::RuleSet& rules,
                     std::vector<Finding>& findings, std::vector<Suppression>* unused) {
  if (findings.empty() && unused == nullptr) return;
  annotate_python(path, text, python::LineModel::build(text), rules, findings, unused);
}

void annotate_python(std::string_view path, std::string_view text, const python::LineModel& model,
                     const search::RuleSet& rules, std::vector<Finding>& findings,
                     std::vector<Suppression>* unused, const std::vector<ImportBinding>* imports) {
  if (findings.empty() && unused == nullptr) return;
  const bool test_file = is_test_path(path);
  const FileMarkers markers = scan_file_markers(text);
  const bool main_module = basename(path) == "__main__.py";
  const std::uint32_t first_guard = first_main_guard_line(model, markers);

  // Suppression comments, by line (the model's lines count a lone CR as a break, as Python
  // does; findings count "\n" only, so map through byte offsets).
  std::vector<Suppression> suppressions;
  std::size_t counted_to = 0;  // spans come in order: newlines are counted once, not per comment
  std::uint32_t comment_line = 1;
  // Most files hold no directive word: their comments need no parsing.
  for (const auto& span :
       markers.directive_words ? model.spans() : std::span<const python::Span>{}) {
    if (span.region != python::Region::Comment) continue;
    std::string_view comment = text.substr(span.begin, span.end - span.begin);
    Suppression s;
    if (!parse_suppression(comment, s)) continue;
    comment_line += static_cast<std::uint32_t>(
        std::count(text.begin() + counted_to, text.begin() + span.begin, '\n'));
    counted_to = span.begin;
    s.line = comment_line;
    suppressions.push_back(std::move(s));
  }

  // Most files have no non-blocking marker at all: one pass says so for every finding.
  const bool file_has_nonblocking_markers = !findings.empty() && markers.nonblocking;
  std::vector<std::int8_t> nonblocking_by_scope(file_has_nonblocking_markers ? model.scopes().size() : 0, -1);
  std::optional<ObjectKinds> kinds;  // built on the first blocking call that needs it
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (Finding& finding : findings) {
    const rules::Rule& rule = rules[finding.rule].rule;
    Features& f = finding.features.edit();
    f.analyzed = true;
    std::size_t at = rule.anchor == rules::Anchor::end && finding.end_offset > finding.offset
                         ? static_cast<std::size_t>(finding.end_offset - 1)
                         : static_cast<std::size_t>(finding.offset);
    if (rule.anchor == rules::Anchor::end) {
      // The document's patterns end at the call's "(": describe the call's name instead.
      std::size_t name = at;
      while (name > 0 && (text[name] == '(' || text[name] == ' ')) --name;
      at = name;
    }
    python::Classification where = model.classify(at);
    f.region = where.region == python::Region::Comment  ? Features::Region::comment
               : where.region == python::Region::String ? Features::Region::string
                                                         : Features::Region::code;
    f.docstring = where.docstring;

    // Walk out from the innermost scope: the first def/lambda/class met before an async def
    // is a nested body that does not run on the loop when the async def runs.
    std::uint32_t index = model.innermost_scope(at);
    std::uint32_t innermost_function = python::kNoScope;
    while (index != python::kNoScope) {
      const python::Scope& scope = model.scope(index);
      if (scope.kind == python::ScopeKind::Module) break;
      // Decorators, defaults and annotations are the enclosing scope's code; a comment between
      // the `:` and the first statement belongs to the body.
      if (at < scope.body_begin && where.region != python::Region::Comment) {
        index = scope.parent;
        continue;
      }
      if (innermost_function == python::kNoScope && scope.kind != python::ScopeKind::Class) innermost_function = index;
      if (scope.kind == python::ScopeKind::AsyncFunction) {
        f.async_line = scope.keyword_line;
        f.async_name = std::string(scope.name);
        break;
      }
      if (f.nested == Features::Nested::none) {
        f.nested = scope.kind == python::ScopeKind::Lambda ? Features::Nested::lambda
                   : scope.kind == python::ScopeKind::Class ? Features::Nested::klass
                                                             : Features::Nested::def;
        f.nested_line = scope.keyword_line;
        f.nested_name = std::string(scope.name);
        f.nested_called_line = inline_call_line(model, index);  // 0 unless a def the async body calls
      }
      index = scope.parent;
    }
    if (f.async_line == 0) {
      f.nested = Features::Nested::none;  // nested relative to nothing: plain sync code
      f.nested_line = 0;
      f.nested_name.clear();
      f.nested_called_line = 0;
    }
    std::size_t start = expression_start(text, static_cast<std::size_t>(finding.offset) < at ? at : static_cast<std::size_t>(finding.offset));
    if (rule.anchor == rules::Anchor::end) {
      // The document's patterns may end at a name: is it called, or only referenced?
      std::size_t after = at + 1;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      f.called = after < text.size() && text[after] == '(';
      std::size_t name_start = at + 1;
      while (name_start > 0 && (is_identifier_byte(text[name_start - 1]) || text[name_start - 1] == '.')) --name_start;
      start = expression_start(text, name_start);
    }
    f.awaited = preceded_by_await(text, start);
    std::string outer = enclosing_call(text, start, model.line_begin(model.logical_start(model.line_of(start))));
    for (std::string_view offloader : {"to_thread", "run_in_executor", "run_sync"}) {
      if (ends_with(outer, offloader)) f.offload_call = outer;
    }
    // A coroutine handed to the loop (create_task, gather, ...) is not a blocking call:
    // `loop.create_task(self.write_bytes(w))` calls an async method of the same name.
    for (std::string_view scheduler : {"create_task", "ensure_future", "gather", "wait_for", "shield", "start_soon",
                                       "run_coroutine_threadsafe", "run_until_complete", "timeout_at", "wait",
                                       "with_timeout"}) {
      if (ends_with(outer, scheduler) && (outer.size() == scheduler.size() || outer[outer.size() - scheduler.size() - 1] == '.')) {
        f.awaited = true;
      }
    }
    if (!f.awaited && f.called && f.offload_call.empty() && innermost_function != python::kNoScope &&
        rule.category == "blocking-io") {
      const std::size_t later = awaited_later(model, text, start, model.scope(innermost_function).end);
      if (later > static_cast<std::size_t>(finding.offset)) {
        // In the document's line numbering ("\n" only), as the finding's own line is.
        f.awaited_line = finding.line + static_cast<std::uint32_t>(std::count(
                                            text.begin() + static_cast<std::ptrdiff_t>(finding.offset),
                                            text.begin() + static_cast<std::ptrdiff_t>(later), '\n'));
        f.awaited = true;
      }
    }
    f.receiver = receiver_name(text, start, static_cast<std::size_t>(finding.offset));
    f.async_iterated = async_iterated(text, start, model.line_begin(model.logical_start(model.line_of(start))));
    if (!file_has_nonblocking_markers) {
      f.nonblocking_in_function = false;
    } else if (innermost_function != python::kNoScope) {
      std::int8_t& known = nonblocking_by_scope[innermost_function];
      if (known < 0) {
        const python::Scope& scope = model.scope(innermost_function);
        known = has_nonblocking_setup(text.substr(scope.begin, scope.end - scope.begin)) ? 1 : 0;
      }
      f.nonblocking_in_function = known == 1;
    } else {
      // Module level: look at the statement's neighbourhood (a few lines around).
      std::uint32_t line = model.line_of(at);
      std::uint32_t from = line > 10 ? line - 10 : 1;
      std::uint32_t to = std::min(model.line_count(), line + 10);
      f.nonblocking_in_function =
          has_nonblocking_setup(text.substr(model.line_begin(from), model.line_end(to) - model.line_begin(from)));
    }
    f.test_file = test_file;
    f.imports_async = markers.imports_async;
    // The walk back can only meet a guard above the finding (most guards end a module).
    const std::uint32_t at_line = model.line_of(at);
    f.main_guard = main_module ||
                   (first_guard != 0 && first_guard < at_line && inside_main_guard(model, at_line));

    if (rule.scope == rules::Scope::async && f.async_line == 0) continue;  // not a candidate
    if (rule.category == "blocking-io" && rule.anchor == rules::Anchor::start && f.async_line != 0) {
      if (!kinds) kinds.emplace(model, imports);
      const std::size_t open = finding.end_offset > 0 ? static_cast<std::size_t>(finding.end_offset - 1) : 0;
      const bool method = finding.offset < text.size() && text[finding.offset] == '.';
      const bool code = f.region == Features::Region::code;
      ObjectBinding binding;
      if (code && open < text.size() && text[open] == '(') {
        binding = describe_receiver(model, *kinds, innermost_function, start,
                                    method ? static_cast<std::size_t>(finding.offset) : start, open, f);
        std::string_view callee = text.substr(finding.offset, open - finding.offset);
        if (callee.find("getaddrinfo") != std::string_view::npos || callee.find("getnameinfo") != std::string_view::npos) {
          f.numeric_lookup = kinds->numeric_lookup(open, callee.find("getnameinfo") != std::string_view::npos);
        }
      }
      if (rule.check == rules::Check::receiver_kind && method) {
        // `.wait(` is Popen.wait only on a Popen: elsewhere it is no candidate at all.
        std::size_t name_end = finding.offset + 1;
        while (name_end < text.size() && is_identifier_byte(text[name_end])) ++name_end;
        ReceiverKind gate = gated_method_kind(text.substr(finding.offset + 1, name_end - finding.offset - 1));
        if (gate != ReceiverKind::unknown &&
            (!code || f.awaited || f.receiver_kind != gate || (gate == ReceiverKind::file && binding.opened_here))) {
          continue;
        }
      }
    }
    if (rule.check == rules::Check::finally_closes) {
      if (f.region != Features::Region::code) continue;
      f.finally_close_line = finally_close_line(model, model.line_of(at));
      if (f.finally_close_line == 0) continue;
      // Report in the document's line numbering ("\n" only).
      std::size_t close_offset = model.line_begin(f.finally_close_line);
      f.finally_close_line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + close_offset, '\n') + 1);
    }
    if (rule.check == rules::Check::nonblocking_absent && f.nonblocking_in_function) continue;
    if (rule.category == "gather-vs-taskgroup" && finding.end_offset > 0) {
      f.return_exceptions = collects_exceptions(model, static_cast<std::size_t>(finding.end_offset - 1));
    }

    for (auto& s : suppressions) {
      if (s.line < finding.line || s.line > finding.end_line) continue;
      bool applies = s.ids.empty() || std::any_of(s.ids.begin(), s.ids.end(), [&](const std::string& id) {
                       return rules::suppression_names(rule, id);
                     });
      if (!applies) continue;
      s.used = true;
      if (f.suppressed_by.empty()) f.suppressed_by = s.text;
    }
    kept.push_back(std::move(finding));
  }
  findings = std::move(kept);
  if (unused != nullptr) {
    // Only our own comments: a `# noqa` may serve Ruff or flake8 and is theirs to judge.
    for (auto& s : suppressions) {
      if (!s.used && !s.noqa) unused->push_back(std::move(s));
    }
  }
}

}  // namespace asyncsweep::analyze
