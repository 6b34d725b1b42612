// --changed-since REF and --changed-lines FILE: what the sweep is limited to (change/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "change/scope.hpp"
#include "cli/args.hpp"

namespace asyncsweep::cli {

// The change's files and lines below `roots` (the sweep's roots as given), or nullopt when
// neither option is given. Runs git for --changed-since. Throws std::invalid_argument for
// options that cannot go with a change (each other, --shard, merge, --write-baseline, `-`) and
// std::runtime_error for a change that cannot be known (change/git.hpp, a malformed diff).
std::optional<change::SweepScope> change_scope(const Args& args,
                                               const std::vector<std::string>& roots,
                                               bool sweeps_stdin);

}  // namespace asyncsweep::cli
