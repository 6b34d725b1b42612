// "Did you mean": the known name nearest a mistyped one (an option, a rule id), as git and
// cargo suggest. Plain text, below every layer that names things.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::text {

// Levenshtein distance (insertions, deletions, substitutions), case-sensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest `typed`, if it is near enough to be a typo: at most a third of the
// typed length (at least 1, at most 3) edits away. Ties go to the first candidate.
std::optional<std::string> nearest_name(std::string_view typed,
                                        const std::vector<std::string>& candidates);

}  // namespace asyncsweep::text
