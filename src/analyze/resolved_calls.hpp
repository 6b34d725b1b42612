// Blocking calls written under another name than the rule's own spelling: `sleep(1)` after
// `from time import sleep`, `sp.run(...)` after `import subprocess as sp`. The rules' regexes
// see only the canonical spelling (`time.sleep(`); this stage traces each call in an async
// function body through the module's imports (analyze/imports) to its qualified name and asks
// the blocking-io rules' own regexes about that name, so the families are defined in one place.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
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

// What the rules say of qualified names, kept across one thread's files: the same imports
// (`typing.Any`, `from time import sleep`) come back in most files of a tree, and each answer
// costs a regex match per rule. Answers are per rule and asked for lazily, so a file's rules
// get exactly the answers they would get without it.
class QualifiedNames {
 public:
  explicit QualifiedNames(const search::RuleSet& rules) : rules_(rules) {}

  // The first of `candidates` (rule indices) whose regex matches `qualified(` whole; -1: none.
  std::int64_t first_match(const std::vector<std::uint32_t>& candidates,
                           const std::string& qualified);
  // Whether one of `candidates`' patterns names every dotted part of `qualified`.
  bool parts_named(const std::vector<std::uint32_t>& candidates, const std::string& qualified);

 private:
  enum Answer : std::uint8_t { unknown = 0, no = 1, yes = 2 };
  struct Answers {
    std::vector<Answer> match;
    std::vector<Answer> parts;
  };
  Answers& answers(const std::string& qualified);

  const search::RuleSet& rules_;
  regex::MatchScratch scratch_;
  std::unordered_map<std::string, Answers> known_;
};

// Calls inside the async functions of `model` whose callee resolves through an import to a
// qualified name that one of `rules` (blocking-io rules among `applicable` only) matches whole,
// e.g. "time.sleep(", and that is not already written that way. In source order. `imports`:
// the model's ImportTable::imports_of when the caller has read them already. `names` is
// built on the same rules. `tokens`, when given, receives code_tokens(model) if this made
// them (for the caller's later readers of the same file), else is left as it was.
std::vector<ResolvedCall> resolved_calls(const python::LineModel& model,
                                         const search::RuleSet& rules,
                                         const std::vector<std::uint32_t>& applicable,
                                         QualifiedNames& names,
                                         const std::vector<ImportBinding>* imports = nullptr,
                                         std::vector<CodeToken>* tokens = nullptr);

}  // namespace asyncsweep::analyze
