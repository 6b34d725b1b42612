#include "change/git.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "change/process.hpp"

namespace asyncsweep::change {

namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

// git's own message, first line, for errors we do not recognise.
std::string first_line(const std::string& text) {
  std::string line = trimmed(text.substr(0, text.find('\n')));
  return line.empty() ? "(no message)" : line;
}

// "/work/repo" for ".", for the messages.
std::string absolute(const std::string& directory) {
  std::string path = std::filesystem::absolute(directory).lexically_normal().string();
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// What `git fetch` takes to deepen REF: "origin main" for a remote-tracking "origin/main"
// (fetch wants the remote and the branch as the remote names it), "origin REF" otherwise.
std::string fetch_arguments(const std::string& ref) {
  std::string_view name = ref;
  if (name.starts_with("refs/remotes/")) name.remove_prefix(std::string_view("refs/remotes/").size());
  const std::size_t slash = name.find('/');
  if (slash != std::string_view::npos && slash > 0 && !ref.starts_with("refs/heads/"))
    return fmt::format("{} {}", name.substr(0, slash), name.substr(slash + 1));
  return "origin " + ref;
}

class Git {
 public:
  explicit Git(std::string directory) : directory_(std::move(directory)) {}

  ProcessResult run(std::vector<std::string> args) const {
    // -c core.quotePath: names come quoted the one way unquote_git_path reads, whatever the
    // user's configuration says.
    std::vector<std::string> argv{"git", "-C", directory_, "-c", "core.quotePath=true"};
    std::move(args.begin(), args.end(), std::back_inserter(argv));
    ProcessResult result = run_process(argv);
    if (!result.spawn_error.empty())
      throw std::runtime_error("--changed-since needs git, which could not be run: " +
                               result.spawn_error);
    return result;
  }

  std::string must(std::vector<std::string> args, std::string_view what) const {
    ProcessResult result = run(std::move(args));
    if (result.status != 0)
      throw std::runtime_error(
          fmt::format("--changed-since: git could not {}: {}", what, first_line(result.err)));
    return std::move(result.out);
  }

 private:
  std::string directory_;
};

}  // namespace

std::string work_tree_top(const std::string& directory) {
  ProcessResult top = Git(directory).run({"rev-parse", "--show-toplevel"});
  if (top.status != 0 || trimmed(top.out).empty()) {
    throw std::runtime_error(fmt::format(
        "--changed-since needs a git work tree, and {} is not in one (for another VCS, pass its "
        "diff with --changed-lines FILE)",
        absolute(directory)));
  }
  return trimmed(top.out);
}

GitChanges changes_since(const std::string& ref, const std::string& directory) {
  GitChanges changes;
  changes.top = work_tree_top(directory);
  Git git(changes.top);
  // "REF^{commit}": a tag or branch name resolves to the commit, a blob or tree id does not.
  if (git.run({"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}).status !=
      0) {
    throw std::runtime_error(fmt::format(
        "--changed-since: unknown git revision '{}' (a branch, tag or commit of {}; for a remote "
        "branch, `git fetch origin` first)",
        ref, changes.top));
  }
  ProcessResult base = git.run({"merge-base", "--end-of-options", ref, "HEAD"});
  if (base.status != 0) {
    if (trimmed(git.must({"rev-parse", "--is-shallow-repository"},
                         "tell whether the clone is shallow")) == "true") {
      throw std::runtime_error(fmt::format(
          "--changed-since: '{}' and HEAD have no merge base in this shallow clone: fetch the "
          "history that joins them (`git fetch --unshallow`, or `git fetch {} --depth=N` "
          "with N large enough; in GitHub Actions, actions/checkout with fetch-depth: 0)",
          ref, fetch_arguments(ref)));
    }
    throw std::runtime_error(
        fmt::format("--changed-since: '{}' and HEAD have no common ancestor", ref));
  }
  changes.merge_base = trimmed(base.out);
  // Explicit prefixes and no external diff or textconv: the shape parse_unified_diff reads,
  // whatever diff.noprefix, diff.external or diff.relative say. The work tree against the
  // merge base covers committed, staged and unstaged changes at once.
  const std::string diff = git.must(
      {"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--src-prefix=a/",
       "--dst-prefix=b/", "--unified=0", "-M", changes.merge_base, "--"},
      "diff the work tree against the merge base");
  changes.files = parse_unified_diff(diff, "git diff " + changes.merge_base);
  const std::string untracked =
      git.must({"ls-files", "--others", "--exclude-standard", "-z"}, "list the untracked files");
  for (std::size_t start = 0; start < untracked.size();) {
    std::size_t end = untracked.find('\0', start);
    if (end == std::string::npos) end = untracked.size();
    std::string path = untracked.substr(start, end - start);
    start = end + 1;
    if (path.empty()) continue;
    auto it = std::find_if(changes.files.begin(), changes.files.end(),
                           [&](const ChangedFile& file) { return file.path == path; });
    if (it != changes.files.end()) {
      it->lines = LineRanges::whole_file();  // new to git: every line is the change's
    } else {
      changes.files.push_back(ChangedFile{std::move(path), LineRanges::whole_file()});
    }
  }
  return changes;
}

}  // namespace asyncsweep::change
