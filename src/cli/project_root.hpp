// The directory a baseline's paths are relative to, so that `asyncsweep .`, `asyncsweep repo`
// and `asyncsweep /abs/repo` record and recognise the same keys: the top of the git work tree
// holding the first path swept, else the directory of the nearest [tool.asyncsweep]
// configuration (--config FILE's when given), else the first path swept (its directory when it
// is a file).
#pragma once

#include <string>

namespace asyncsweep::cli {

// `first_path` as typed (empty: "."); the result is absolute and lexically normal. Reads only
// directory entries (".git", pyproject.toml, asyncsweep.toml) on the way up.
std::string find_project_root(const std::string& first_path, const std::string& config_path);

}  // namespace asyncsweep::cli
