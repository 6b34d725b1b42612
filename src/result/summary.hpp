// Per-function summaries of one file for the transitive join (analyze/summaries builds them,
// transitive/join reads them, a shard's JSON carries them to `merge`). Here, below every layer
// that reads them, like the other result types.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
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
  bool empty() const { return functions.empty(); }
  // Whether reading the file again for `name` could add to this summary.
  bool may_add(const std::string& name) const;
};

inline bool FileSummary::may_add(const std::string& name) const {
  return partial && std::binary_search(defines.begin(), defines.end(), name);
}

}  // namespace asyncsweep
