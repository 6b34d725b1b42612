// Blocking calls written under another name than the rule's own spelling: `sleep(1)` after
// `from time import sleep`, `sp.run(...)` after `import subprocess as sp`. The rules' regexes
// see only the canonical spelling (`time.sleep(`); this stage traces each call in an async
// function body through the module's imports (analyze/imports) to its qualified name and asks
// the blocking-io rules' own regexes about that name, so the families are defined in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyze/imports.hpp"
#include "python/model.hpp"
#include "regex/pcre.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::analyze {

struct ResolvedCall {
  std::uint32_t rule = 0;  // index into the rule set
  std::size_t begin = 0;   // the callee as written
  std::size_t end = 0;     // just past its "("
  std::string reason;      // "`sleep` is time.sleep (imported on line 4)"
};

// Whether resolved_calls looks for `rule`'s calls under imported names (blocking-io rules of
// async scope): a file without one among its rules needs no model for this stage.
bool resolves(const rules::Rule& rule);

// Calls inside the async functions of `model` whose callee resolves through an import to a
// qualified name that one of `rules` (blocking-io rules among `applicable` only) matches whole,
// e.g. "time.sleep(", and that is not already written that way. In source order. `imports`:
// the model's ImportTable::imports_of when the caller has read them already.
std::vector<ResolvedCall> resolved_calls(const python::LineModel& model,
                                         const search::RuleSet& rules,
                                         const std::vector<std::uint32_t>& applicable,
                                         regex::MatchScratch& scratch,
                                         const std::vector<ImportBinding>* imports = nullptr);

}  // namespace asyncsweep::analyze
