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

// Where to ask git: the first root's directory (a file's parent), else the current one.
std::string git_directory(const std::vector<std::string>& roots) {
  if (roots.empty()) return ".";
  std::error_code ec;
  const std::filesystem::path root(roots.front());
  if (std::filesystem::is_directory(root, ec)) return roots.front();
  const std::string parent = root.parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

std::optional<change::SweepScope> change_scope(const Args& args,
                                               const std::vector<std::string>& roots,
                                               bool sweeps_stdin) {
  if (args.changed_since.empty() && args.changed_lines.empty()) return std::nullopt;
  check_combinations(args, sweeps_stdin);
  if (!args.changed_since.empty()) {
    change::GitChanges changes = change::changes_since(args.changed_since, git_directory(roots));
    return change::scope_for_roots(changes.top, changes.files, roots);
  }
  io::WholeFile diff = io::read_input(args.changed_lines);
  if (!diff) throw std::invalid_argument("--changed-lines: " + diff.error);
  const std::string name =
      args.changed_lines == "-" ? std::string(io::kStdinName) : args.changed_lines;
  return change::scope_for_roots(".", change::parse_unified_diff(diff.bytes, name), roots);
}

}  // namespace asyncsweep::cli
