// The safe fixes a sweep found (fix/edits computes them): one byte splice per fixable finding,
// kept beside the findings rather than in them, so that a Finding stays what it was and only
// the three fixable rules' findings pay for a fix. The printers look a finding's fix up here;
// fix/apply writes them; `merge` reads them back from the shards' JSON (without offsets).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result/finding.hpp"

namespace asyncsweep {

// One finding's fix, which starts on the finding's first line: replace `length` bytes at `offset`
// with `content`. The finding is known by its path (the plan's), rule, line and column, which
// survive a shard's JSON; byte offsets do not (0 after `merge`, which writes nothing).
struct FixEdit {
  std::uint32_t rule = 0;
  std::uint32_t finding_line = 0;
  std::uint32_t finding_column = 0;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  // Where the replaced bytes are, 1-based, byte columns, end exclusive (Ruff's location and
  // end_location); a removed line ends at column 1 of the next line.
  std::uint32_t row = 0, column = 0, end_row = 0, end_column = 0;
  std::string content;
  std::string message;  // "Replace with `asyncio.get_running_loop()`"
};

// The fixes of one file, in offset order, none overlapping.
struct FilePlan {
  std::string path;      // as displayed, like Finding::path
  std::string original;  // the bytes read, only when fixes are to be written or diffed
  std::vector<FixEdit> edits;
};

// The fix of `finding` among `plans` (sorted by path), or nullptr.
const FixEdit* fix_for(const std::vector<FilePlan>& plans, const Finding& finding);

// Keeps only the edits of `findings` (what is shown after every triage stage: a suppressed,
// baselined or hidden finding is never fixed), drops plans left empty, sorts plans by path.
void keep_fixes_of(std::vector<FilePlan>& plans, const std::vector<Finding>& findings);

// How many edits the plans hold.
std::uint64_t count_fixes(const std::vector<FilePlan>& plans);

}  // namespace asyncsweep
