#include "analyze/imports.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <tuple>

#include "search/literal_scan.hpp"
#include "text/python_text.hpp"

namespace asyncsweep::analyze {

namespace {

using Kind = CodeToken::Kind;

// A table, not std::isalnum: the locale lookup per byte was a tenth of tokenizing.
bool ident_char(char c) { return text::is_identifier_byte(c); }

// Two-character operators that matter for telling targets from comparisons and annotations.
bool two_char_op(char a, char b) {
  if (b == '=') return std::string_view("=!<>:+-*/%&|^@").find(a) != std::string_view::npos;
  return (a == '-' && b == '>') || (a == '*' && b == '*') || (a == '/' && b == '/') ||
         (a == '<' && b == '<') || (a == '>' && b == '>');
}

// Statement heads after whose `:` another statement may follow on the same line.
bool compound_head(std::string_view word) {
  static constexpr std::string_view kHeads[] = {"if",      "elif",  "else",  "try",  "except",
                                                "finally", "while", "for",   "with", "def",
                                                "class",   "async", "match", "case"};
  return std::find(std::begin(kHeads), std::end(kHeads), word) != std::end(kHeads);
}

class StatementReader {
 public:
  StatementReader(std::string_view text, const std::vector<CodeToken>& tokens)
      : text_(text), tokens_(tokens) {}
  std::string_view at(std::size_t i) const {
    return i < tokens_.size() ? text_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin)
                              : std::string_view{};
  }
  bool is_name(std::size_t i) const { return i < tokens_.size() && tokens_[i].kind == Kind::name; }
  // A dotted name starting at token i: its text with the dots, and the index past it.
  std::string dotted(std::size_t& i, std::size_t end) const { return dotted_name(text_, tokens_, i, end); }

 private:
  std::string_view text_;
  const std::vector<CodeToken>& tokens_;
};

}  // namespace

std::string dotted_name(std::string_view text, const std::vector<CodeToken>& tokens, std::size_t& i,
                        std::size_t end) {
  auto name = [&](std::size_t k) { return k < tokens.size() && tokens[k].kind == Kind::name; };
  auto at = [&](std::size_t k) { return text.substr(tokens[k].begin, tokens[k].end - tokens[k].begin); };
  std::string out;
  while (i < end && name(i)) {
    out += at(i++);
    if (i + 1 < end && i < tokens.size() && at(i) == "." && name(i + 1)) {
      out += '.';
      ++i;
    } else {
      break;
    }
  }
  return out;
}

namespace {

// What the tokenizer does with a byte, looked up once instead of a chain of tests.
enum ByteClass : std::uint8_t { kOperator, kLineBreak, kBlank, kBackslash, kNameStart, kDigit, kDot };

constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (ch == '\n' || ch == '\r') table[c] = kLineBreak;
    else if (ch == ' ' || ch == '\t' || ch == '\f') table[c] = kBlank;
    else if (ch == '\\') table[c] = kBackslash;
    else if (c >= '0' && c <= '9') table[c] = kDigit;
    else if (ch == '.') table[c] = kDot;
    else if (text::is_identifier_byte(ch)) table[c] = kNameStart;
    else table[c] = kOperator;
  }
  return table;
}();

}  // namespace

std::vector<CodeToken> code_tokens(const python::LineModel& model, std::size_t begin,
                                   std::size_t end) {
  std::string_view text = model.source().substr(0, std::min(end, model.source().size()));
  std::vector<CodeToken> tokens;
  tokens.reserve((text.size() - std::min(begin, text.size())) / 6);
  auto spans = model.spans();
  std::size_t next_span = static_cast<std::size_t>(
      std::upper_bound(spans.begin(), spans.end(), begin,
                       [](std::size_t o, const python::Span& span) { return o < span.end; }) -
      spans.begin());
  int depth = 0;
  // A UTF-8 BOM is no part of the first token (else `import` after it is a name of its own).
  std::size_t p = model.has_bom() ? std::max<std::size_t>(begin, 3) : begin;
  auto push = [&](std::size_t b, std::size_t e, Kind k) {
    tokens.push_back(CodeToken{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), k});
  };
  // Where the next string or comment starts: code runs up to it (a token never runs into one).
  auto limit_of = [&] {
    return next_span < spans.size() ? std::min<std::size_t>(spans[next_span].begin, text.size())
                                    : text.size();
  };
  std::size_t limit = limit_of();
  while (p < text.size()) {
    if (p >= limit) {
      if (spans[next_span].begin >= text.size()) break;
      const python::Span& span = spans[next_span++];
      // Adjacent pieces of one literal (an f-string around its fields) make one string token.
      if (span.region == python::Region::String &&
          (tokens.empty() || tokens.back().kind != Kind::string ||
           tokens.back().end != span.begin)) {
        push(span.begin, std::min<std::size_t>(span.end, text.size()), Kind::string);
      } else if (span.region == python::Region::String) {
        tokens.back().end =
            static_cast<std::uint32_t>(std::min<std::size_t>(span.end, text.size()));
      }
      p = std::max<std::size_t>(p, std::min<std::size_t>(span.end, text.size()));
      limit = limit_of();
      continue;
    }
    const char c = text[p];
    switch (kByteClass[static_cast<unsigned char>(c)]) {
      case kLineBreak:
        if (depth == 0 && !tokens.empty() && tokens.back().kind != Kind::newline)
          push(p, p + 1, Kind::newline);
        ++p;
        break;
      case kBlank:
        // A run at once (indentation): no span starts inside it.
        do ++p;
        while (p < limit && kByteClass[static_cast<unsigned char>(text[p])] == kBlank);
        break;
      case kBackslash:
        ++p;  // an explicit line join: the break after it is skipped below
        if (p < text.size() && text[p] == '\r') ++p;
        if (p < text.size() && text[p] == '\n') ++p;
        break;
      case kNameStart: {
        const std::size_t b = p;
        while (p < limit && ident_char(text[p])) ++p;
        push(b, p, Kind::name);
        break;
      }
      case kDot:
        if (!(p + 1 < limit && kByteClass[static_cast<unsigned char>(text[p + 1])] == kDigit)) {
          push(p, p + 1, Kind::op);  // no two-character operator starts with '.'
          ++p;
          break;
        }
        [[fallthrough]];
      case kDigit: {
        const std::size_t b = p;
        while (p < limit && (ident_char(text[p]) || text[p] == '.')) ++p;
        push(b, p, Kind::number);
        break;
      }
      default: {
        if (c == '(' || c == '[' || c == '{') ++depth;
        if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
        const std::size_t len = p + 1 < limit && two_char_op(c, text[p + 1]) ? 2 : 1;
        push(p, p + len, Kind::op);
        p += len;
      }
    }
  }
  return tokens;
}

std::uint32_t ImportTable::scope_of(std::size_t offset) const {
  std::uint32_t s = model_->innermost_scope(offset);
  // A def's decorators, defaults and annotations run in the enclosing scope.
  while (s != 0 && s != python::kNoScope && offset < model_->scope(s).body_begin)
    s = model_->scope(s).parent;
  return s == python::kNoScope ? 0 : s;
}

void ImportTable::bind(std::string_view name, std::uint32_t offset, std::int32_t import) {
  bindings_.push_back(Binding{name, scope_of(offset), offset, import});
}

ImportTable ImportTable::build(const python::LineModel& model,
                               const std::vector<CodeToken>& tokens) {
  return read(model, tokens, false);
}

std::vector<ImportBinding> ImportTable::imports_of(const python::LineModel& model) {
  static const search::LiteralFinder kImport("import");
  std::string_view text = model.source();
  std::vector<ImportBinding> imports;
  std::uint32_t done = 0;  // last line of the last logical line read
  for (std::size_t at = kImport.find(text); at != std::string_view::npos;
       at = kImport.find(text, at + 1)) {
    if ((at > 0 && ident_char(text[at - 1])) || (at + 6 < text.size() && ident_char(text[at + 6])))
      continue;
    const std::uint32_t line = model.line_of(at);
    if (line <= done || model.classify(at).region != python::Region::Code) continue;
    const std::uint32_t first = model.logical_start(line);
    std::uint32_t last = line;
    while (last < model.line_count() && model.logical_start(last + 1) == first) ++last;
    done = last;
    ImportTable part =
        read(model, code_tokens(model, model.line_begin(first), model.line_end(last)), true);
    std::move(part.imports_.begin(), part.imports_.end(), std::back_inserter(imports));
  }
  return imports;
}

ImportTable ImportTable::read(const python::LineModel& model, const std::vector<CodeToken>& tokens,
                              bool imports_only) {
  ImportTable table;
  table.model_ = &model;
  std::string_view text = model.source();
  StatementReader r(text, tokens);

  // def and class names bind in the enclosing scope; parameters in the function's own.
  for (std::uint32_t s = 1; s < (imports_only ? 0 : model.scopes().size()); ++s) {
    const python::Scope& scope = model.scope(s);
    if (scope.kind != python::ScopeKind::Lambda) table.bind(scope.name, scope.keyword_offset, -1);
    if (scope.kind == python::ScopeKind::Class) continue;
    auto first = std::lower_bound(tokens.begin(), tokens.end(), scope.keyword_offset,
                                  [](const CodeToken& t, std::uint32_t o) { return t.begin < o; });
    std::size_t i = static_cast<std::size_t>(first - tokens.begin());
    int depth = 0;
    bool lambda = scope.kind == python::ScopeKind::Lambda;
    for (; i < tokens.size() && tokens[i].begin < scope.body_begin; ++i) {
      std::string_view t = r.at(i);
      if (tokens[i].kind == Kind::op) {
        if (t == "(" || t == "[" || t == "{")
          ++depth;
        else if (t == ")" || t == "]" || t == "}")
          --depth;
        continue;
      }
      if (!r.is_name(i) || (lambda ? depth != 0 : depth != 1) || i == 0) continue;
      std::string_view before = r.at(i - 1);
      std::string_view after = r.at(i + 1);
      bool opens =
          before == "(" || before == "," || before == "*" || before == "**" || before == "lambda";
      bool closes = after == "," || after == "=" || after == ":" || after == ")";
      if (opens && closes) table.bindings_.push_back(Binding{t, s, tokens[i].begin, -1});
    }
  }

  // Statements: split at line ends, `;`, and the `:` of a compound statement's header.
  std::size_t i = 0;
  while (i < tokens.size()) {
    std::size_t end = i;
    int depth = 0;
    const bool compound = r.is_name(i) && compound_head(r.at(i));
    for (; end < tokens.size(); ++end) {
      if (tokens[end].kind == Kind::newline) break;
      std::string_view t = r.at(end);
      if (tokens[end].kind != Kind::op) continue;
      if (t == "(" || t == "[" || t == "{")
        ++depth;
      else if (t == ")" || t == "]" || t == "}")
        depth = std::max(0, depth - 1);
      else if (depth == 0 && (t == ";" || (compound && t == ":" && end > i)))
        break;
    }
    const std::size_t next = end + 1;
    std::string_view head = r.at(i);
    const std::uint32_t line = model.line_of(i < tokens.size() ? tokens[i].begin : 0);
    if (head == "import" && r.is_name(i)) {
      std::size_t k = i + 1;
      while (k < end) {
        std::uint32_t at = tokens[k].begin;
        std::string module = r.dotted(k, end);
        if (module.empty()) break;
        std::string local = module.substr(0, module.find('.'));
        std::string qualified = local;
        if (r.at(k) == "as" && r.is_name(k + 1)) {
          local = std::string(r.at(k + 1));
          qualified = module;
          at = tokens[k + 1].begin;
          k += 2;
        }
        table.imports_.push_back(ImportBinding{local, qualified, line, table.scope_of(at)});
        if (r.at(k) != ",") break;
        ++k;
      }
    } else if (head == "from" && r.is_name(i)) {
      std::size_t k = i + 1;
      std::string module = r.dotted(k, end);  // empty for `from . import x` (relative)
      if (!module.empty() && r.at(k) == "import") {
        ++k;
        while (k < end) {
          std::string_view t = r.at(k);
          if (t == "(" || t == ")" || t == ",") {
            ++k;
            continue;
          }
          if (!r.is_name(k)) break;
          std::string_view name = t;
          std::uint32_t at = tokens[k].begin;
          ++k;
          std::string_view local = name;
          if (r.at(k) == "as" && r.is_name(k + 1)) {
            local = r.at(k + 1);
            k += 2;
          }
          table.imports_.push_back(ImportBinding{
              std::string(local), module + "." + std::string(name), line, table.scope_of(at)});
        }
      }
    } else if (i < end && !imports_only) {
      // Assignment targets: `a = `, `a: T = `, `a += `, `a, b = `.
      std::size_t k = i;
      while (r.is_name(k) && k < end && (r.at(k + 1) == "," && r.is_name(k + 2))) k += 2;
      std::string_view op = r.at(k + 1);
      if (r.is_name(k) && k < end &&
          (op == "=" || (op == ":" && k == i) ||
           (op.size() == 2 && op.back() == '=' && op != "==" && op != "!=" && op != "<=" &&
            op != ">="))) {
        for (std::size_t n = i; n <= k; n += 2) table.bind(r.at(n), tokens[n].begin, -1);
      }
      // `for a, b in`, `with x as a`, `except E as a`, `(a := x)`.
      for (std::size_t n = i; n < end; ++n) {
        std::string_view t = r.at(n);
        if ((t == "as" || t == "for") && tokens[n].kind == Kind::name) {
          for (std::size_t m = n + 1; m < end && r.is_name(m); m += 2) {
            table.bind(r.at(m), tokens[m].begin, -1);
            if (r.at(m + 1) != ",") break;
          }
        } else if (t == ":=" && n > i && r.is_name(n - 1)) {
          table.bind(r.at(n - 1), tokens[n - 1].begin, -1);
        }
      }
    }
    i = next;
  }

  for (std::size_t k = 0; k < table.imports_.size(); ++k) {
    const ImportBinding& b = table.imports_[k];
    // The binding's offset orders it among the scope's other bindings: its statement's line.
    table.bindings_.push_back(Binding{b.local, b.scope,
                                      static_cast<std::uint32_t>(model.line_begin(b.line)),
                                      static_cast<std::int32_t>(k)});
  }
  std::sort(table.bindings_.begin(), table.bindings_.end(), [](const Binding& a, const Binding& b) {
    return std::tie(a.name, a.scope, a.offset) < std::tie(b.name, b.scope, b.offset);
  });
  return table;
}

const ImportBinding* ImportTable::resolve(std::string_view name, std::size_t offset) const {
  if (model_ == nullptr) return nullptr;
  auto named =
      std::equal_range(bindings_.begin(), bindings_.end(), name, [](const auto& a, const auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Binding>)
          return a.name < b;
        else
          return a < b.name;
      });
  if (named.first == named.second) return nullptr;
  const std::uint32_t start = scope_of(offset);
  for (std::uint32_t s = start; s != python::kNoScope; s = model_->scope(s).parent) {
    const python::Scope& scope = model_->scope(s);
    if (scope.kind == python::ScopeKind::Class && s != start) continue;  // invisible to methods
    const Binding* last = nullptr;
    bool local = false;
    for (auto it = named.first; it != named.second; ++it) {
      if (it->scope != s) continue;
      if (it->import < 0) local = true;
      last = &*it;
    }
    if (last == nullptr) continue;
    if (s != 0 && scope.kind != python::ScopeKind::Class) {
      // In a function a name is local wherever it is bound: any other binding shadows.
      return local ? nullptr : &imports_[static_cast<std::size_t>(last->import)];
    }
    return last->import < 0 ? nullptr : &imports_[static_cast<std::size_t>(last->import)];
  }
  return nullptr;
}

}  // namespace asyncsweep::analyze
