// Filter: unit tests on small trees, then two differential tests on generated trees, one
// against `git check-ignore` (ignore-file semantics) and one against `rg --files` 13 (the
// whole decision: overrides, ignore files, types, hidden).
//
// Deliberate differences from git (rg is the oracle for the walker, see glob_test.cpp):
// trailing tabs are trimmed; classes take no backslash escapes and no [:alpha:]; `{a,b}` is
// alternation; a `[!x]` class may match '/', so `x[!a]y` ignores x/y; `***` is not `**`.
// The generators below avoid those forms in the git test.
//
// Deliberate differences from rg 13, which has two path bugs that we do not copy:
// - For a root given as a relative path other than "." (e.g. `rg sub`, `rg ..`), rg 13
//   matches the anchored patterns of ignore files *above* the root against a wrongly joined
//   path (dir.rs joins the absolute root with the already root-prefixed path) and misses them.
// - Anchored patterns of the global excludes file are matched against the path as walked, so
//   for an absolute root (`rg /abs/repo`) they never match; we match them relative to the cwd.
// Both are right when rg searches "." from inside the root, which is how the tests run rg.
// A leading UTF-8 BOM is skipped like git and later rg do (rg 13 keeps it in the first
// pattern). `py` also covers *.pyi and `python`, `ini`, `cfg` exist (later rg releases); the tests
// do not create .pyi/.ini/.cfg files. `.rgignore` is not read (DirListing does not report it).
#include "walk/filter.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using asyncsweep::walk::DirListing;
using asyncsweep::walk::Filter;
using asyncsweep::walk::FilterOptions;
using asyncsweep::walk::IgnoreNodePtr;
using asyncsweep::walk::Verdict;

namespace {

// Trees are created under $TMPDIR, else /dev/shm (creating and deleting thousands of files on
// a disk mounted with `discard` is several times slower), else /tmp.
std::string tmp_base() {
  const char* base = ::getenv("TMPDIR");
  if (base != nullptr && *base != '\0') return base;
  if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return "/tmp";
}

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = tmp_base() + "/asyncsweep_filter_XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = fs::canonical(tmpl).string();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Sets environment variables for the test's duration (git and rg inherit them).
struct EnvGuard {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void remember(const std::string& name) {
    const char* v = ::getenv(name.c_str());
    saved.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  void set(const std::string& name, const std::string& value) {
    remember(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    remember(name);
    ::unsetenv(name.c_str());
  }
  ~EnvGuard() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }
};

struct CwdGuard {
  fs::path saved = fs::current_path();
  explicit CwdGuard(const std::string& dir) { fs::current_path(dir); }
  ~CwdGuard() { fs::current_path(saved); }
  CwdGuard(const CwdGuard&) = delete;
  CwdGuard& operator=(const CwdGuard&) = delete;
};

// An environment where no user or system git config leaks in.
void isolate_env(EnvGuard& env, const std::string& home) {
  env.set("HOME", home);
  env.unset("XDG_CONFIG_HOME");
  env.unset("GIT_CONFIG_GLOBAL");
  env.unset("GIT_DIR");
  env.unset("GIT_WORK_TREE");
  env.unset("RIPGREP_CONFIG_PATH");
  env.set("GIT_CONFIG_NOSYSTEM", "1");
}

void write(const std::string& path, std::string_view content = "") {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string run(const std::string& cmd) {
  std::string out;
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[65536];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
  ::pclose(p);
  return out;
}

// The oracles (git, rg) are installed by scripts/test: without one, the test fails instead of
// passing without its comparison.
void require_tool(const char* name, const char* package) {
  if (std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) != 0) {
    FAIL(name << " not found: install " << package);
  }
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Entry {
  std::string rel;
  bool is_dir;
  Verdict verdict;
};

std::vector<std::pair<std::string, bool>> list_dir(const std::string& dir) {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.emplace_back(e.path().filename().string(),
                     e.symlink_status().type() == fs::file_type::directory);
  }
  std::sort(out.begin(), out.end());
  return out;
}

DirListing listing_of(const std::vector<std::pair<std::string, bool>>& entries) {
  DirListing l;
  for (const auto& [name, is_dir] : entries) {
    l.has_gitignore |= name == ".gitignore";
    l.has_ignore |= name == ".ignore";
    l.has_git |= name == ".git";
  }
  return l;
}

// A serial walker as the real one uses the Filter: prune what check() rejects.
void walk_dir(const Filter& f, const IgnoreNodePtr& node, const std::string& dir,
              const std::string& rel, const std::vector<std::pair<std::string, bool>>& entries,
              std::vector<Entry>& out, std::vector<std::string>& errors, bool skip_root_git) {
  for (const auto& [name, is_dir] : entries) {
    if (skip_root_git && rel.empty() && name == ".git") continue;
    const std::string child_rel = rel.empty() ? name : rel + "/" + name;
    const Verdict v = f.check(*node, name, is_dir);
    out.push_back({child_rel, is_dir, v});
    if (v != Verdict::include || !is_dir) continue;
    const std::string child_dir = dir + "/" + name;
    const auto child_entries = list_dir(child_dir);
    const auto child = f.child_node(node, child_dir, listing_of(child_entries), errors);
    walk_dir(f, child, child_dir, child_rel, child_entries, out, errors, false);
  }
}

std::vector<Entry> walk(const Filter& f, const std::string& root,
                        std::vector<std::string>* errors = nullptr, bool skip_root_git = false) {
  std::vector<std::string> errs;
  std::vector<Entry> out;
  const auto node = f.root_node(root, errors ? *errors : errs);
  walk_dir(f, node, root, "", list_dir(root), out, errors ? *errors : errs, skip_root_git);
  return out;
}

std::set<std::string> walk_files(const Filter& f, const std::string& root,
                                 std::vector<std::string>* errors = nullptr) {
  std::set<std::string> files;
  for (const Entry& e : walk(f, root, errors)) {
    if (!e.is_dir && e.verdict == Verdict::include) files.insert(e.rel);
  }
  return files;
}

std::string env_or_empty(const char* name) {
  const char* value = ::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The options rg gets from its command line and environment: the environment as the test set
// it now (the filter, unlike rg, reads none itself), so build them after changing it.
FilterOptions opts_for(const std::string& cwd) {
  FilterOptions o;
  o.cwd = cwd;
  o.git_env = {env_or_empty("HOME"), env_or_empty("XDG_CONFIG_HOME"),
               env_or_empty("GIT_CONFIG_GLOBAL")};
  return o;
}

// `rg --files .` run in `root` (see the top of the file for why ".").
std::set<std::string> rg_files(const std::string& root, const FilterOptions& o) {
  std::string cmd = "cd " + quote(root) + " && rg --files --no-config";
  if (o.hidden) cmd += " --hidden";
  if (o.no_ignore) cmd += " --no-ignore";
  for (const auto& g : o.globs) cmd += " -g " + quote(g);
  for (const auto& t : o.types) cmd += " -t " + quote(t);
  cmd += " . </dev/null 2>/dev/null";
  std::set<std::string> files;
  std::istringstream in(run(cmd));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("./", 0) == 0) line = line.substr(2);
    files.insert(line);
  }
  return files;
}

std::string describe(const std::set<std::string>& only_a, const std::set<std::string>& only_b) {
  std::string s;
  for (const auto& x : only_a) s += "  only ours: " + x + "\n";
  for (const auto& x : only_b) s += "  only rg:   " + x + "\n";
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string dump_ignore_files(const std::string& root) {
  std::string s;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    if (name == ".gitignore" || name == ".ignore" || name == "exclude") {
      s += "--- " + e.path().string().substr(root.size()) + "\n" + read_file(e.path()) + "\n";
    }
  }
  return s;
}

// Compares our walk with rg's, failing with a diff.
bool same_as_rg(const std::string& root, const FilterOptions& o, const std::string& label) {
  Filter f(o);
  const auto ours = walk_files(f, root);
  const auto theirs = rg_files(root, o);
  if (ours == theirs) return true;
  std::set<std::string> a, b;
  std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(),
                      std::inserter(a, a.end()));
  std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(),
                      std::inserter(b, b.end()));
  std::string flags = o.hidden ? " --hidden" : "";
  for (const auto& g : o.globs) flags += " -g '" + g + "'";
  for (const auto& t : o.types) flags += " -t " + t;
  FAIL_CHECK(label << flags << "\n" << describe(a, b) << dump_ignore_files(root));
  return false;
}

std::set<std::string> S(std::initializer_list<const char*> xs) {
  return std::set<std::string>(xs.begin(), xs.end());
}

}  // namespace

// ---- unit tests ----------------------------------------------------------------------------

TEST_CASE("filter: options are validated", "[filter]") {
  FilterOptions o = opts_for("/");
  o.types = {"nope"};
  CHECK_THROWS_WITH(Filter(o), "unknown file type: nope");
  o.types = {};
  o.globs = {"*.py", "a["};
  CHECK_THROWS_WITH(Filter(o), Catch::Contains("'a['") && Catch::Contains("unclosed character"));
  o.globs = {"{x"};
  CHECK_THROWS_WITH(Filter(o), Catch::Contains("'{x'"));
}

TEST_CASE("filter: type table and matches_types", "[filter]") {
  const auto table = Filter::type_table();
  std::map<std::string, std::vector<std::string>> m(table.begin(), table.end());
  CHECK(m["py"] == std::vector<std::string>{"*.py", "*.pyi"});
  CHECK(m["python"] == m["py"]);
  CHECK(m["toml"] == std::vector<std::string>{"*.toml", "Cargo.lock"});
  CHECK(m["ini"] == std::vector<std::string>{"*.ini"});
  CHECK(m["cfg"] == std::vector<std::string>{"*.cfg"});
  for (const char* t : {"md", "markdown", "json", "yaml", "txt", "sh", "c", "cpp", "rust", "js"}) {
    CHECK(m.count(t) == 1);
  }
  FilterOptions o = opts_for("/");
  CHECK(Filter(o).matches_types("anything"));
  o.types = {"python", "md"};
  Filter f(o);
  CHECK(f.matches_types("a.py"));
  CHECK(f.matches_types("a.pyi"));
  CHECK(f.matches_types("README.md"));
  CHECK_FALSE(f.matches_types("a.pyc"));
  CHECK_FALSE(f.matches_types("py"));
  o.types = {"all"};
  CHECK(Filter(o).matches_types("x.rs"));
  CHECK(Filter(o).matches_types("Makefile"));
  CHECK_FALSE(Filter(o).matches_types("x.unknownext"));
  o.types = {"make"};
  CHECK(Filter(o).matches_types("Makefile"));
  CHECK(Filter(o).matches_types("GNUmakefile"));
}

TEST_CASE("filter: precedence of globs, ignore files, types and hidden", "[filter]") {
  TempDir t;
  EnvGuard env;
  isolate_env(env, t.path + "/home");
  const std::string r = t.path + "/repo";
  fs::create_directories(r + "/.git/info");
  write(r + "/.gitignore", "*.log\n!keep.log\nbuild/\n.secret\n");
  write(r + "/.ignore", "ign.py\n");
  write(r + "/sub/.gitignore", "!ign.py\n*.txt\n!.hidden.py\n");
  write(r + "/sub/.ignore", "!keep.txt\n");
  write(r + "/.git/info/exclude", "excl.md\n");
  for (const char* f : {"a.py", "x.log", "keep.log", "ign.py", "excl.md", ".env", ".hidden.py",
                        "build/out.py", "sub/ign.py", "sub/n.txt", "sub/.hidden.py", ".secret",
                        ".hd/in.py", "sub/b.md", "sub/keep.txt"}) {
    write(r + "/" + f);
  }
  FilterOptions o = opts_for(r);
  Filter f(o);
  std::vector<std::string> errors;
  const auto root = f.root_node(r, errors);
  CHECK(errors.empty());
  CHECK(f.check(*root, "a.py", false) == Verdict::include);
  CHECK(f.check(*root, "x.log", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*root, "keep.log", false) == Verdict::include);
  CHECK(f.check(*root, "ign.py", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*root, "excl.md", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*root, ".env", false) == Verdict::hidden);
  CHECK(f.check(*root, ".secret", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*root, "build", true) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*root, "build", false) == Verdict::include);  // dir-only pattern
  CHECK(f.check(*root, ".git", true) == Verdict::hidden);
  // sub/.ignore's !keep.txt wins over sub/.gitignore's *.txt.
  CHECK(walk_files(f, r) == S({"a.py", "keep.log", "sub/.hidden.py", "sub/b.md", "sub/keep.txt"}));
  // .ignore beats .gitignore at any depth: sub's !ign.py cannot undo the root .ignore; and a
  // whitelist in an ignore file lets a hidden file through (sub/.hidden.py above). --hidden
  // walks into .git like rg 13 does.
  o.hidden = true;
  CHECK(walk_files(Filter(o), r) ==
        S({".env", ".git/info/exclude", ".gitignore", ".hd/in.py", ".hidden.py", ".ignore", "a.py",
           "keep.log", "sub/.gitignore", "sub/.hidden.py", "sub/.ignore", "sub/b.md",
           "sub/keep.txt"}));
  o.hidden = false;
  // -g wins over everything, a positive glob excludes files matching no positive glob.
  o.globs = {"*.log", "!keep.log", "ign.py"};
  CHECK(walk_files(Filter(o), r) == S({"ign.py", "sub/ign.py", "x.log"}));
  o.globs = {"!*.md"};
  CHECK(walk_files(Filter(o), r) == S({"a.py", "keep.log", "sub/.hidden.py", "sub/keep.txt"}));
  // A matching glob lets hidden files through (not hidden dirs: no glob matches `.hd`), and it
  // does not re-include a directory (build/) that an ignore file excludes.
  o.globs = {"*.py"};
  CHECK(walk_files(Filter(o), r) ==
        S({".hidden.py", "a.py", "ign.py", "sub/.hidden.py", "sub/ign.py"}));
  o.globs = {"*.py", "build"};
  CHECK(walk_files(Filter(o), r) ==
        S({".hidden.py", "a.py", "build/out.py", "ign.py", "sub/.hidden.py", "sub/ign.py"}));
  o.globs = {};
  o.types = {"py"};  // so does a type match
  CHECK(walk_files(Filter(o), r) == S({".hidden.py", "a.py", "sub/.hidden.py"}));
  CHECK(Filter(o).check(*root, "n.txt", false) == Verdict::wrong_type);
  CHECK(Filter(o).check(*root, "build", true) == Verdict::ignored_by_ignore_file);
  o.types = {};
  o.no_ignore = true;
  CHECK(walk_files(Filter(o), r) ==
        S({"a.py", "build/out.py", "excl.md", "ign.py", "keep.log", "sub/b.md", "sub/ign.py",
           "sub/keep.txt", "sub/n.txt", "x.log"}));
  require_tool("rg", "ripgrep");
  for (bool hidden : {false, true}) {
    o = opts_for(r);
    o.hidden = hidden;
    same_as_rg(r, o, "precedence");
    o.globs = {"*.py"};
    same_as_rg(r, o, "precedence");
    o.globs = {};
    o.types = {"py"};
    same_as_rg(r, o, "precedence");
  }
}

TEST_CASE("filter: require_git, repository boundaries, parents", "[filter]") {
  TempDir t;
  EnvGuard env;
  isolate_env(env, t.path + "/home");
  // No .git anywhere: .gitignore does not apply, .ignore does.
  const std::string plain = t.path + "/plain";
  write(plain + "/.gitignore", "*.py\n");
  write(plain + "/.ignore", "*.md\n");
  write(plain + "/a.py");
  write(plain + "/b.md");
  write(plain + "/c.txt");
  FilterOptions o = opts_for(plain);
  CHECK(walk_files(Filter(o), plain) == S({"a.py", "c.txt"}));
  o.require_git = false;
  CHECK(walk_files(Filter(o), plain) == S({"c.txt"}));

  // A nested repository hides the outer .gitignore and exclude file, not the outer .ignore.
  const std::string outer = t.path + "/outer";
  fs::create_directories(outer + "/.git/info");
  write(outer + "/.git/info/exclude", "*.ex\n");
  write(outer + "/.gitignore", "*.md\n/anch.txt\nsub/deep/anch2.txt\n");
  write(outer + "/.ignore", "*.ig\n");
  for (const char* f :
       {"x.md", "x.ex", "x.ig", "anch.txt", "inner/x.md", "inner/x.ex", "inner/x.ig", "sub/x.md",
        "sub/anch.txt", "sub/deep/anch2.txt", "sub/deep/x.ex"}) {
    write(outer + "/" + f);
  }
  fs::create_directories(outer + "/inner/.git");
  o = opts_for(outer);
  CHECK(walk_files(Filter(o), outer) == S({"inner/x.ex", "inner/x.md", "sub/anch.txt"}));
  // Parents: a root inside the repository still sees the repository's ignore files,
  // anchored patterns included, relative or absolute.
  o = opts_for(outer + "/sub");
  CHECK(walk_files(Filter(o), outer + "/sub") == S({"anch.txt"}));
  {
    CwdGuard cwd(outer);  // a relative root, resolved against the process's directory
    o = opts_for(outer);
    CHECK(walk_files(Filter(o), "sub") == S({"anch.txt"}));
    CHECK(walk_files(Filter(o), "./sub/deep") == S({}));
  }
  require_tool("rg", "ripgrep");
  for (const std::string& root : {plain, outer, outer + "/sub", outer + "/sub/deep"}) {
    o = opts_for(root);
    same_as_rg(root, o, "boundaries " + root);
  }
}

TEST_CASE("filter: global excludes file from git's config", "[filter]") {
  TempDir t;
  EnvGuard env;
  const std::string home = t.path + "/home";
  isolate_env(env, home);
  const std::string r = t.path + "/repo";
  fs::create_directories(r + "/.git");
  for (const char* f : {"a.g1", "a.g2", "a.g3", "a.g4", "d/b.g1", "top.x", "d/top.x"}) {
    write(r + "/" + f);
  }
  // Default location: ~/.config/git/ignore; anchored patterns are relative to the cwd.
  write(home + "/.config/git/ignore", "*.g1\n/top.x\n");
  CHECK(walk_files(Filter(opts_for(r)), r) == S({"a.g2", "a.g3", "a.g4", "d/top.x"}));
  // $XDG_CONFIG_HOME/git/ignore replaces it.
  env.set("XDG_CONFIG_HOME", t.path + "/xdg");
  write(t.path + "/xdg/git/ignore", "*.g2\n");
  CHECK(walk_files(Filter(opts_for(r)), r) ==
        S({"a.g1", "a.g3", "a.g4", "d/b.g1", "d/top.x", "top.x"}));
  // core.excludesFile in $XDG_CONFIG_HOME/git/config, overridden by ~/.gitconfig.
  write(t.path + "/xdg/git/config", "[core]\n\texcludesFile = " + t.path + "/ex3\n");
  write(t.path + "/ex3", "*.g3\n");
  CHECK(walk_files(Filter(opts_for(r)), r) ==
        S({"a.g1", "a.g2", "a.g4", "d/b.g1", "d/top.x", "top.x"}));
  write(home + "/.gitconfig", "[core]\n\texcludesFile = ~/ex4\n");
  write(home + "/ex4", "*.g4\n");
  CHECK(walk_files(Filter(opts_for(r)), r) ==
        S({"a.g1", "a.g2", "a.g3", "d/b.g1", "d/top.x", "top.x"}));
  require_tool("rg", "ripgrep");
  same_as_rg(r, opts_for(r), "global excludes");  // rg 13 reads ~/.gitconfig
  // $GIT_CONFIG_GLOBAL replaces both config files.
  write(t.path + "/gcg", "[core]\nexcludesfile = " + t.path + "/ex3\n");
  env.set("GIT_CONFIG_GLOBAL", t.path + "/gcg");
  CHECK(walk_files(Filter(opts_for(r)), r) ==
        S({"a.g1", "a.g2", "a.g4", "d/b.g1", "d/top.x", "top.x"}));
  // Global excludes need a repository, like .gitignore.
  const std::string plain = t.path + "/plain";
  write(plain + "/x.g3");
  CHECK(walk_files(Filter(opts_for(plain)), plain) == S({"x.g3"}));
  // The environment the filter is given counts, not the process's.
  FilterOptions elsewhere = opts_for(r);
  elsewhere.git_env = {t.path + "/nobody", "", ""};
  CHECK(walk_files(Filter(elsewhere), r).size() == 7);
  // --no-ignore reads nothing.
  FilterOptions no = opts_for(r);
  no.no_ignore = true;
  CHECK(walk_files(Filter(no), r).size() == 7);
}

TEST_CASE("filter: errors in ignore files are reported, the rest applies", "[filter]") {
  TempDir t;
  EnvGuard env;
  isolate_env(env, t.path + "/home");
  const std::string r = t.path + "/repo";
  fs::create_directories(r + "/.git");
  write(r + "/.gitignore", "*.a\nbad[\n*.b\n");
  write(r + "/d/.ignore", "ok\n{x\n");
  fs::create_directories(r + "/e/.gitignore");  // unreadable as a file
  for (const char* f : {"x.a", "x.b", "x.c", "d/ok", "d/no", "e/f"}) write(r + "/" + f);
  std::vector<std::string> errors;
  const auto files = walk_files(Filter(opts_for(r)), r, &errors);
  CHECK(files == S({"d/no", "e/f", "x.c"}));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == r + "/.gitignore:2: error parsing glob 'bad[': unclosed character class; "
                         "missing ']'");
  CHECK(errors[1].rfind(r + "/d/.ignore:2: error parsing glob '{x': unclosed alternate", 0) == 0);
  CHECK(errors[2] == r + "/e/.gitignore: Is a directory");
}

TEST_CASE("filter: worktree .git file points at info/exclude", "[filter]") {
  TempDir t;
  EnvGuard env;
  isolate_env(env, t.path + "/home");
  const std::string main_git = t.path + "/main/.git";
  write(main_git + "/info/exclude", "*.wt\n");
  write(main_git + "/worktrees/w/commondir", "../..\n");
  const std::string wt = t.path + "/w";
  write(wt + "/.git", "gitdir: " + main_git + "/worktrees/w\n");
  write(wt + "/a.wt");
  write(wt + "/b.txt");
  CHECK(walk_files(Filter(opts_for(wt)), wt) == S({"b.txt"}));
}

TEST_CASE("filter: root_node shares and caches parent nodes", "[filter]") {
  TempDir t;
  EnvGuard env;
  isolate_env(env, t.path + "/home");
  const std::string r = t.path + "/repo";
  fs::create_directories(r + "/.git");
  write(r + "/.gitignore", "*.x\nbad[\n");
  write(r + "/s1/a.x");
  write(r + "/s1/a.y");
  write(r + "/s2/b.y");
  Filter f(opts_for(r));
  std::vector<std::string> errors;
  const auto n1 = f.root_node(r + "/s1", errors);
  const auto n2 = f.root_node(r + "/s2/", errors);
  CHECK(errors.size() == 1);  // the repository's .gitignore was read once
  CHECK(f.check(*n1, "a.x", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*n2, "a.x", false) == Verdict::ignored_by_ignore_file);
  CHECK(f.check(*n2, "b.y", false) == Verdict::include);
  const auto fsroot = f.root_node("/", errors);
  CHECK(f.check(*fsroot, "tmp", true) == Verdict::include);
}

// ---- generated trees -----------------------------------------------------------------------

namespace {

struct Gen {
  std::mt19937 rng;
  explicit Gen(unsigned seed) : rng(seed) {}
  int r(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  bool p(double x) { return std::uniform_real_distribution<double>(0, 1)(rng) < x; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(r(static_cast<int>(v.size())))];
  }
};

const std::vector<std::string> kFileNames = {
    "a",   "b",     "ab",  "a.py",  "b.py",  "c.txt", "x.md", "n.toml", ".h", ".hidden.py",
    "foo", "build", "sp ", "!bang", "#hash", "[x]",   "a b",  "e",      "ba", "c.py"};
const std::vector<std::string> kDirNames = {"a",   "d",   "e",   "src", "build",
                                            "foo", ".hd", "sub", "ab"};

// A literal segment for a name: '!', '#', '[', ']', '*', '?', '\' and spaces escaped.
std::string escape_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string_view("!#[]*?\\ {},").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// One pattern path segment. `rg_only` adds forms where git and rg differ (see the top).
std::string gen_segment(Gen& g, bool rg_only) {
  static const std::vector<std::string> wild = {"*",          "*.py", "*.txt", "a*",     "*b",
                                                "?",          "??",   "[ab]",  "[a-c]*", "[!a]*",
                                                "*.[pm][yd]", ".*",   "b?",    "*a*"};
  static const std::vector<std::string> rg_wild = {"*.{py,md}", "{a,b}", "e[!a]*",
                                                   "d[!x]?",    "{,b}a", "*[!.]"};
  const int k = g.r(10);
  if (k < 4) {
    return escape_name(g.p(0.5) ? g.pick(kFileNames) : g.pick(kDirNames));
  }
  if (rg_only && k == 9) return g.pick(rg_wild);
  return g.pick(wild);
}

std::string gen_line(Gen& g, bool rg_only) {
  if (g.p(0.05)) return "# comment";
  if (g.p(0.03)) return "";
  std::string line;
  if (g.p(0.25)) line += "!";
  if (g.p(0.2)) line += "/";
  const int n = g.p(0.55) ? 1 : g.p(0.7) ? 2 : 3;
  bool prev_double = false;
  for (int i = 0; i < n; ++i) {
    if (i > 0) line += "/";
    if (!prev_double && g.p(0.15)) {
      line += "**";
      prev_double = true;
    } else {
      line += gen_segment(g, rg_only);
      prev_double = false;
    }
  }
  if (g.p(0.2)) line += "/";
  if (g.p(0.05)) line += "   ";  // trailing spaces are trimmed
  return line;
}

std::string gen_ignore_file(Gen& g, bool rg_only, int max_lines = 6) {
  std::string out;
  if (!rg_only && g.p(0.1)) out += "\xEF\xBB\xBF";  // rg 13 does not skip a BOM (git does)
  const bool crlf = g.p(0.15);
  const int lines = 1 + g.r(max_lines);
  for (int i = 0; i < lines; ++i) {
    out += gen_line(g, rg_only);
    if (i + 1 < lines || g.p(0.8)) out += crlf ? "\r\n" : "\n";
  }
  return out;
}

struct TreeSpec {
  bool rg = false;  // also .ignore files, nested repositories, rg-only syntax
  double gitignore_p = 0.45;
  int max_lines = 6;
  int entries = 6;  // 2 to entries+1 names per directory
};

void gen_dir(Gen& g, const std::string& dir, int depth, const TreeSpec& spec) {
  fs::create_directories(dir);
  const int n = 2 + g.r(spec.entries);
  std::set<std::string> used;
  for (int i = 0; i < n; ++i) {
    const bool is_dir = depth < 3 && g.p(0.35);
    const std::string name = is_dir ? g.pick(kDirNames) : g.pick(kFileNames);
    if (!used.insert(name).second) continue;
    if (is_dir) {
      gen_dir(g, dir + "/" + name, depth + 1, spec);
    } else {
      write(dir + "/" + name);
    }
  }
  if (g.p(depth == 0 ? 0.8 : spec.gitignore_p)) {
    write(dir + "/.gitignore", gen_ignore_file(g, spec.rg, spec.max_lines));
  }
  if (spec.rg && g.p(depth == 0 ? 0.4 : 0.2)) {
    write(dir + "/.ignore", gen_ignore_file(g, true, spec.max_lines));
  }
  if (spec.rg && depth > 0 && g.p(0.08)) {
    fs::create_directories(dir + "/.git/info");
    if (g.p(0.5)) write(dir + "/.git/info/exclude", gen_ignore_file(g, true, spec.max_lines));
  }
}

void clear_except_git(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != ".git") fs::remove_all(e.path());
  }
}

}  // namespace

TEST_CASE("filter: differential against git check-ignore", "[filter][differential][git]") {
  require_tool("git", "git");
  TempDir t;
  EnvGuard env;
  const std::string home = t.path + "/home";
  isolate_env(env, home);
  write(home + "/.gitconfig", "[core]\n\texcludesFile = " + t.path + "/global_ignore\n");
  const std::string repo = t.path + "/repo";
  fs::create_directories(repo);
  run("git init -q --template= " + quote(repo) + " 2>&1");
  REQUIRE(fs::exists(repo + "/.git"));
  fs::create_directories(repo + "/.git/info");
  const std::string list_path = t.path + "/paths";

  constexpr unsigned kTrees = 400;
  std::size_t compared = 0, ignored_count = 0, pruned = 0, mismatches = 0;
  for (unsigned seed = 1; seed <= kTrees && mismatches < 5; ++seed) {
    Gen g(seed);
    clear_except_git(repo);
    gen_dir(g, repo, 0, TreeSpec{});
    write(repo + "/.git/info/exclude", g.p(0.5) ? gen_ignore_file(g, false) : "");
    write(t.path + "/global_ignore", g.p(0.4) ? gen_ignore_file(g, false) : "");

    FilterOptions o = opts_for(repo);
    o.hidden = true;  // git has no notion of hidden files
    Filter f(o);
    const auto entries = walk(f, repo, nullptr, /*skip_root_git=*/true);
    std::string list;
    for (const Entry& e : entries) list += e.rel + '\0';
    write(list_path, list);
    const std::string out =
        run("cd " + quote(repo) + " && git check-ignore --no-index -v -n -z --stdin < " +
            quote(list_path) + " 2>&1");
    // Records: source NUL line NUL pattern NUL path NUL; a '!' pattern means not ignored.
    std::map<std::string, std::string> git_pattern;  // path -> matching pattern ("" if none)
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] != '\0') continue;
      fields.push_back(out.substr(start, i - start));
      start = i + 1;
      if (fields.size() == 4) {
        git_pattern[fields[3]] =
            fields[0].empty() ? "" : fields[0] + ":" + fields[1] + ":" + fields[2];
        fields.clear();
      }
    }
    REQUIRE(git_pattern.size() == entries.size());
    for (const Entry& e : entries) {
      const std::string& pat = git_pattern[e.rel];
      const bool git_ignored =
          !pat.empty() && pat.substr(pat.find(':', pat.find(':') + 1) + 1)[0] != '!';
      const bool ours = e.verdict == Verdict::ignored_by_ignore_file;
      ++compared;
      ignored_count += ours;
      pruned += ours && e.is_dir;
      if (ours != git_ignored) {
        ++mismatches;
        FAIL_CHECK("seed " << seed << ": " << e.rel << (e.is_dir ? "/" : "")
                           << " ours=" << (ours ? "ignored" : "kept") << " git=" << pat << "\n"
                           << dump_ignore_files(repo) << "--- global\n"
                           << read_file(t.path + "/global_ignore"));
      }
    }
  }
  CHECK(mismatches == 0);
  // The generated trees must exercise both outcomes, pruning included.
  INFO("git differential: " << compared << " entries, " << ignored_count << " ignored, " << pruned
                            << " pruned directories");
  CHECK(compared > 5000);
  CHECK(ignored_count > compared / 10);
  CHECK(pruned > 200);
}

TEST_CASE("filter: differential against rg --files", "[filter][differential][rg]") {
  require_tool("rg", "ripgrep");
  TempDir t;
  EnvGuard env;
  const std::string home = t.path + "/home";
  isolate_env(env, home);
  write(home + "/.gitconfig", "[core]\n\texcludesFile = " + t.path + "/global_ignore\n");
  const std::string repo = t.path + "/repo";
  static const std::vector<std::string> globs = {
      "*.py",         "!*.py", "!*.txt", "d/**",   "!d",    "*.{py,md}", "!.h*",  ".h*", "sub/*",
      "!**/build/**", "a*",    "!a",     "**/e/*", "[ab]*", "!*[!y]",    "!sub/", "*.md"};
  static const std::vector<std::vector<std::string>> types = {
      {"py"}, {"md"}, {"py", "toml"}, {"txt"}};

  constexpr unsigned kTrees = 150;
  std::size_t runs = 0, files_seen = 0, failures = 0, empty_runs = 0;
  for (unsigned seed = 1; seed <= kTrees && failures < 3; ++seed) {
    Gen g(seed * 7919U);
    fs::remove_all(repo);
    gen_dir(g, repo, 0, TreeSpec{true, 0.35, 3, 9});
    if (g.p(0.75)) {
      fs::create_directories(repo + "/.git/info");
      if (g.p(0.4)) write(repo + "/.git/info/exclude", gen_ignore_file(g, true, 3));
    }
    write(t.path + "/global_ignore", g.p(0.3) ? gen_ignore_file(g, true, 3) : "");
    // Usually the repository's top, sometimes a directory inside it (parents' ignore files).
    std::string root = repo;
    if (g.p(0.3)) {
      std::vector<std::string> dirs;
      for (const auto& e : fs::recursive_directory_iterator(repo)) {
        if (e.is_directory() && e.path().string().find("/.git") == std::string::npos) {
          dirs.push_back(e.path().string());
        }
      }
      std::sort(dirs.begin(), dirs.end());  // directory order differs between filesystems
      if (!dirs.empty()) root = g.pick(dirs);
    }
    for (int k = 0; k < 3; ++k) {
      FilterOptions o = opts_for(root);
      o.hidden = g.p(0.4);
      if (g.p(0.4)) {
        const int n = 1 + g.r(3);
        for (int i = 0; i < n; ++i) o.globs.push_back(g.pick(globs));
      }
      if (g.p(0.3)) o.types = g.pick(types);
      ++runs;
      Filter f(o);
      const auto ours = walk_files(f, root);
      files_seen += ours.size();
      const auto theirs = rg_files(root, o);
      empty_runs += ours.empty();
      if (ours != theirs) {
        ++failures;
        same_as_rg(root, o,
                   "seed " + std::to_string(seed * 7919U) + " root " + root + "\n--- global\n" +
                       read_file(t.path + "/global_ignore") + "\n--- repo\n" +
                       dump_ignore_files(repo));
      }
    }
  }
  CHECK(failures == 0);
  INFO("rg differential: " << runs << " rg runs, " << files_seen << " files listed, " << empty_runs
                           << " runs listing nothing");
  // Guards against a generator that ignores everything (an empty listing agrees trivially).
  CHECK(files_seen > runs * 5);
  CHECK(empty_runs < runs * 2 / 5);
}
