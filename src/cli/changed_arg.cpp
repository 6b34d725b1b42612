#include "cli/changed_arg.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "change/git.hpp"
#include "io/whole_file.hpp"

namespace asyncsweep::cli {

namespace {

std::string option_given(const Args& args) {
  return args.changed_since.empty() ? "--changed-lines" : "--changed-since";
}

void check_combinations(const Args& args, bool sweeps_stdin) {
  const std::string option = option_given(args);
  if (!args.changed_since.empty() && !args.changed_lines.empty()) {
    throw std::invalid_argument(
        "--changed-since and --changed-lines both say what changed: give one of them");
  }
  if (!args.shard.empty()) {
    throw std::invalid_argument(option +
                                " cannot go with --shard: a change is swept by one "
                                "process, and merge could not tell what each shard left out");
  }
  if (args.command == Command::merge) {
    throw std::invalid_argument(option +
                                " cannot go with merge: the shards swept whole trees; "
                                "sweep the change itself instead");
  }
  if (args.command != Command::sweep) {
    throw std::invalid_argument(option + " applies to a sweep only");
  }
  if (!args.write_baseline.empty()) {
    throw std::invalid_argument(option +
                                " cannot go with --write-baseline: a baseline records "
                                "the whole tree's findings, not a change's");
  }
  if (sweeps_stdin) {
    throw std::invalid_argument(option + " names changed files; standard input (-) is not one");
  }
}

// Where to ask git about a root: its directory (a file's parent).
std::string git_directory(const std::string& root) {
  std::error_code ec;
  const std::filesystem::path path(root);
  if (std::filesystem::is_directory(path, ec)) return root;
  const std::string parent = path.parent_path().string();
  return parent.empty() ? "." : parent;
}

// The one work tree every root lies in (the current directory's with no root): a change is
// measured in one repository, and a root elsewhere would be swept whole or not at all.
std::string common_git_directory(const std::vector<std::string>& roots) {
  if (roots.empty()) return ".";
  const std::string first = change::work_tree_top(git_directory(roots.front()));
  for (std::size_t i = 1; i < roots.size(); ++i) {
    const std::string top = change::work_tree_top(git_directory(roots[i]));
    if (top != first) {
      throw std::runtime_error("--changed-since: " + roots.front() + " and " + roots[i] +
                               " lie in different git work trees (" + first + ", " + top +
                               "): sweep each repository's change on its own");
    }
  }
  return git_directory(roots.front());
}

}  // namespace

std::optional<change::SweepScope> change_scope(const Args& args,
                                               const std::vector<std::string>& roots,
                                               bool sweeps_stdin) {
  if (args.changed_since.empty() && args.changed_lines.empty()) return std::nullopt;
  check_combinations(args, sweeps_stdin);
  if (!args.changed_since.empty()) {
    change::GitChanges changes = change::changes_since(args.changed_since, common_git_directory(roots));
    return change::scope_for_roots(changes.top, changes.files, roots);
  }
  io::WholeFile diff = io::read_input(args.changed_lines);
  if (!diff) throw std::invalid_argument("--changed-lines: " + diff.error);
  const std::string name =
      args.changed_lines == "-" ? std::string(io::kStdinName) : args.changed_lines;
  return change::scope_for_roots(".", change::parse_unified_diff(diff.bytes, name), roots);
}

}  // namespace asyncsweep::cli
