// Per-function summaries for the transitive join (issue #20): what each function of one file
// calls of the project's own code, and, for sync functions, where it blocks directly. Built in
// the sweep from the file's line model, so that the join after the walk (transitive/join)
// needs no second read; a shard's JSON carries them for `merge` to join.
//
// A call counts when it runs in the function itself: not in a nested def, lambda or class,
// not awaited (an awaited call hands back a coroutine or future: async code, or a sync helper
// that offloads itself), not inside the arguments of to_thread/run_in_executor/run_sync/submit
// (handed to a thread), not under `if TYPE_CHECKING:`. Callees are named by what Python would
// look up, as far as one file tells: an import (absolute or relative), a module-level def or
// class of the file, or `self.`/`cls.` plus a method name (the class's qualified name then
// `.name`: the join walks the bases). Nothing here knows whether the name is the project's.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyze/imports.hpp"
#include "python/model.hpp"
#include "regex/pcre.hpp"
#include "result/summary.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::analyze {

// What blocking-io rules say about a callee name; per thread, shared by its files.
class BlockingNames {
 public:
  explicit BlockingNames(const search::RuleSet& rules);
  // The rule whose regex ends a match at the end of "<name>(", or -1. `name` as written
  // ("os.path.exists", ".read_text" for a method of an expression) or as resolved.
  std::int64_t rule_for(std::string_view name);
  bool any() const { return !candidates_.empty(); }
  const std::string& id(std::int64_t rule) const;

 private:
  const search::RuleSet& rules_;
  std::vector<std::uint32_t> candidates_;  // blocking-io rules searched in async bodies
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  std::unordered_map<std::string, std::int64_t, NameHash, std::equal_to<>> known_;  // by name
  regex::MatchScratch scratch_;
  std::string subject_;
};

// The module a file is, from its path: the stem, under the package directories above it
// (each holding an __init__.py). "pkg/sub/mod.py" -> "pkg.sub.mod", "pkg/__init__.py" -> "pkg".
// `is_package_dir` answers for a directory path (cached by the caller).
template <typename IsPackageDir>
std::string module_name(std::string_view path, IsPackageDir&& is_package_dir) {
  std::string_view rest = path;
  std::size_t slash = rest.rfind('/');
  std::string_view file = slash == std::string_view::npos ? rest : rest.substr(slash + 1);
  std::string_view dir =
      slash == std::string_view::npos ? std::string_view{} : rest.substr(0, slash);
  std::size_t dot = file.rfind('.');
  std::string name(dot == std::string_view::npos ? file : file.substr(0, dot));
  if (name == "__init__") name.clear();
  while (!dir.empty() && is_package_dir(dir)) {
    std::size_t up = dir.rfind('/');
    std::string_view part = up == std::string_view::npos ? dir : dir.substr(up + 1);
    if (part.empty() || part == "." || part == "..") break;
    name = name.empty() ? std::string(part) : std::string(part) + "." + name;
    dir = up == std::string_view::npos ? std::string_view{} : dir.substr(0, up);
  }
  return name;
}

// Which functions a summary covers. Each function's summary is the same whatever else is
// covered, so summaries of one file made with different coverage can be merged by name.
struct Coverage {
  bool whole = true;  // every function and class
  // Otherwise: every class (for its bases), the roots below, and every function of the file
  // that a covered function's calls may name (`self.m()`, `helper()`, `Klass()`: by the last
  // name, so every def of that name, and every method of a class of that name).
  bool async_functions = false;  // the async functions are roots (what the sweep needs)
  std::set<std::string> names;   // sync defs and classes of these names are roots (the closure)
  static Coverage of_async_functions() { return Coverage{false, true, {}}; }
  static Coverage of_names(std::set<std::string> names) {
    return Coverage{false, false, std::move(names)};
  }
};

// Summaries of the functions of `model` (built from the file at `path`, module `module`) that
// `coverage` asks for: functions that neither call nor block are left out. `transitive_rule`
// is the rule id whose suppression comments count at call sites. `imports`: the model's
// ImportTable::imports_of when the caller has read them already (the sweep, for its own use);
// `tokens`: code_tokens(model) when the caller made them (the sweep's resolved calls).
FileSummary summarize(std::string_view path, std::string module, const python::LineModel& model,
                      BlockingNames& blocking, std::string_view transitive_rule,
                      const Coverage& coverage = {},
                      const std::vector<ImportBinding>* imports = nullptr,
                      const std::vector<CodeToken>* tokens = nullptr);

}  // namespace asyncsweep::analyze
