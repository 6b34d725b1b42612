// A change's files as the sweep will meet them: the diff names paths below one base directory
// (git's top, or the current directory for --changed-lines); the walker displays them below the
// roots as given ("src/pkg/mod.py" for root "src", "./src/pkg/mod.py" for root "."). Both
// the walk (only these files, and the directories on the way) and the triage (only these
// lines) look them up by the displayed path.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "change/diff.hpp"
#include "walk/walker.hpp"

namespace asyncsweep::change {

// Changed lines by path as displayed.
using ChangedLines = std::unordered_map<std::string, LineRanges>;

struct SweepScope {
  std::shared_ptr<const walk::PathScope> walk;
  std::shared_ptr<const ChangedLines> lines;
};

// `files` are relative to `base` (a directory); `roots` are the sweep's roots as given (empty:
// the current directory). A changed file outside every root is left out; one below two roots
// is there twice, as the walk would visit it twice.
SweepScope scope_for_roots(const std::string& base, const std::vector<ChangedFile>& files,
                           const std::vector<std::string>& roots);

}  // namespace asyncsweep::change
