// The names a Python module binds by import, per scope, so that a call can be traced to the
// qualified name it refers to: `from time import sleep as nap` makes `nap(` time.sleep, and
// `import subprocess as sp` makes `sp.run(` subprocess.run.
//
// Read from the line model's code only (strings and comments are skipped), with Python's
// scoping as far as a call's callee needs it: a name bound in a function (parameter, def,
// class, assignment target, for/with/except target, walrus, or an import there) is local to
// that whole function; otherwise the enclosing functions, then the module, decide; class
// bodies are not visible to their methods. At module level the last binding in the file
// wins, so a fallback `def sleep` after `from time import sleep` shadows it. Relative and
// star imports bind nothing here. Comprehension scopes and `global`/`nonlocal` are not
// modelled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "python/model.hpp"

namespace asyncsweep::analyze {

// A code token: a name (keywords included), a number, an operator or bracket (two-character
// operators such as `==`, `:=`, `+=` as one token), a string literal, or the end of a
// logical line.
struct CodeToken {
  enum class Kind : std::uint8_t { name, number, op, string, newline };
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  Kind kind = Kind::op;
};

// The code tokens of the model's source, in order. A string literal (an f-string: its first
// piece) is one token; the code of f-string replacement fields is tokenized too.
// Only those that start in [begin, end) when given (begin at a logical line's start).
std::vector<CodeToken> code_tokens(const python::LineModel& model, std::size_t begin = 0,
                                   std::size_t end = static_cast<std::size_t>(-1));

// The dotted name (`a.b.c`) starting at tokens[i], before `end`; i is advanced past it.
std::string dotted_name(std::string_view text, const std::vector<CodeToken>& tokens, std::size_t& i,
                        std::size_t end);

struct ImportBinding {
  std::string local;        // the name bound: `sp`, `sleep`, `os` (for `import os.path`)
  std::string qualified;    // what it refers to: `subprocess`, `time.sleep`, `os`
  std::uint32_t line = 0;   // line of the import statement (the model's numbering)
  std::uint32_t scope = 0;  // index into the model's scopes: 0 module, else a def or class
};

class ImportTable {
 public:
  // `tokens` are code_tokens(model).
  static ImportTable build(const python::LineModel& model, const std::vector<CodeToken>& tokens);

  // Only the imports, read from the logical lines that hold the word `import`: a fraction of
  // what build() costs, to tell whether a file needs the whole table.
  static std::vector<ImportBinding> imports_of(const python::LineModel& model);

  const std::vector<ImportBinding>& imports() const { return imports_; }
  // The import `name`, used in code at byte `offset`, refers to; nullptr when it refers to
  // no import or to a local name that shadows one.
  const ImportBinding* resolve(std::string_view name, std::size_t offset) const;

 private:
  struct Binding {
    std::string_view name;
    std::uint32_t scope = 0;
    std::uint32_t offset = 0;
    std::int32_t import = -1;  // index into imports_, or -1 for any other binding
  };
  static ImportTable read(const python::LineModel& model, const std::vector<CodeToken>& tokens,
                          bool imports_only);
  void bind(std::string_view name, std::uint32_t offset, std::int32_t import);
  std::uint32_t scope_of(std::size_t offset) const;

  const python::LineModel* model_ = nullptr;
  std::vector<ImportBinding> imports_;
  std::vector<Binding> bindings_;  // sorted by (name, scope, offset) once built
};

}  // namespace asyncsweep::analyze
