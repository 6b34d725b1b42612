#include "analyze/finally_block.hpp"

#include <cstring>

#include "text/python_text.hpp"

namespace asyncsweep::analyze {

namespace {

using text::indentation;

constexpr std::string_view kCloseCalls[] = {".close(", ".aclose("};

}  // namespace

std::size_t plain_finally_block_end(std::string_view text, std::size_t line_begin) {
  std::size_t block_indent = std::string_view::npos;
  long depth = 0;
  for (std::size_t begin = line_begin; begin < text.size();) {
    const void* newline = std::memchr(text.data() + begin, '\n', text.size() - begin);
    std::size_t end = newline == nullptr ? text.size() : static_cast<const char*>(newline) - text.data();
    std::string_view line = text.substr(begin, end - begin);
    // Outside a comment, these need a lexer: strings, continuations, other line breaks.
    std::size_t hash = line.find('#');
    std::string_view code = line.substr(0, hash);
    if (code.find_first_of("'\"\\\r\f") != std::string_view::npos) return std::string_view::npos;
    if (hash != std::string_view::npos && line.find_first_of("\r\f", hash) != std::string_view::npos) {
      return std::string_view::npos;
    }
    std::size_t indent = indentation(code);
    bool blank_or_comment = indent == code.size();
    if (block_indent == std::string_view::npos) {
      block_indent = indent;  // the `finally:` line itself
    } else if (depth == 0 && !blank_or_comment && indent <= block_indent) {
      return begin;
    }
    for (char c : code) {
      if (c == '(' || c == '[' || c == '{') ++depth;
      else if ((c == ')' || c == ']' || c == '}') && --depth < 0) return std::string_view::npos;
    }
    begin = newline == nullptr ? text.size() : end + 1;
  }
  return text.size();
}

bool finally_block_without_close(std::string_view text, std::size_t line_begin) {
  std::size_t end = plain_finally_block_end(text, line_begin);
  if (end == std::string_view::npos) return false;
  std::string_view block = text.substr(line_begin, end - line_begin);
  for (std::string_view call : kCloseCalls) {
    if (block.find(call) != std::string_view::npos) return false;
  }
  return true;
}

std::uint32_t finally_close_line(const python::LineModel& model, std::uint32_t finally_line) {
  auto closes = [&](std::uint32_t l, std::size_t from) -> bool {
    std::string_view text = model.line_text(l);
    std::size_t base = model.line_begin(l);
    for (std::string_view needle : kCloseCalls) {
      for (std::size_t at = text.find(needle, from); at != std::string_view::npos; at = text.find(needle, at + 1)) {
        if (model.classify(base + at).region == python::Region::Code) return true;
      }
    }
    return false;
  };
  std::string_view head = model.line_text(finally_line);
  std::size_t colon = head.find(':');
  if (colon != std::string_view::npos && closes(finally_line, colon)) return finally_line;
  const std::size_t plain_end = plain_finally_block_end(model.source(), model.line_begin(finally_line));
  std::size_t block_indent = indentation(head);
  for (std::uint32_t l = finally_line + 1; l <= model.line_count(); ++l) {
    if (plain_end != std::string_view::npos && model.line_begin(l) >= plain_end) break;
    python::LineKind kind = model.line_kind(l);
    if (kind == python::LineKind::Blank || kind == python::LineKind::Comment) continue;
    if (model.logical_start(l) == l && indentation(model.line_text(l)) <= block_indent) break;
    if (closes(l, 0)) return l;
  }
  return 0;
}

}  // namespace asyncsweep::analyze
