// The Python-aware stage: for the findings of one Python file, build the line model once and
// describe each finding's position (comment or string, enclosing async def, nested sync def,
// awaited, offloaded, non-blocking setup nearby, main guard, inline suppression). Findings that
// are no candidates at all are dropped here: an async-scope rule outside every async def, or a
// structural check that does not hold.
#pragma once

#include <string_view>
#include <vector>

#include "analyze/imports.hpp"
#include "python/model.hpp"
#include "result/finding.hpp"
#include "search/rule_set.hpp"
#include "search/searcher.hpp"

namespace asyncsweep::analyze {

// Python sources by name, as the py type sees them.
bool is_python_name(std::string_view name);

// Test code by its path (tests/ or test/ directories, test_*.py, *_test.py, conftest.py).
bool is_test_path(std::string_view path);

// A suppression comment found in a file: `# asyncsweep: ignore[...]` or `# noqa[: ...]`.
struct Suppression {
  std::uint32_t line = 0;
  std::string text;             // the comment
  std::vector<std::string> ids;  // empty: all rules
  bool noqa = false;             // a Ruff/flake8 `noqa` comment (ids are Ruff codes)
  bool used = false;
};

// Parses the suppression in one comment (with its leading '#'), if any.
bool parse_suppression(std::string_view comment, Suppression& out);

// `findings` holds the findings of the file `path` with content `text`, nothing else: fills in
// their Analysis (Features) and drops those that are no candidates. When `unused` is given,
// suppression comments of the file that suppressed nothing are appended to it (for
// --report-unused-suppressions).
void annotate_python(std::string_view path, std::string_view text, const search::RuleSet& rules,
                     std::vector<Finding>& findings, std::vector<Suppression>* unused = nullptr);
// The same with the file's model already built (`model` was built from `text`), and its
// imports (ImportTable::imports_of) when the caller has read them.
void annotate_python(std::string_view path, std::string_view text, const python::LineModel& model,
                     const search::RuleSet& rules, std::vector<Finding>& findings,
                     std::vector<Suppression>* unused = nullptr,
                     const std::vector<ImportBinding>* imports = nullptr);

// Drops the findings annotate_python would drop whatever the model says, where the text alone
// shows it (a `finally:` block without any close call, for check = finally-closes), so that a
// file whose candidates all go needs no model.
void drop_without_model(std::string_view text, const search::RuleSet& rules, std::vector<Finding>& findings);

// Whether the model holds an async function at all.
bool has_async_function(const python::LineModel& model);

// Whole lines ("\n"-terminated, as findings count them) covering the extent (decorators to
// the end of the body) of every async function of the model's source, sorted and merged: the only places where annotate_python
// keeps a finding of an async-scope rule, so the only lines such a rule needs to search.
std::vector<search::TextRange> async_regions(const python::LineModel& model);

// False only when the line model of `text` can hold no async function: nowhere is `async`
// followed, across blanks, line breaks, backslashes and comments, by `def`. Looser than the
// tokenizer (strings are not skipped), so a false answer is proof and a file without async
// functions costs no model. `import asyncio` alone passes the literal prefilter's "async".
bool may_define_async_function(std::string_view text);

}  // namespace asyncsweep::analyze
