// Shell completion scripts for bash, zsh and fish, made from the CLI11 definitions: every
// option of the program and of each subcommand, the values of those that take a fixed set
// (--format, --sort, --color...), file names for those that take a path.
#pragma once

#include <string>

#include "cli/command_spec.hpp"

namespace asyncsweep::cli {

std::string bash_completion(const CommandSpec& program);
std::string zsh_completion(const CommandSpec& program);
std::string fish_completion(const CommandSpec& program);

}  // namespace asyncsweep::cli
