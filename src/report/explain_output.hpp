// `asyncsweep explain ID` (Ruff's `ruff rule`): one rule told for a reader, not a parser.
#pragma once

#include <string>
#include <string_view>

#include "rules/rule.hpp"

namespace asyncsweep::report {

// The rule's title, why it matters, the guide's section and command(s), the fix advice, its
// Ruff codes, whether asyncsweep fixes it, and the pack's bad/good example when it has one.
std::string explain_text(const rules::Rule& rule);

// "unknown rule 'X'" with the nearest id as a did-you-mean, for the exit-2 message.
std::string unknown_rule_message(std::string_view id, const rules::RulePack& pack);

}  // namespace asyncsweep::report
