// Per-function summaries of one file for the transitive join (analyze/summaries builds them,
// transitive/join reads them, a shard's JSON carries them to `merge`). Here, below every layer
// that reads them, like the other result types.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace asyncsweep {

// A call of a function that may be the project's.
struct CallSite {
  std::string target;  // qualified name to look up: "pkg.store.Store._load_file", "pkg.util.load"
  std::string text;    // the callee as written: "self._load_file"
  std::uint32_t line = 0;
  // Async functions' calls only (where a finding may go): the call's place and line.
  std::uint32_t column = 0;      // 1-based byte column of the callee
  std::uint32_t end_column = 0;  // just past its "("
  std::uint64_t offset = 0;
  std::uint64_t end_offset = 0;
  std::string line_text;
  std::string suppressed_by;  // `# asyncsweep: ignore` on the call's line (all rules or this one)
};

// A call a blocking-io rule matches, in a sync function.
struct BlockingSite {
  std::uint32_t line = 0;
  std::string rule;  // rule id, e.g. "ASW101"
  std::string text;  // the callee as written: "path.open"
};

struct FunctionSummary {
  std::string name;        // within the module: "Store._load_file", "helper"
  std::uint32_t line = 0;  // of `def`
  bool is_async = false;
  std::vector<BlockingSite> blocks;  // sync functions only, in source order
  std::vector<CallSite> calls;       // in source order
};

struct ClassSummary {
  std::string name;                // within the module: "Store", "Outer.Inner"
  std::vector<std::string> bases;  // qualified as far as the file tells: "pkg.base.Base"
};

// How the sweep that swept a file shows the calls-blocking rule's findings in it: the per-file
// triage stages (triage/triage.hpp) decided there, with the file's configuration and the
// change. The join applies them to its findings in that file, in the sweep and in `merge`
// alike: merge has neither the tree nor its configuration files, and must show what the
// unsharded sweep shows.
struct FileTriage {
  bool runs = true;            // the file's configuration runs the rule
  int min_score = 0;           // stage 2
  std::string ignored_by;      // stage 3: "per-file-ignores in CONFIG" when one names the rule
  bool exclude_tests = false;  // --exclude-tests
  // Stage 0, when a change was given: the file's changed lines, first..last (empty: none of
  // them). Not given, or the whole file changed: every line is in.
  bool changed_given = false;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changed;
  bool operator==(const FileTriage&) const = default;
};

struct FileSummary {
  std::string path;    // as displayed
  std::string module;  // "pkg.store" ("" when the path names no module)
  bool test = false;   // test code, as the scorer tells it
  // Some functions only: the roots a sweep or closure asked for and what they reach in the
  // file (analyze::Coverage). Every class is there either way.
  bool partial = false;
  std::vector<ClassSummary> classes;
  std::vector<FunctionSummary> functions;
  // A partial summary's file: the own names of its sync defs and classes that it does not
  // cover, sorted (what reading the file again could add; a name not here is not asked of it).
  std::vector<std::string> defines;
  // A package's __init__: the names it binds at its top level by importing them from the
  // package, with what they refer to, sorted: ("load", "pkg.store.load") for `from .store
  // import load`. Another module's call of `pkg.load` is a call of `pkg.store.load`. The same
  // whatever the coverage.
  std::vector<std::pair<std::string, std::string>> reexports;
  // Set by the sweep that swept the file (whatever its shard), absent where the join only read
  // it: a finding in a file no sweep swept is not shown.
  std::optional<FileTriage> triage;
  bool empty() const { return functions.empty() && reexports.empty(); }
  // Whether reading the file again for `name` could add to this summary.
  bool may_add(const std::string& name) const;
};

inline bool FileSummary::may_add(const std::string& name) const {
  return partial && std::binary_search(defines.begin(), defines.end(), name);
}

}  // namespace asyncsweep
