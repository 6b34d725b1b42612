// Prefilter: literals a regex cannot match without. A rule whose required literals are absent
// from a file never runs its regex there (LiteralSet finds them all in one pass), so most files
// of a monorepo cost one scan instead of one PCRE2 pass per rule.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::search {

// Requirements of a regex as a conjunction of alternatives: every inner list must have at
// least one member in the subject. Conservative: an empty result means "no prefilter".
// Understands the plain subset the scan documents use (literal runs, escaped punctuation,
// `.*`-style gaps, groups of literal alternatives, \b, anchors); anything else merely
// contributes no requirement. Literals shorter than three bytes are dropped.
using Requirement = std::vector<std::string>;
std::vector<Requirement> required_literals(std::string_view regex);

// Drops alternatives that contain another one (wherever "lstat" occurs, "stat" does) and
// duplicates: the requirement says the same with fewer literals to look for.
Requirement simplify(Requirement alternatives);

// Estimated share of positions in Python source where the literal starts, bytes taken as
// independent (a rough order from a byte frequency table of the standard library: enough to
// tell which of a rule's requirements rules out most files).
double estimated_frequency(std::string_view literal);
double byte_frequency(unsigned char byte);
double estimated_frequency(const Requirement& alternatives);

}  // namespace asyncsweep::search
