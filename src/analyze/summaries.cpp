#include "analyze/summaries.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <map>
#include <queue>
#include <set>

#include "analyze/imports.hpp"
#include "analyze/python_features.hpp"

namespace asyncsweep::analyze {

BlockingNames::BlockingNames(const search::RuleSet& rules) : rules_(rules) {
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    const rules::Rule& rule = rules[r].rule;
    if (rule.category == "blocking-io" && rule.scope == rules::Scope::async && !rule.multiline)
      candidates_.push_back(r);
  }
}

std::int64_t BlockingNames::rule_for(std::string_view name) {
  // Most names were asked before: looked up as they are, the subject made only when not.
  auto known = known_.find(name);
  if (known != known_.end()) return known->second;
  subject_.assign(name);
  subject_ += '(';
  std::int64_t found = -1;
  for (std::uint32_t r : candidates_) {
    // A rule's line literals are on every line it matches, and the subject is a line of its
    // own: without one of them the regex cannot match (most names are no rule's). The subject
    // is a few bytes: a plain find beats the finder's vector set-up.
    const std::vector<search::LiteralFinder>& literals = rules_[r].line_literals;
    if (!literals.empty() &&
        std::none_of(literals.begin(), literals.end(), [&](const auto& literal) {
          return std::string_view(subject_).find(literal.literal()) != std::string_view::npos;
        }))
      continue;
    regex::MatchResult m = scratch_.find(rules_[r].regex, subject_, 0);
    if (m.status == regex::MatchStatus::match && m.end == subject_.size()) {
      found = r;
      break;
    }
  }
  known_.emplace(std::string(name), found);
  return found;
}

namespace {

using Kind = CodeToken::Kind;

// Calls whose arguments run in another thread (or are handed to one as references).
bool offloads(std::string_view name) {
  return name == "to_thread" || name == "run_in_executor" || name == "run_sync" || name == "submit";
}

// A method-shaped match (`.send(`, `.exists(`) says as much as its receiver: kept when the
// receiver's name (for `Path(p).read_text(`, "Path.read_text") suggests a file, path or
// socket, or when nothing is known of it (".read_text").
bool receiver_suggests_io(std::string_view spelled) {
  std::size_t dot = spelled.rfind('.');
  if (dot == 0 || dot == std::string_view::npos) return true;  // `.m` on an expression
  std::string_view receiver = spelled.substr(0, dot);
  std::size_t last = receiver.rfind('.');
  std::string part(last == std::string_view::npos ? receiver : receiver.substr(last + 1));
  for (char& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view hint : {"path", "file", "sock", "dir", "fd", "open"}) {
    if (part.find(hint) != std::string::npos) return true;
  }
  return false;
}

class Summarizer {
 public:
  Summarizer(std::string_view path, std::string module, const python::LineModel& model,
             BlockingNames& blocking, std::string_view transitive_rule, const Coverage& coverage,
             const std::vector<ImportBinding>* imports, const std::vector<CodeToken>* tokens)
      : model_(model),
        whole_tokens_(tokens),
        text_(model.source()),
        blocking_(blocking),
        transitive_rule_(transitive_rule),
        coverage_(coverage) {
    out_.path = std::string(path);
    out_.module = std::move(module);
    out_.test = is_test_path(path);
    out_.partial = !coverage.whole;
    if (imports == nullptr) {
      owned_imports_ = ImportTable::imports_of(model);
      imports = &owned_imports_;
    }
    imports_.reserve(imports->size());
    for (const ImportBinding& binding : *imports) imports_.push_back(&binding);
    // By local name; a name's bindings in file order, as import_for's ties want.
    std::stable_sort(imports_.begin(), imports_.end(), by_local);
  }

  FileSummary run() {
    name_scopes();
    if (coverage_.whole) {
      tokens_ = whole_tokens_ ? *whole_tokens_ : code_tokens(model_);
      covered_.emplace_back(0, text_.size());
      read_relative_imports();
      read_bases();
      for (std::uint32_t s = 1; s < model_.scopes().size(); ++s) add_function(s);
      process(0, tokens_.size());
    } else {
      cover_context();
      read_relative_imports();
      read_bases();
      for (std::uint32_t s = 1; s < model_.scopes().size(); ++s) {
        if (coverage_.async_functions && model_.scope(s).kind == python::ScopeKind::AsyncFunction)
          pending_.push(s);
      }
      for (const std::string& name : coverage_.names) want(name);
      // Constructors are what other files call most (`Client(...)`): summarizing them now
      // spares the closure reading and modelling the file again for them.
      if (coverage_.async_functions) want("__init__");
      // Each function summarized may call more of the file's own: those are summarized too,
      // so that the summary holds every function a chain from its roots passes through here.
      while (!pending_.empty()) {
        const std::uint32_t s = pending_.top();
        pending_.pop();
        if (function_of_[s] >= 0) continue;
        add_function(s);
        const python::Scope& scope = model_.scope(s);
        const std::size_t begin =
            model_.line_begin(model_.logical_start(model_.line_of(scope.body_begin)));
        const std::size_t end = line_after(model_.line_of(scope.end > 0 ? scope.end - 1 : 0));
        // Lines tokenized already, for an enclosing function summarized before (a coroutine
        // defined in a sync helper): read again, for this function's calls alone.
        const std::size_t known = covered_size(begin, end);
        if (known > 0) {
          only_function_ = function_of_[s];
          process(token_at(begin), token_at(end));
          only_function_ = -1;
        }
        cover(begin, end);
        if (known > 0) {  // back in source order: what was known first, then the rest
          FunctionSummary& f = out_.functions[static_cast<std::size_t>(function_of_[s])];
          std::stable_sort(f.calls.begin(), f.calls.end(),
                           [](const CallSite& a, const CallSite& b) { return a.line < b.line; });
          std::stable_sort(
              f.blocks.begin(), f.blocks.end(),
              [](const BlockingSite& a, const BlockingSite& b) { return a.line < b.line; });
        }
      }
      std::sort(out_.functions.begin(), out_.functions.end(),
                [](const FunctionSummary& a, const FunctionSummary& b) { return a.line < b.line; });
      list_uncovered();
    }
    read_absolute_reexports();
    std::sort(out_.reexports.begin(), out_.reexports.end());
    out_.reexports.erase(std::unique(out_.reexports.begin(), out_.reexports.end()),
                         out_.reexports.end());
    std::erase_if(out_.functions,
                  [](const FunctionSummary& f) { return f.calls.empty() && f.blocks.empty(); });
    // Summaries are kept until the join, after the walk: without the slack of their growth
    // (and of the functions erased above) they were a third of --preview's added peak memory.
    for (FunctionSummary& f : out_.functions) {
      f.calls.shrink_to_fit();
      f.blocks.shrink_to_fit();
    }
    out_.functions.shrink_to_fit();
    return std::move(out_);
  }

 private:
  std::string_view at(std::size_t i) const {
    return i < tokens_.size() ? text_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin)
                              : std::string_view{};
  }
  bool is_name(std::size_t i) const { return i < tokens_.size() && tokens_[i].kind == Kind::name; }
  // Whether tokens_[i] is the one-character `c` (at(i) == "c" without building a view: the
  // token loops ask this of every token).
  bool op(std::size_t i, char c) const {
    return i < tokens_.size() && tokens_[i].end - tokens_[i].begin == 1 &&
           text_[tokens_[i].begin] == c;
  }
  // Whether tokens_[i] is `word`: by length first, and no view built (asked of every token).
  bool is(std::size_t i, std::string_view word) const {
    return i < tokens_.size() && tokens_[i].end - tokens_[i].begin == word.size() &&
           std::char_traits<char>::compare(text_.data() + tokens_[i].begin, word.data(),
                                           word.size()) == 0;
  }

  std::size_t line_after(std::uint32_t last) const {
    return last < model_.line_count() ? model_.line_begin(last + 1) : text_.size();
  }

  // The calls of tokens_[first, last) that run in a summarized function.
  void process(std::size_t first, std::size_t last) {
    mark_excluded_ranges(first, last);
    for (std::size_t i = first; i < last; ++i) {
      if (!is_name(i)) continue;
      // (tokens_[i - 1] for i == 0 is past the end: no token.)
      if (is(i - 1, "def") || is(i - 1, "class")) continue;
      const bool after_dot = op(i - 1, '.');
      const bool on_expression = after_dot && i > 1 && (op(i - 2, ')') || op(i - 2, ']'));
      if (after_dot && !on_expression) continue;
      std::size_t j = i;
      while (op(j + 1, '.') && is_name(j + 2)) j += 2;
      if (op(j + 1, '(')) call(i, j, on_expression);
      i = j;
    }
  }

  std::size_t token_at(std::size_t offset) const {
    return static_cast<std::size_t>(
        std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                         [](const CodeToken& t, std::size_t o) { return t.begin < o; }) -
        tokens_.begin());
  }
  // The first range of covered_ that ends after `offset`. The ranges are sorted and disjoint:
  // a file's hundreds of functions make as many ranges, so none is looked at from the start.
  std::vector<std::pair<std::size_t, std::size_t>>::const_iterator covered_after(
      std::size_t offset) const {
    return std::partition_point(covered_.begin(), covered_.end(),
                                [&](const auto& range) { return range.second <= offset; });
  }
  // Bytes of [begin, end) tokenized already.
  std::size_t covered_size(std::size_t begin, std::size_t end) const {
    std::size_t size = 0;
    for (auto it = covered_after(begin); it != covered_.end() && it->first < end; ++it)
      size += std::min(end, it->second) - std::max(begin, it->first);
    return size;
  }

  // Tokenizes the parts of [begin, end) not tokenized yet, into tokens_ in source order, and
  // reads their calls.
  void cover(std::size_t begin, std::size_t end) {
    std::vector<std::pair<std::size_t, std::size_t>> gaps;
    std::size_t from = begin;
    for (auto it = covered_after(begin); it != covered_.end() && it->first < end; ++it) {
      if (it->first > from) gaps.emplace_back(from, it->first);
      from = std::max(from, it->second);
    }
    if (from < end) gaps.emplace_back(from, end);
    for (auto [b, e] : gaps) {
      std::vector<CodeToken> piece = tokens_of(b, e);
      // A range ends with its last line: the end of a logical line, whatever the tokenizer saw.
      if (!piece.empty() && piece.back().kind != Kind::newline)
        piece.push_back(CodeToken{piece.back().end, piece.back().end, Kind::newline});
      auto place = std::lower_bound(tokens_.begin(), tokens_.end(), b,
                                    [](const CodeToken& t, std::size_t o) { return t.begin < o; });
      const auto first = static_cast<std::size_t>(place - tokens_.begin());
      tokens_.insert(place, piece.begin(), piece.end());
      covered_.insert(std::lower_bound(covered_.begin(), covered_.end(), std::make_pair(b, e)),
                      std::make_pair(b, e));
      if (processing_) process(first, first + piece.size());
    }
  }

  // code_tokens(model_, begin, end): taken from the whole file's tokens when the caller made
  // them and they are provably the same. They are when the whole file's tokenizer stood where
  // the range's starts (at `begin`, after no token or a line's end: bracket depth 0, nothing
  // to join a string piece to) and no token of the range runs past `end` (the range's
  // tokenizer cuts the text there: a string spanning it would end early). The first test is
  // reached where the model and the tokenizer count brackets differently (a `(` in an
  // f-string's nested format field: summaries_test.cpp fails without it); no source is known
  // to reach the second, since a range ends at the end of one of the model's logical lines
  // and no string span crosses one, so it stays as a cheap guard for that argument.
  std::vector<CodeToken> tokens_of(std::size_t begin, std::size_t end) const {
    if (whole_tokens_ != nullptr) {
      const std::vector<CodeToken>& all = *whole_tokens_;
      auto by_begin = [](const CodeToken& t, std::size_t o) { return t.begin < o; };
      auto first = std::lower_bound(all.begin(), all.end(), begin, by_begin);
      auto last = std::lower_bound(first, all.end(), end, by_begin);
      const bool at_line_start = first == all.begin() || std::prev(first)->kind == Kind::newline;
      if (at_line_start &&
          std::none_of(first, last, [end](const CodeToken& t) { return t.end > end; }))
        return std::vector<CodeToken>(first, last);
    }
    return code_tokens(model_, begin, end);
  }

  // What every function's calls resolve against: relative imports (`from .mod import f`) and
  // class headers (the bases), tokenized before any function.
  void cover_context() {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> lines;  // first, last
    for (std::size_t at = text_.find("from"); at != std::string_view::npos;
         at = text_.find("from", at + 4)) {
      std::size_t next = text_.find_first_not_of(" \t", at + 4);
      if (next == std::string_view::npos || text_[next] != '.' ||
          model_.classify(at).region != python::Region::Code)
        continue;
      lines.emplace_back(model_.logical_start(model_.line_of(at)), model_.line_of(at));
    }
    for (const auto& [s, index] : classes_)
      lines.emplace_back(model_.logical_start(model_.line_of(model_.scope(s).keyword_offset)),
                         model_.line_of(model_.scope(s).keyword_offset));
    processing_ = false;
    for (auto [first, line] : lines) {
      std::uint32_t last = std::max(first, line);
      while (last < model_.line_count() && model_.logical_start(last + 1) == first) ++last;
      cover(model_.line_begin(first), line_after(last));
    }
    processing_ = true;
  }

  // Summarizes the functions named `name` (a method of any class) and every method of the
  // classes named `name` (a constructor call, or a class whose method is looked up through it).
  void want(std::string_view name) {
    auto [first, last] = std::equal_range(by_name_.begin(), by_name_.end(),
                                          std::make_pair(name, std::uint32_t{0}), by_first);
    for (auto it = first; it != last; ++it) {
      const std::uint32_t s = it->second;
      const python::Scope& scope = model_.scope(s);
      if (scope.kind == python::ScopeKind::Class) {
        wanted_classes_.insert(s);
        for (std::uint32_t m : methods_[s]) want_function(m);
      } else {
        want_function(s);
      }
    }
  }
  void want_function(std::uint32_t s) {
    // An async function is a root or nothing: as a callee the join never follows it.
    if (function_of_[s] < 0 && model_.scope(s).kind == python::ScopeKind::Function)
      pending_.push(s);
  }

  void add_function(std::uint32_t s) {
    const python::Scope& scope = model_.scope(s);
    if (scope.kind != python::ScopeKind::Function && scope.kind != python::ScopeKind::AsyncFunction)
      return;
    function_of_[s] = static_cast<std::int32_t>(out_.functions.size());
    FunctionSummary f;
    f.name = name_of(s);
    f.line = scope.keyword_line;
    f.is_async = scope.kind == python::ScopeKind::AsyncFunction;
    out_.functions.push_back(std::move(f));
  }

  // The import binding `name` refers to at `offset`: one in an enclosing function, else the
  // module's (the last one). Local assignments that shadow it are not looked at.
  const ImportBinding* import_for(std::string_view name, std::size_t offset) const {
    auto [first, last] = imports_named(name);
    const ImportBinding* found = nullptr;
    std::uint32_t depth = 0;
    for (auto it = first; it != last; ++it) {
      const ImportBinding& b = **it;
      if (b.scope != 0) {
        const python::Scope& scope = model_.scope(b.scope);
        if (offset < scope.body_begin || offset >= scope.end) continue;
      }
      const std::uint32_t d = model_.scope(b.scope).depth;
      if (found == nullptr || d > depth || (d == depth && b.line > found->line))
        found = &b, depth = d;
    }
    return found;
  }

  std::pair<std::vector<const ImportBinding*>::const_iterator,
            std::vector<const ImportBinding*>::const_iterator>
  imports_named(std::string_view name) const {
    struct ByLocal {
      bool operator()(const ImportBinding* b, std::string_view n) const { return b->local < n; }
      bool operator()(std::string_view n, const ImportBinding* b) const { return n < b->local; }
    };
    return std::equal_range(imports_.begin(), imports_.end(), name, ByLocal{});
  }
  static bool by_local(const ImportBinding* a, const ImportBinding* b) {
    return a->local < b->local;
  }

  // Whether resolve() may name a function for the call of tokens_[i..j]: its head is `self.`/
  // `cls.` before a method name, an import, a relative import or a module-level def or class.
  bool may_resolve(std::size_t i, std::size_t j) const {
    const std::string_view head = at(i);
    if (head == "self" || head == "cls") return j == i + 2;
    auto [first, last] = imports_named(head);
    return first != last || relative_.contains(head) || module_name(head) != 0;
  }

  // Qualified names within the module for every def and class; every class (its bases are
  // what a method lookup walks); defs and classes by their own name, for want().
  void name_scopes() {
    auto scopes = model_.scopes();
    names_.assign(scopes.size(), std::string());
    named_.assign(scopes.size(), false);
    function_of_.assign(scopes.size(), -1);
    for (std::uint32_t s = 1; s < scopes.size(); ++s) {
      const python::Scope& scope = scopes[s];
      if (scope.kind == python::ScopeKind::Lambda) continue;
      if (scope.parent == 0) module_names_.emplace_back(scope.name, s);
      by_name_.emplace_back(scope.name, s);
      if (scope.kind == python::ScopeKind::Class) {
        classes_.emplace(s, out_.classes.size());
        out_.classes.push_back(ClassSummary{name_of(s), {}});
      } else if (scope.parent != python::kNoScope && scope.parent < s &&
                 scopes[scope.parent].kind == python::ScopeKind::Class) {
        methods_[scope.parent].push_back(s);
      }
    }
    std::stable_sort(by_name_.begin(), by_name_.end(), by_first);
    std::stable_sort(module_names_.begin(), module_names_.end(), by_first);
  }

  // The scope's qualified name within the module, made when first asked: most functions of a
  // module the closure reads are never summarized. A lambda's is "", and its defs' their own.
  const std::string& name_of(std::uint32_t s) {
    if (s == 0 || named_[s]) return names_[s];
    named_[s] = true;
    const python::Scope& scope = model_.scope(s);
    if (scope.kind == python::ScopeKind::Lambda) return names_[s];
    const std::string& parent = scope.parent < s ? name_of(scope.parent) : names_[0];
    names_[s] = parent.empty() ? std::string(scope.name) : parent + "." + std::string(scope.name);
    return names_[s];
  }

  // The module-level def or class `name` binds (the last one), or 0.
  std::uint32_t module_name(std::string_view name) const {
    auto [first, last] = std::equal_range(module_names_.begin(), module_names_.end(),
                                          std::make_pair(name, std::uint32_t{0}), by_first);
    return first == last ? 0 : std::prev(last)->second;
  }

  // The names of the file's sync defs and classes that it was not asked for: what reading it
  // again could add (a class counts once its methods were summarized).
  void list_uncovered() {
    for (auto it = by_name_.begin(); it != by_name_.end();) {
      const std::string_view name = it->first;
      bool open = false;
      for (; it != by_name_.end() && it->first == name; ++it) {
        const std::uint32_t s = it->second;
        const python::ScopeKind kind = model_.scope(s).kind;
        open = open || (kind == python::ScopeKind::Function && function_of_[s] < 0) ||
               (kind == python::ScopeKind::Class && !wanted_classes_.count(s));
      }
      if (open) out_.defines.emplace_back(name);
    }
  }

  // `class C(Base, mod.Other, metaclass=M):`: the bases as the file names them.
  void read_bases() {
    for (const auto& [s, index] : classes_) {
      const std::uint32_t keyword = model_.scope(s).keyword_offset;
      auto first =
          std::lower_bound(tokens_.begin(), tokens_.end(), keyword,
                           [](const CodeToken& t, std::uint32_t o) { return t.begin < o; });
      std::size_t k = static_cast<std::size_t>(first - tokens_.begin()) + 2;  // past `class Name`
      if (!op(k, '(')) continue;
      ++k;
      while (k < tokens_.size() && !op(k, ')')) {
        std::size_t i = k;
        std::size_t j = k;
        while (op(j + 1, '.') && is_name(j + 2)) j += 2;
        if (is_name(i) && (op(j + 1, ',') || op(j + 1, ')'))) {
          std::string spelled;
          for (std::size_t n = i; n <= j; n += 2) {
            if (n > i) spelled += '.';
            spelled += at(n);
          }
          resolving_only_ = true;
          std::string base = resolve(i, j, spelled, tokens_[i].begin);
          resolving_only_ = false;
          out_.classes[index].bases.push_back(base.empty() ? spelled : base);
        }
        // On to the next top-level comma.
        int depth = 0;
        for (k = j + 1; k < tokens_.size(); ++k) {
          if (op(k, '(') || op(k, '[') || op(k, '{')) ++depth;
          if (depth == 0 && (op(k, ',') || op(k, ')'))) break;
          if ((op(k, ')') || op(k, ']') || op(k, '}'))) --depth;
        }
        if (op(k, ',')) ++k;
      }
    }
  }

  std::string qualify(std::string_view name) const {
    return out_.module.empty() ? std::string(name) : out_.module + "." + std::string(name);
  }

  // `from .mod import name [as alias]`, `from .. import mod`: bindings the import table leaves
  // out, resolved against this module's package.
  void read_relative_imports() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (at(i) != "from" || !op(i + 1, '.')) continue;
      if (i > 0 && tokens_[i - 1].kind != Kind::newline && !op(i - 1, ':') && !op(i - 1, ';'))
        continue;
      std::size_t k = i + 1;
      std::size_t level = 0;
      while (op(k, '.')) ++level, ++k;
      std::string from;
      while (is_name(k) && at(k) != "import") {
        from += at(k++);
        if (op(k, '.')) from += at(k++);
      }
      if (at(k) != "import") continue;
      ++k;
      std::string base = package_up(level);
      if (!from.empty()) base = base.empty() ? from : base + "." + from;
      // (`import *` is not followed: a package's star imports are a score of modules, and
      // looking each call up in all of them cost more than what it found, nothing in the
      // stdlib and Debian's dist-packages.)
      const bool top_level = model_.innermost_scope(tokens_[i].begin) == 0;
      if (op(k, '(')) ++k;
      while (is_name(k)) {
        std::string name(at(k++));
        std::string local = name;
        if (at(k) == "as" && is_name(k + 1)) local = std::string(at(k + 1)), k += 2;
        std::string target = base.empty() ? name : base + "." + name;
        if (top_level) reexport(local, target);
        relative_[local] = std::move(target);
        if (!op(k, ',')) break;
        ++k;
      }
    }
  }

  // A top-level binding of `local` to `target` that another module may call through: what a
  // package's __init__ imports from the package (relative imports, and absolute ones under the
  // same top-level package), not the standard library's or a third party's names. Other
  // modules' imports are not recorded: they were nine in ten of the bindings (on the stdlib +
  // aiohttp, trio, anyio) and added no finding on Debian's dist-packages.
  void reexport(std::string_view local, const std::string& target) {
    const std::string_view path = out_.path;
    if (out_.module.empty() || path.substr(path.rfind('/') + 1) != "__init__.py") return;
    const std::string_view own = std::string_view(out_.module).substr(0, out_.module.find('.'));
    if (!target.starts_with(own) || (target.size() > own.size() && target[own.size()] != '.'))
      return;
    if (target == qualify(local)) return;  // `from . import sub` in pkg/__init__
    out_.reexports.emplace_back(local, target);
  }

  void read_absolute_reexports() {
    for (const ImportBinding* binding : imports_)
      if (binding->scope == 0) reexport(binding->local, binding->qualified);
  }

  // The package `level` dots name from this module: 1 is its own package.
  std::string package_up(std::size_t level) const {
    std::string package = out_.module;
    const bool is_init = out_.path.ends_with("__init__.py");
    for (std::size_t up = is_init ? 1 : 0; up < level; ++up) {
      std::size_t dot = package.rfind('.');
      package = dot == std::string::npos ? std::string() : package.substr(0, dot);
    }
    return package;
  }

  // `if TYPE_CHECKING:` blocks, and the argument lists of calls that hand work to a thread.
  void mark_excluded_ranges(std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (is(i, "if")) {
        std::size_t k = i + 1;
        if (is(k, "typing") && op(k + 1, '.')) k += 2;
        if (!is(k, "TYPE_CHECKING") || !op(k + 1, ':')) continue;
        const std::uint32_t if_line = model_.line_of(tokens_[i].begin);
        const std::size_t indent = tokens_[i].begin - model_.line_begin(if_line);
        std::size_t end = k + 2;
        // The block: what follows on the `if` line, then lines indented deeper than the `if`.
        while (end < tokens_.size()) {
          const std::uint32_t line = model_.line_of(tokens_[end].begin);
          if (line != if_line && tokens_[end - 1].kind == Kind::newline &&
              tokens_[end].begin - model_.line_begin(line) <= indent) {
            break;
          }
          ++end;
        }
        excluded_.push_back({tokens_[i].begin, end < tokens_.size()
                                                   ? tokens_[end].begin
                                                   : static_cast<std::uint32_t>(text_.size())});
      } else if (is_name(i) && op(i + 1, '(') && offloads(at(i))) {
        int depth = 0;
        std::size_t k = i + 1;
        for (; k < tokens_.size(); ++k) {
          if (op(k, '(') || op(k, '[') || op(k, '{')) ++depth;
          if ((op(k, ')') || op(k, ']') || op(k, '}')) && --depth == 0) break;
        }
        excluded_.push_back({tokens_[i + 1].begin, k < tokens_.size()
                                                       ? tokens_[k].end
                                                       : static_cast<std::uint32_t>(text_.size())});
      }
    }
  }

  bool excluded(std::uint32_t offset) const {
    return std::any_of(excluded_.begin(), excluded_.end(),
                       [&](const auto& r) { return offset >= r.first && offset < r.second; });
  }

  // The def whose body runs the code at `offset`: decorators and defaults run in the
  // enclosing scope; a lambda's or class body's code is not the function's.
  std::int32_t function_at(std::uint32_t offset) const {
    std::uint32_t s = model_.innermost_scope(offset);
    while (s != 0 && s != python::kNoScope && offset < model_.scope(s).body_begin)
      s = model_.scope(s).parent;
    if (s == 0 || s == python::kNoScope) return -1;
    return function_of_[s];
  }

  // The suppression comment on `line` that covers `rule`, or "".
  std::string suppression_on(std::uint32_t line, std::string_view rule) const {
    const std::size_t begin = model_.line_begin(line);
    const std::size_t end = model_.line_end(line);
    auto spans = model_.spans();
    auto it =
        std::lower_bound(spans.begin(), spans.end(), begin,
                         [](const python::Span& span, std::size_t o) { return span.end <= o; });
    for (; it != spans.end() && it->begin < end; ++it) {
      if (it->region != python::Region::Comment) continue;
      Suppression s;
      if (!parse_suppression(text_.substr(it->begin, it->end - it->begin), s)) continue;
      if (s.ids.empty() || std::find(s.ids.begin(), s.ids.end(), rule) != s.ids.end())
        return s.text;
    }
    return {};
  }

  void call(std::size_t i, std::size_t j, bool on_expression) {
    const std::uint32_t offset = tokens_[i].begin;
    const std::int32_t index = function_at(offset);
    if (index < 0 || (only_function_ >= 0 && index != only_function_)) return;
    if (i > 0 && is(i - 1, "await")) return;
    if (on_expression && i > 2 && is(i - 3, "await")) return;  // `await f().m(` is awaited too
    if (excluded(offset)) return;
    FunctionSummary& function = out_.functions[static_cast<std::size_t>(index)];
    // An async function's call matters only as a call of a function the join may find (a
    // blocking one is a direct finding's): a callee that cannot resolve is passed over before
    // any string is built.
    if (function.is_async && (on_expression || !may_resolve(i, j))) return;
    std::string spelled = on_expression ? "." : "";
    for (std::size_t k = i; k <= j; k += 2) {
      if (k > i) spelled += '.';
      spelled += at(k);
    }
    std::string target = on_expression ? std::string() : resolve(i, j, spelled, offset);
    // An async function's call matters only as a call of a function the join may find (a
    // blocking one is a direct finding's): no rule lookup for a name that resolves to nothing.
    if (function.is_async && target.empty()) return;
    const std::uint32_t line = model_.line_of(offset);
    const bool own_method = (is(i, "self") || is(i, "cls")) && j == i + 2;
    if (!own_method && blocking_.any()) {
      std::int64_t rule = blocking_.rule_for(spelled);
      if (rule < 0 && !target.empty() && target != spelled) rule = blocking_.rule_for(target);
      if (rule >= 0 && (on_expression ? receiver_suggests_io(std::string(receiver_of(i)) + ".m")
                                      : blocking_whole_or_hinted(spelled, target, offset))) {
        // In an async function the call is a direct finding's (a blocking-io rule's), not ours.
        const std::string& id = blocking_.id(rule);
        if (!function.is_async && suppression_on(line, id).empty())
          function.blocks.push_back(BlockingSite{line, id, std::move(spelled)});
        return;
      }
    }
    if (target.empty()) return;
    CallSite site;
    site.target = std::move(target);
    site.text = std::move(spelled);
    site.line = line;
    if (function.is_async) {
      const std::size_t line_begin = model_.line_begin(line);
      site.column = static_cast<std::uint32_t>(offset - line_begin + 1);
      site.offset = offset;
      site.end_offset = tokens_[j + 1].end;
      site.end_column = static_cast<std::uint32_t>(tokens_[j + 1].end - line_begin + 1);
      site.line_text = std::string(model_.line_text(line));
      site.suppressed_by = suppression_on(line, transitive_rule_);
    }
    function.calls.push_back(std::move(site));
  }

  // For `X(...).m(` or `X[...].m(` (token i is `m`): the name X, whose call or item the
  // method is called on (`Path(p).read_text()`, `json.dumps(v).replace()`), or "" when the
  // receiver is no named call or item.
  std::string_view receiver_of(std::size_t i) const {
    int depth = 0;
    for (std::size_t k = i - 2;; --k) {  // tokens_[i - 2] is the receiver's `)` or `]`
      if (op(k, ')') || op(k, ']') || op(k, '}')) ++depth;
      if ((op(k, '(') || op(k, '[') || op(k, '{')) && --depth == 0)
        return k > 0 && is_name(k - 1) ? at(k - 1) : std::string_view{};
      if (k == 0 || tokens_[k].kind == Kind::newline) return {};
    }
  }

  // Method-shaped names (`x.exists`) match rules meant for paths and sockets on any object.
  bool blocking_whole_or_hinted(const std::string& spelled, const std::string& target,
                                std::size_t offset) {
    if (spelled.find('.') == std::string::npos) return true;  // `open`, `input`
    const std::size_t dot = spelled.find('.');
    const std::string head = spelled.substr(0, dot);
    // A module-qualified name (`os.stat`, `sp.run` as subprocess.run) is the API itself.
    if (!target.empty() && target != spelled) return true;
    if (import_for(head, offset) != nullptr || head == "os" || head == "time" ||
        head == "subprocess" || head == "shutil" || head == "socket" || head == "glob" ||
        head == "tempfile")
      return true;
    return receiver_suggests_io(spelled);
  }

  // A call of the file's own code (`self.m()`, `helper()`, `Klass.m()`): the functions it may
  // name are summarized too, unless the summary is of the whole file anyway. `rest` is
  // ".m" or a bare name.
  void want_later(std::string_view rest) {
    if (coverage_.whole || resolving_only_) return;
    const std::size_t dot = rest.rfind('.');
    want(dot == std::string_view::npos ? rest : rest.substr(dot + 1));
  }

  std::string resolve(std::size_t i, std::size_t j, const std::string& spelled,
                      std::uint32_t offset) {
    const std::string_view head = at(i);
    const std::string rest = spelled.substr(head.size());
    if ((head == "self" || head == "cls") && j == i + 2) {
      // The method's class: the def's parent scope.
      std::uint32_t s = model_.innermost_scope(offset);
      while (s != 0 && s != python::kNoScope &&
             model_.scope(s).kind != python::ScopeKind::Function &&
             model_.scope(s).kind != python::ScopeKind::AsyncFunction)
        s = model_.scope(s).parent;
      if (s == 0 || s == python::kNoScope) return {};
      const std::uint32_t owner = model_.scope(s).parent;
      if (owner == python::kNoScope || model_.scope(owner).kind != python::ScopeKind::Class)
        return {};
      want_later(rest);
      return qualify(name_of(owner)) + rest;
    }
    if (head == "self" || head == "cls") return {};
    if (const ImportBinding* binding = import_for(head, offset)) return binding->qualified + rest;
    if (auto it = relative_.find(head); it != relative_.end()) return it->second + rest;
    if (const std::uint32_t s = module_name(head); s != 0) {
      want_later(rest.empty() ? head : std::string_view(rest));
      return qualify(head) + rest;
    }
    return {};
  }

  const python::LineModel& model_;
  const std::vector<CodeToken>* whole_tokens_;  // code_tokens(model_), when the caller made them
  std::string_view text_;
  BlockingNames& blocking_;
  std::string_view transitive_rule_;
  const Coverage& coverage_;
  bool processing_ = true;           // cover() reads the calls of what it tokenizes
  std::int32_t only_function_ = -1;  // process() for this function's calls alone
  bool resolving_only_ = false;      // resolve() for a base class: no function is wanted
  std::vector<CodeToken> tokens_;
  std::vector<std::pair<std::size_t, std::size_t>> covered_;  // byte ranges in tokens_, sorted
  std::vector<ImportBinding> owned_imports_;                  // when the caller read none
  std::vector<const ImportBinding*> imports_;                 // by local name
  FileSummary out_;
  std::vector<std::string> names_;  // per scope: qualified within the module, once named_
  std::vector<bool> named_;
  std::vector<std::int32_t> function_of_;         // per scope: index into out_.functions, or -1
  std::map<std::uint32_t, std::size_t> classes_;  // class scope -> index into out_.classes
  std::map<std::uint32_t, std::vector<std::uint32_t>> methods_;  // class scope -> its defs
  // (own name, scope) of every def and class, sorted by name: one allocation, where a map
  // of names made one per name.
  std::vector<std::pair<std::string_view, std::uint32_t>> by_name_;
  static bool by_first(const std::pair<std::string_view, std::uint32_t>& a,
                       const std::pair<std::string_view, std::uint32_t>& b) {
    // Most names differ in their first byte: told apart without a call (as unsigned bytes,
    // as the view's compare orders them).
    if (!a.first.empty() && !b.first.empty() && a.first.front() != b.first.front())
      return static_cast<unsigned char>(a.first.front()) <
             static_cast<unsigned char>(b.first.front());
    return a.first < b.first;
  }
  // Function scopes to summarize, first in the file first: their tokens then mostly go at the
  // end of tokens_, not before all the others.
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> pending_;
  std::set<std::uint32_t> wanted_classes_;  // classes whose methods were all asked for
  // Module-level defs and classes by own name, in file order within a name.
  std::vector<std::pair<std::string_view, std::uint32_t>> module_names_;
  // Looked up by a token's view (std::less<>): no string is made for a name that is not there.
  std::map<std::string, std::string, std::less<>> relative_;  // relative import bindings
  std::vector<std::pair<std::uint32_t, std::uint32_t>> excluded_;
};

}  // namespace

const std::string& BlockingNames::id(std::int64_t rule) const {
  return rules_[static_cast<std::uint32_t>(rule)].rule.id;
}

FileSummary summarize(std::string_view path, std::string module, const python::LineModel& model,
                      BlockingNames& blocking, std::string_view transitive_rule,
                      const Coverage& coverage, const std::vector<ImportBinding>* imports,
                      const std::vector<CodeToken>* tokens) {
  return Summarizer(path, std::move(module), model, blocking, transitive_rule, coverage, imports,
                    tokens)
      .run();
}

}  // namespace asyncsweep::analyze
