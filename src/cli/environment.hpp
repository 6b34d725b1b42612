// The environment, read in one place: cli/resolve asks it (CI, ASYNCSWEEP_PROGRESS_DELAY_MS,
// the --shard auto/N index variables, HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL for git's
// global excludes) through this function, which tests replace.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace asyncsweep::cli {

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
Environment process_environment();  // ::getenv

}  // namespace asyncsweep::cli
