// --diff: a file's fixes as a unified diff (`--- a/PATH`, `+++ b/PATH`, three lines of context),
// which `patch -p1` applies in the directory the sweep ran in. Built from the edits themselves,
// not by comparing texts: each changed line range is known, so no diff algorithm is needed.
#pragma once

#include <string>
#include <string_view>

#include "result/fix_plan.hpp"

namespace asyncsweep::fix {

// `path` as the diff names it: relative to the current directory `cwd` (absolute), lexically.
std::string diff_path(std::string_view path, std::string_view cwd);

// The plan's edits (over FilePlan::original) as a unified diff of `name`; "" when there are none.
std::string unified_diff(const FilePlan& plan, const std::string& name);

}  // namespace asyncsweep::fix
