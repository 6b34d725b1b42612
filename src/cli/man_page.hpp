// asyncsweep(1) in roff: the hand-written sections of docs/asyncsweep.1.in (compiled in) with
// the synopsis, options and commands filled in from the CLI11 definitions.
#pragma once

#include <string>
#include <string_view>

#include "cli/command_spec.hpp"

namespace asyncsweep::cli {

std::string man_page(const CommandSpec& program);

std::string_view man_template();  // docs/asyncsweep.1.in, embedded by CMake

}  // namespace asyncsweep::cli
