// Safe fixes, Ruff's way: the edit of a finding only where it cannot change behaviour beyond
// the problem it fixes (docs/fixes.md lists the conditions):
//   ASW040  asyncio.get_event_loop() directly in an async def   -> asyncio.get_running_loop()
//   ASW106  time.sleep(x) as its own statement directly in an async def of a module that
//           imports exactly one of asyncio, trio, anyio         -> await asyncio.sleep(x)
//   ASW012  @pytest.mark.asyncio alone on its line, on an async def, where the nearest pytest
//           configuration sets asyncio_mode = auto            -> the line removed
// Everything is read from the line model and the module's imports; a condition that cannot be
// shown to hold means no fix. Edits are byte splices: line endings, encoding and BOM stay.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "python/model.hpp"
#include "result/finding.hpp"
#include "result/fix_plan.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::fix {

// Whether the rule has a safe fix (the one place `explain` and the sweep ask).
bool fixable(const rules::Rule& rule);

struct FileInput {
  std::string_view text;           // the file's bytes, as read
  const python::LineModel& model;  // built from `text`
  // Whether the nearest pytest configuration sets asyncio_mode = auto (asked only for ASW012).
  std::function<bool()> pytest_auto_mode;
};

// The edits for `findings` (one Python file's, analysed: Features filled in) in offset order;
// of two overlapping edits the first is kept.
std::vector<FixEdit> compute_edits(const FileInput& input, const search::RuleSet& rules,
                                   const std::vector<Finding>& findings);

// `text` with the edits (in offset order, not overlapping) spliced in.
std::string apply_edits(std::string_view text, const std::vector<FixEdit>& edits);

}  // namespace asyncsweep::fix
