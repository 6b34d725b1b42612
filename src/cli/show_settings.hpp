// --show-settings PATH (Ruff's): the settings one file or directory gets, and where each one
// comes from, so a user can see which of several nested configurations applies.
#pragma once

#include <string>

#include "cli/args.hpp"
#include "cli/resolve.hpp"

namespace asyncsweep::cli {

// The report, TOML-like, one setting a line. Throws std::runtime_error naming a malformed
// configuration file.
std::string show_settings(const Args& args, const Options& options);

}  // namespace asyncsweep::cli
