// Writes a sweep's fixes back, as safely as a hostile tree under review requires: never
// through a symbolic link (the file itself: O_NOFOLLOW; a directory on the way: its real path
// must lie within a root swept), never when the file changed since the sweep read it (compared
// byte for byte), always atomically (a temporary file in the same directory, fsync, the mode
// kept, rename). A file that cannot be fixed is an error naming it; the others are still fixed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result/finding.hpp"
#include "result/fix_plan.hpp"

namespace asyncsweep::fix {

struct WriteOptions {
  std::vector<std::string> roots;  // the paths swept, as given (empty: ".")
  // Test-only (ASYNCSWEEP_TEST_PAUSE_BEFORE_FIX): before re-reading each file, say so on stderr
  // and wait for a byte on stdin, so that a test can change the file in between.
  bool pause_before_write = false;
};

struct WriteOutcome {
  std::uint64_t fixed = 0;               // edits written
  std::vector<std::string> fixed_paths;  // the plans written, in order
  std::vector<SweepError> errors;
};

// `plans` carry the bytes read (FilePlan::original).
WriteOutcome write_fixes(const std::vector<FilePlan>& plans, const WriteOptions& options);

// --diff: removes the plans --fix would refuse (a link, a file outside the roots, not a regular
// file), each an error naming the file, so that a patch never offers what --fix will not write.
std::vector<SweepError> drop_refused(std::vector<FilePlan>& plans, const std::vector<std::string>& swept_roots);

}  // namespace asyncsweep::fix
