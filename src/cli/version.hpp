// The program's version: CMake's project(VERSION), compiled into version.cpp alone.
#pragma once

#include <string_view>

namespace asyncsweep::cli {

std::string_view version();

}  // namespace asyncsweep::cli
