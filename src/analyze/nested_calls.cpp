#include "analyze/nested_calls.hpp"

#include <string_view>

#include "text/python_text.hpp"

namespace asyncsweep::analyze {

namespace {

using text::is_identifier_byte;

// Occurrences of the identifier `word` in code whose innermost scope is `scope`, in
// [begin, end), handed to `visit(offset)` until it returns true. Comments, strings and longer
// identifiers that contain the word are skipped.
template <typename Visit>
bool each_word(const python::LineModel& model, std::string_view word, std::size_t begin,
               std::size_t end, std::uint32_t scope, Visit visit) {
  std::string_view text = model.source().substr(0, end);
  for (std::size_t at = text.find(word, begin); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    std::size_t past = at + word.size();
    if ((at > 0 && is_identifier_byte(text[at - 1])) || (past < text.size() && is_identifier_byte(text[past])))
      continue;
    if (model.classify(at).region != python::Region::Code) continue;
    if (model.innermost_scope(at) != scope) continue;
    if (visit(at)) return true;
  }
  return false;
}

// The character before `p`, blanks skipped ('\0' at the start).
char char_before(std::string_view text, std::size_t& p) {
  while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t')) --p;
  return p > 0 ? text[p - 1] : '\0';
}

// The identifier that ends right before `p` (blanks skipped); `p` moves to its start.
std::string_view word_before(std::string_view text, std::size_t& p) {
  char_before(text, p);
  std::size_t end = p;
  while (p > 0 && is_identifier_byte(text[p - 1])) --p;
  return text.substr(p, end - p);
}

bool is_direct_call(std::string_view text, std::size_t at, std::size_t past) {
  while (past < text.size() && (text[past] == ' ' || text[past] == '\t')) ++past;
  if (past >= text.size() || text[past] != '(') return false;
  std::size_t p = at;
  if (char_before(text, p) == '.') return false;  // an attribute of something else
  std::string_view before = word_before(text, p);
  if (before == "await" || before == "def" || before == "class") return false;
  return !(before == "with" && word_before(text, p) == "async");
}

}  // namespace

std::uint32_t inline_call_line(const python::LineModel& model, std::uint32_t nested) {
  const python::Scope& def = model.scope(nested);
  if (def.kind != python::ScopeKind::Function || def.parent == python::kNoScope ||
      def.decorators_count != 0)
    return 0;
  const python::Scope& owner = model.scope(def.parent);
  if (owner.kind != python::ScopeKind::AsyncFunction || def.name.empty()) return 0;
  auto any = [](std::size_t) { return true; };
  if (each_word(model, "yield", def.body_begin, def.end, nested, any)) return 0;
  std::string_view text = model.source();
  std::uint32_t line = 0;
  each_word(model, def.name, def.end, owner.end, def.parent, [&](std::size_t at) {
    if (!is_direct_call(text, at, at + def.name.size())) return false;
    line = model.line_of(at);
    return true;
  });
  return line;
}

}  // namespace asyncsweep::analyze
