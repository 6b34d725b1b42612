// Per-function summaries of one file for the transitive join (analyze/summaries builds them,
// transitive/join reads them, a shard's JSON carries them to `merge`). Here, below every layer
// that reads them, like the other result types.
#pragma once

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
  std::string path;      // as displayed
  std::string module;    // "pkg.store" ("" when the path names no module)
  bool test = false;     // test code, as the scorer tells it
  bool partial = false;  // the async functions only (classes and sync functions left out)
  std::vector<ClassSummary> classes;
  std::vector<FunctionSummary> functions;
  bool empty() const { return functions.empty(); }
};

}  // namespace asyncsweep
