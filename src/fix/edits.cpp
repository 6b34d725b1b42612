#include "fix/edits.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "analyze/imports.hpp"

namespace asyncsweep::fix {

namespace {

constexpr std::string_view kEventLoopRule = "ASW040";
constexpr std::string_view kSleepRule = "ASW106";
constexpr std::string_view kMarkRule = "ASW012";

using analyze::CodeToken;
using Tokens = std::vector<CodeToken>;

// What the fixes read of a file: its tokens and import table, each made when a fix first
// asks and then kept. Each fix tests what the finding alone tells first, so a file whose
// fixable findings all fail that costs no token.
struct FileFacts {
  const FileInput& input;

  explicit FileFacts(const FileInput& in) : input(in) {}

  const Tokens& tokens() const {
    if (!tokens_) tokens_.emplace(analyze::code_tokens(input.model));
    return *tokens_;
  }
  const analyze::ImportTable& imports() const {
    if (!imports_) imports_.emplace(analyze::ImportTable::build(input.model, tokens()));
    return *imports_;
  }

  std::string_view text(const CodeToken& token) const {
    return input.text.substr(token.begin, token.end - token.begin);
  }
  // Index of the token starting at `offset`, if one does.
  std::optional<std::size_t> token_at(std::uint64_t offset) const {
    auto it = std::lower_bound(tokens().begin(), tokens().end(), offset,
                               [](const CodeToken& t, std::uint64_t o) { return t.begin < o; });
    if (it == tokens().end() || it->begin != offset) return std::nullopt;
    return static_cast<std::size_t>(it - tokens().begin());
  }
  // The token starts a logical line.
  bool starts_statement(std::size_t i) const {
    return i == 0 || tokens()[i - 1].kind == CodeToken::Kind::newline;
  }
  bool is_op(std::size_t i, std::string_view op) const {
    return i < tokens().size() && tokens()[i].kind == CodeToken::Kind::op && text(tokens()[i]) == op;
  }
  bool is_name(std::size_t i, std::string_view name) const {
    return i < tokens().size() && tokens()[i].kind == CodeToken::Kind::name && text(tokens()[i]) == name;
  }
  // The import the name refers to at `offset` is `qualified` (not shadowed, not some other
  // binding).
  bool refers_to(std::string_view name, std::uint64_t offset, std::string_view qualified) const {
    const analyze::ImportBinding* binding = imports().resolve(name, offset);
    return binding != nullptr && binding->qualified == qualified;
  }

 private:
  mutable std::optional<Tokens> tokens_;
  mutable std::optional<analyze::ImportTable> imports_;
};

// Directly in an async def's body: no sync def, lambda or class in between; and real code.
bool directly_in_async_def(const Finding& finding) {
  const Features& f = *finding.features;
  return f.analyzed && f.region == Features::Region::code && f.async_line != 0 &&
         f.nested == Features::Nested::none;
}

FixEdit make_edit(const FileInput& input, const Finding& finding, std::size_t begin,
                  std::size_t end, std::string content, std::string message) {
  const python::LineModel& model = input.model;
  FixEdit edit;
  edit.rule = finding.rule;
  edit.finding_line = finding.line;
  edit.finding_column = finding.column;
  edit.offset = begin;
  edit.length = end - begin;
  edit.row = model.line_of(begin);
  edit.column = static_cast<std::uint32_t>(begin - model.line_begin(edit.row) + 1);
  if (end >= input.text.size() && end > model.line_end(model.line_of(end))) {
    edit.end_row = model.line_count() + 1;  // past the last line break
    edit.end_column = 1;
  } else {
    edit.end_row = model.line_of(end);
    edit.end_column = static_cast<std::uint32_t>(end - model.line_begin(edit.end_row) + 1);
  }
  edit.content = std::move(content);
  edit.message = std::move(message);
  return edit;
}

// `asyncio.get_event_loop()` -> `asyncio.get_running_loop()`: only the attribute's name
// changes, so the module keeps the name it was written with.
std::optional<FixEdit> event_loop_fix(const FileFacts& facts, const Finding& finding) {
  if (!directly_in_async_def(finding)) return std::nullopt;
  auto i = facts.token_at(finding.offset);
  if (!i) return std::nullopt;
  const std::size_t k = *i;
  if (k > 0 && facts.is_op(k - 1, ".")) return std::nullopt;  // `x.asyncio.get_event_loop()`
  if (!(facts.is_op(k + 1, ".") && facts.is_name(k + 2, "get_event_loop") &&
        facts.is_op(k + 3, "(") && facts.is_op(k + 4, ")")))
    return std::nullopt;
  const std::string_view module = facts.text(facts.tokens()[k]);
  if (!facts.refers_to(module, finding.offset, "asyncio")) return std::nullopt;
  const CodeToken& attribute = facts.tokens()[k + 2];
  return make_edit(facts.input, finding, attribute.begin, attribute.end, "get_running_loop",
                   "Replace with `" + std::string(module) + ".get_running_loop()`");
}

// The name to call the event loop library's sleep by: the module (asyncio, trio or anyio) that
// the file imports and that is visible at `offset`; none when two of them are, or none is.
std::optional<std::string> async_library(const FileFacts& facts, std::uint64_t offset) {
  static constexpr std::array<std::string_view, 3> kLibraries = {"asyncio", "trio", "anyio"};
  std::optional<std::string> name;
  std::string_view library;
  for (const auto& binding : facts.imports().imports()) {
    if (std::find(kLibraries.begin(), kLibraries.end(), binding.qualified) == kLibraries.end())
      continue;
    if (!facts.refers_to(binding.local, offset, binding.qualified)) continue;
    if (!library.empty() && library != binding.qualified) return std::nullopt;  // ambiguous
    // The module's own name first (`import asyncio` beside `import asyncio as aio`).
    if (!name || binding.local == binding.qualified) name = binding.local;
    library = binding.qualified;
  }
  return name;
}

// `time.sleep(x)` (also `sleep(x)` after `from time import sleep`, `t.sleep(x)` after
// `import time as t`) as a whole statement -> `await asyncio.sleep(x)`.
std::optional<FixEdit> sleep_fix(const FileFacts& facts, const Finding& finding) {
  if (!directly_in_async_def(finding) || finding.features->awaited ||
      !finding.features->offload_call.empty())
    return std::nullopt;
  auto i = facts.token_at(finding.offset);
  if (!i || !facts.starts_statement(*i)) return std::nullopt;
  // The callee: NAME (. NAME)* up to the call's "(".
  const Tokens& tokens = facts.tokens();
  std::size_t k = *i;
  std::string callee;
  for (;;) {
    if (k >= tokens.size() || tokens[k].kind != CodeToken::Kind::name)
      return std::nullopt;
    callee += facts.text(tokens[k]);
    if (facts.is_op(k + 1, "(")) break;
    if (!facts.is_op(k + 1, ".")) return std::nullopt;
    callee += '.';
    k += 2;
  }
  const std::size_t callee_end = tokens[k].end;
  const std::size_t dot = callee.find('.');
  const std::string head = callee.substr(0, dot);
  const analyze::ImportBinding* binding = facts.imports().resolve(head, finding.offset);
  if (binding == nullptr) return std::nullopt;
  const std::string qualified =
      binding->qualified + (dot == std::string::npos ? "" : callee.substr(dot));
  if (qualified != "time.sleep") return std::nullopt;
  // The call must be the whole statement: its ")" ends the logical line.
  int depth = 0;
  std::size_t j = k + 1;
  for (; j < tokens.size(); ++j) {
    if (tokens[j].kind != CodeToken::Kind::op) continue;
    const std::string_view op = facts.text(tokens[j]);
    if (op == "(" || op == "[" || op == "{") ++depth;
    if ((op == ")" || op == "]" || op == "}") && --depth == 0) break;
  }
  if (j >= tokens.size() || !facts.is_op(j, ")")) return std::nullopt;
  if (j + 1 < tokens.size() && tokens[j + 1].kind != CodeToken::Kind::newline)
    return std::nullopt;
  const std::optional<std::string> library = async_library(facts, finding.offset);
  if (!library) return std::nullopt;
  const std::string replacement = "await " + *library + ".sleep";
  return make_edit(facts.input, finding, finding.offset, callee_end, replacement,
                   "Replace with `" + replacement + "(...)`");
}

// A line holding `@pytest.mark.asyncio` and nothing else, decorating an async def, under
// asyncio_mode = auto -> the line removed with its line break.
std::optional<FixEdit> mark_fix(const FileFacts& facts, const Finding& finding) {
  const python::LineModel& model = facts.input.model;
  const Features& f = *finding.features;
  if (!f.analyzed || f.region != Features::Region::code) return std::nullopt;
  const python::Scope& scope = model.scope(model.innermost_scope(finding.offset));
  if (scope.kind != python::ScopeKind::AsyncFunction || finding.offset >= scope.keyword_offset)
    return std::nullopt;  // not a decorator of an async def
  auto i = facts.token_at(finding.offset);
  if (!i || !facts.starts_statement(*i)) return std::nullopt;
  const std::size_t k = *i;
  if (!(facts.is_op(k, "@") && facts.is_name(k + 1, "pytest") && facts.is_op(k + 2, ".") &&
        facts.is_name(k + 3, "mark") && facts.is_op(k + 4, ".") &&
        facts.is_name(k + 5, "asyncio") && k + 6 < facts.tokens().size() &&
        facts.tokens()[k + 6].kind == CodeToken::Kind::newline))
    return std::nullopt;
  const std::uint32_t line = model.line_of(finding.offset);
  // Alone on its line: no comment after it, no other statement before it.
  const std::size_t begin = model.line_begin(line);
  const std::size_t end_of_text = model.line_end(line);
  if (facts.tokens()[k + 5].end > end_of_text || model.line_flags(line) != python::kLineCode)
    return std::nullopt;
  const std::string_view before = facts.input.text.substr(begin, finding.offset - begin);
  const std::string_view after =
      facts.input.text.substr(facts.tokens()[k + 5].end, end_of_text - facts.tokens()[k + 5].end);
  auto blank = [](std::string_view s) {
    return s.find_first_not_of(" \t\f") == std::string_view::npos;
  };
  if (!blank(before) || !blank(after)) return std::nullopt;
  if (!facts.refers_to("pytest", finding.offset, "pytest")) return std::nullopt;
  if (!facts.input.pytest_auto_mode || !facts.input.pytest_auto_mode()) return std::nullopt;
  const std::size_t end =
      line < model.line_count() ? model.line_begin(line + 1) : facts.input.text.size();
  return make_edit(facts.input, finding, begin, end, "",
                   "Remove the decorator (asyncio_mode = auto collects the test)");
}

}  // namespace

bool fixable(const rules::Rule& rule) {
  return rule.id == kEventLoopRule || rule.id == kSleepRule || rule.id == kMarkRule;
}

std::vector<FixEdit> compute_edits(const FileInput& input, const search::RuleSet& rules,
                                   const std::vector<Finding>& findings) {
  std::vector<FixEdit> edits;
  const FileFacts facts(input);
  for (const auto& finding : findings) {
    const rules::Rule& rule = rules[finding.rule].rule;
    if (!fixable(rule)) continue;
    std::optional<FixEdit> edit = rule.id == kEventLoopRule ? event_loop_fix(facts, finding)
                                  : rule.id == kSleepRule   ? sleep_fix(facts, finding)
                                                            : mark_fix(facts, finding);
    if (edit) edits.push_back(std::move(*edit));
  }
  std::stable_sort(edits.begin(), edits.end(),
                   [](const FixEdit& a, const FixEdit& b) { return a.offset < b.offset; });
  // Overlapping edits: the first stays, the rest wait for the next run.
  std::uint64_t covered = 0;
  bool any = false;
  std::erase_if(edits, [&](const FixEdit& edit) {
    if (any && edit.offset < covered) return true;
    any = true;
    covered = edit.offset + edit.length;
    return false;
  });
  return edits;
}

std::string apply_edits(std::string_view text, const std::vector<FixEdit>& edits) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& edit : edits) {
    out.append(text.substr(at, edit.offset - at));
    out += edit.content;
    at = edit.offset + edit.length;
  }
  out.append(text.substr(std::min(at, text.size())));
  return out;
}

}  // namespace asyncsweep::fix
