// --roots-from FILE: the roots of a sweep over many checked-out repositories, one per line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::cli {

// One path per line, kept byte for byte (a final CR of a CRLF line dropped); lines that are
// empty or only spaces/tabs, and lines whose first character is '#', are skipped.
std::vector<std::string> parse_root_list(std::string_view text);

// parse_root_list() of FILE ("-": standard input). Throws std::invalid_argument naming the file
// when it cannot be read or lists no path (an empty list must not mean "the current directory").
std::vector<std::string> read_root_list(const std::string& path);

}  // namespace asyncsweep::cli
