// --changed-since REF: what git says changed since the merge base of REF and HEAD. git runs as
// a child process with an argument vector (never through a shell), from the directory given.
#pragma once

#include <string>
#include <vector>

#include "change/diff.hpp"

namespace asyncsweep::change {

struct GitChanges {
  std::string top;         // the work tree's top directory, absolute: what paths are below
  std::string merge_base;  // the commit the change is measured from
  std::vector<ChangedFile>
      files;  // committed, staged, unstaged (added lines) and untracked (whole)
};

// Runs, in `directory`'s work tree: rev-parse (top, REF), merge-base REF HEAD,
// `diff --unified=0 -M MERGE_BASE` and `ls-files --others --exclude-standard -z`. Throws
// std::runtime_error with a message for a person: not a git work tree, an unknown REF, no
// merge base (in a shallow clone: how to fetch one), git missing or failing.
GitChanges changes_since(const std::string& ref, const std::string& directory);

// The top of the git work tree `directory` lies in; throws std::runtime_error, for a person,
// when it lies in none.
std::string work_tree_top(const std::string& directory);

}  // namespace asyncsweep::change
