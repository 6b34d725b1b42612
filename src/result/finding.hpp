// A finding: what the searcher matched, what the Python-aware stage saw (Features), and the
// score and reasons the scorer gave it. It flows from the searcher to the printers unchanged
// in shape; the stages only fill in their fields.
//
// result/ holds what a sweep produces, below every layer that reads it (score, triage, report,
// cli, sweep). Its types live in namespace asyncsweep itself: every layer speaks them, and
// `result` names too many variables to be a namespace as well.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace asyncsweep {

// One function on the way from a call in an async def to the blocking call it leads to
// (rule check calls-blocking): the function, and the call in it that blocks or goes on.
struct ChainStep {
  std::string path;      // as displayed
  std::uint32_t line = 0;  // of the call
  std::string function;  // qualified: "pkg.store.Store._load_file"
  std::string call;      // as written: "path.open", "self._read"
  std::string rule;      // the last step: the blocking-io rule that matches the call
};

// What the Python line model says about a finding's position; the scorer turns these into
// a score and reasons. Filled only for Python files.
struct Features {
  bool analyzed = false;
  enum class Region : std::uint8_t { code, comment, string } region = Region::code;
  bool docstring = false;
  std::uint32_t async_line = 0;       // nearest enclosing `async def` (0: none)
  std::string async_name;
  enum class Nested : std::uint8_t { none, def, lambda, klass } nested = Nested::none;
  std::uint32_t nested_line = 0;      // a sync def/lambda/class between the call and the async def
  std::string nested_name;
  bool awaited = false;               // `await <call chain>`: an async API
  bool called = true;                 // false: a function reference (`to_thread(path.read_text)`)
  std::string offload_call;           // evaluated as an argument of to_thread/run_in_executor/...
  std::string receiver;               // `sock` in `self.sock.recv(`: what a method is called on
  bool nonblocking_in_function = false;  // O_NONBLOCK / set_blocking / setblocking(False) nearby
  bool test_file = false;
  bool imports_async = false;         // the module imports asyncio, anyio or trio
  bool main_guard = false;            // inside `if __name__ == "__main__":` (or a __main__.py)
  std::uint32_t finally_close_line = 0;  // check finally-closes: the line of the close call
  bool return_exceptions = false;     // gather(..., return_exceptions=True): failures are collected
  std::string suppressed_by;          // the inline comment that suppresses the finding
  std::string resolved_import;        // found through an import: "`sleep` is time.sleep (imported on line 4)"
  std::vector<ChainStep> chain;       // calls-blocking: callee first, the blocking call last
};

// A finding's Features, kept out of line: a Finding is moved twice on its way to the report
// (into its thread's blocks, then into the result), each time into fresh memory, and most
// findings of a seed-exact run or of a non-Python file have no features at all. Reading an
// empty box gives default Features; edit() creates them. Copies are deep.
class FeaturesBox {
 public:
  FeaturesBox() = default;
  FeaturesBox(const FeaturesBox& other) : features_(other.features_ ? std::make_unique<Features>(*other.features_) : nullptr) {}
  FeaturesBox& operator=(const FeaturesBox& other) {
    if (this != &other) features_ = other.features_ ? std::make_unique<Features>(*other.features_) : nullptr;
    return *this;
  }
  FeaturesBox(FeaturesBox&&) noexcept = default;
  FeaturesBox& operator=(FeaturesBox&&) noexcept = default;

  Features& edit() {
    if (!features_) features_ = std::make_unique<Features>();
    return *features_;
  }
  const Features& operator*() const { return features_ ? *features_ : kNone; }
  const Features* operator->() const { return &**this; }

 private:
  static inline const Features kNone{};
  std::unique_ptr<Features> features_;
};

struct Finding {
  std::uint32_t rule = 0;      // index into the compiled rule set
  std::string path;            // as displayed (root as given + relative path)
  std::uint32_t line = 0;      // 1-based, first line of the match
  std::uint32_t end_line = 0;  // 1-based, last line of the (merged) match
  std::uint32_t column = 0;    // 1-based byte column of the match start
  std::uint32_t end_column = 0;  // 1-based byte column just past the match end, on end_line
  std::uint64_t offset = 0;    // byte offset of the match start
  std::uint64_t end_offset = 0;  // byte offset just past the match
  std::string text;            // the matched lines, without the final line terminator
  std::vector<std::string> context_before;
  std::vector<std::string> context_after;
  int score = 0;               // 0..100
  std::vector<std::string> reasons;
  FeaturesBox features;
};

// A problem that made the sweep incomplete. `rule` is empty for file-level errors.
struct SweepError {
  std::string path;
  std::string rule;
  std::string message;
};

}  // namespace asyncsweep
