#include "cli/version.hpp"

namespace asyncsweep::cli {

std::string_view version() { return ASYNCSWEEP_VERSION; }

}  // namespace asyncsweep::cli
