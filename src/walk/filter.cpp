// Filter: ripgrep 13's decision for each walked entry (crates/ignore/src/dir.rs `matched`,
// `matched_ignore`; overrides.rs; types.rs). See filter.hpp for the order of the checks.
//
// Each IgnoreNode knows the absolute path of its directory (the canonical root joined with the
// walked names), so a pattern of an ignore file anywhere above can be matched against the
// entry's path relative to that file's directory by taking a suffix of one buffer: nothing is
// copied per ignore file, and the buffer (thread-local) is only filled when a pattern needs a
// path rather than a basename. Nodes link to the nearest ancestor holding a .ignore or a
// .gitignore, so directories without ignore files cost nothing at check time.
#include "walk/filter.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "io/whole_file.hpp"
#include "walk/gitignore.hpp"
#include "walk/glob.hpp"

namespace asyncsweep::walk {

namespace fs = std::filesystem;

class IgnoreNode {
 public:
  IgnoreNodePtr parent;
  std::string abs;             // absolute directory path, no trailing '/' except for "/"
  std::size_t rel_offset = 1;  // where an entry's path relative to this directory starts
  int depth = 0;               // 0 for "/"
  int git_depth = -1;          // depth of the innermost ancestor-or-self holding .git
  std::shared_ptr<const IgnoreFile> ignore;       // .ignore
  std::shared_ptr<const IgnoreFile> gitignore;    // .gitignore
  std::shared_ptr<const IgnoreFile> exclude_own;  // .git/info/exclude, when this dir has .git
  const IgnoreNode* ignore_up = nullptr;          // nearest ancestor-or-self with `ignore`
  const IgnoreNode* gitignore_up = nullptr;       // nearest ancestor-or-self with `gitignore`
  const IgnoreFile* exclude = nullptr;            // the innermost repository's exclude file
  const IgnoreNode* exclude_base = nullptr;       // ... and that repository's directory
};

namespace {

// ripgrep 13's default types (`rg --type-list`), except that py also has *.pyi and python,
// ini and cfg were added (as in later ripgrep releases).
struct TypeDef {
  const char* name;
  const char* globs;  // space-separated
};
constexpr TypeDef kTypes[] = {
    {"agda", "*.agda *.lagda"},
    {"aidl", "*.aidl"},
    {"amake", "*.bp *.mk"},
    {"asciidoc", "*.adoc *.asc *.asciidoc"},
    {"asm", "*.S *.asm *.s"},
    {"asp", "*.ascx *.ascx.cs *.ascx.vb *.aspx *.aspx.cs *.aspx.vb"},
    {"ats", "*.ats *.dats *.hats *.sats"},
    {"avro", "*.avdl *.avpr *.avsc"},
    {"awk", "*.awk"},
    {"bazel", "*.BUILD *.bazel *.bazelrc *.bzl BUILD WORKSPACE"},
    {"bitbake", "*.bb *.bbappend *.bbclass *.conf *.inc"},
    {"brotli", "*.br"},
    {"buildstream", "*.bst"},
    {"bzip2", "*.bz2 *.tbz2"},
    {"c", "*.[chH] *.[chH].in *.cats"},
    {"cabal", "*.cabal"},
    {"cbor", "*.cbor"},
    {"ceylon", "*.ceylon"},
    {"cfg", "*.cfg"},
    {"clojure", "*.clj *.cljc *.cljs *.cljx"},
    {"cmake", "*.cmake CMakeLists.txt"},
    {"coffeescript", "*.coffee"},
    {"config", "*.cfg *.conf *.config *.ini"},
    {"coq", "*.v"},
    {"cpp",
     "*.[ChH] *.[ChH].in *.[ch]pp *.[ch]pp.in *.[ch]xx *.[ch]xx.in *.cc *.cc.in *.hh *.hh.in "
     "*.inl"},
    {"creole", "*.creole"},
    {"crystal", "*.cr Projectfile"},
    {"cs", "*.cs"},
    {"csharp", "*.cs"},
    {"cshtml", "*.cshtml"},
    {"css", "*.css *.scss"},
    {"csv", "*.csv"},
    {"cython", "*.pxd *.pxi *.pyx"},
    {"d", "*.d"},
    {"dart", "*.dart"},
    {"dhall", "*.dhall"},
    {"diff", "*.diff *.patch"},
    {"docker", "*Dockerfile*"},
    {"dvc", "*.dvc Dvcfile"},
    {"ebuild", "*.ebuild"},
    {"edn", "*.edn"},
    {"elisp", "*.el"},
    {"elixir", "*.eex *.ex *.exs"},
    {"elm", "*.elm"},
    {"erb", "*.erb"},
    {"erlang", "*.erl *.hrl"},
    {"fidl", "*.fidl"},
    {"fish", "*.fish"},
    {"flatbuffers", "*.fbs"},
    {"fortran", "*.F *.F77 *.F90 *.F95 *.f *.f77 *.f90 *.f95 *.pfo"},
    {"fsharp", "*.fs *.fsi *.fsx"},
    {"fut", ".fut"},
    {"gap", "*.g *.gap *.gd *.gi *.tst"},
    {"gn", "*.gn *.gni"},
    {"go", "*.go"},
    {"gradle", "*.gradle"},
    {"groovy", "*.gradle *.groovy"},
    {"gzip", "*.gz *.tgz"},
    {"h", "*.h *.hpp"},
    {"haml", "*.haml"},
    {"haskell", "*.c2hs *.cpphs *.hs *.hsc *.lhs"},
    {"hbs", "*.hbs"},
    {"hs", "*.hs *.lhs"},
    {"html", "*.ejs *.htm *.html"},
    {"idris", "*.idr *.lidr"},
    {"ini", "*.ini"},
    {"java", "*.java *.jsp *.jspx *.properties"},
    {"jinja", "*.j2 *.jinja *.jinja2"},
    {"jl", "*.jl"},
    {"js", "*.js *.jsx *.vue"},
    {"json", "*.json composer.lock"},
    {"jsonl", "*.jsonl"},
    {"julia", "*.jl"},
    {"jupyter", "*.ipynb *.jpynb"},
    {"k", "*.k"},
    {"kotlin", "*.kt *.kts"},
    {"less", "*.less"},
    {"license",
     "*[.-]LICEN[CS]E* AGPL-*[0-9]* APACHE-*[0-9]* BSD-*[0-9]* CC-BY-* COPYING COPYING[.-]* "
     "COPYRIGHT COPYRIGHT[.-]* EULA EULA[.-]* GFDL-*[0-9]* GNU-*[0-9]* GPL-*[0-9]* "
     "LGPL-*[0-9]* LICEN[CS]E LICEN[CS]E[.-]* MIT-*[0-9]* MPL-*[0-9]* NOTICE NOTICE[.-]* "
     "OFL-*[0-9]* PATENTS PATENTS[.-]* UNLICEN[CS]E UNLICEN[CS]E[.-]* agpl[.-]* gpl[.-]* "
     "lgpl[.-]* licen[cs]e licen[cs]e.*"},
    {"lisp", "*.el *.jl *.lisp *.lsp *.sc *.scm"},
    {"lock", "*.lock package-lock.json"},
    {"log", "*.log"},
    {"lua", "*.lua"},
    {"lz4", "*.lz4"},
    {"lzma", "*.lzma"},
    {"m4", "*.ac *.m4"},
    {"make",
     "*.mak *.mk [Gg][Nn][Uu]makefile [Gg][Nn][Uu]makefile.am [Gg][Nn][Uu]makefile.in "
     "[Mm]akefile [Mm]akefile.am [Mm]akefile.in"},
    {"mako", "*.mako *.mao"},
    {"man", "*.[0-9][cEFMmpSx] *.[0-9lnpx]"},
    {"markdown", "*.markdown *.md *.mdown *.mkdn"},
    {"matlab", "*.m"},
    {"md", "*.markdown *.md *.mdown *.mkdn"},
    {"meson", "meson.build meson_options.txt"},
    {"minified", "*.min.css *.min.html *.min.js"},
    {"mint", "*.mint"},
    {"mk", "mkfile"},
    {"ml", "*.ml"},
    {"msbuild", "*.csproj *.fsproj *.proj *.props *.targets *.vcxproj"},
    {"nim", "*.nim *.nimble *.nimf *.nims"},
    {"nix", "*.nix"},
    {"objc", "*.h *.m"},
    {"objcpp", "*.h *.mm"},
    {"ocaml", "*.ml *.mli *.mll *.mly"},
    {"org", "*.org *.org_archive"},
    {"pascal", "*.dpr *.inc *.lpr *.pas *.pp"},
    {"pdf", "*.pdf"},
    {"perl", "*.PL *.perl *.pl *.plh *.plx *.pm *.t"},
    {"php", "*.php *.php3 *.php4 *.php5 *.phtml"},
    {"po", "*.po"},
    {"pod", "*.pod"},
    {"postscript", "*.eps *.ps"},
    {"protobuf", "*.proto"},
    {"ps", "*.cdxml *.ps1 *.ps1xml *.psd1 *.psm1"},
    {"puppet", "*.erb *.pp *.rb"},
    {"purs", "*.purs"},
    {"py", "*.py *.pyi"},
    {"python", "*.py *.pyi"},
    {"qmake", "*.prf *.pri *.pro"},
    {"qml", "*.qml"},
    {"r", "*.R *.Rmd *.Rnw *.r"},
    {"racket", "*.rkt"},
    {"rdoc", "*.rdoc"},
    {"readme", "*README README*"},
    {"red", "*.r *.red *.reds"},
    {"robot", "*.robot"},
    {"rst", "*.rst"},
    {"ruby", "*.gemspec *.rb *.rbw .irbrc Gemfile Rakefile config.ru"},
    {"rust", "*.rs"},
    {"sass", "*.sass *.scss"},
    {"scala", "*.sbt *.scala"},
    {"sh",
     "*.bash *.bashrc *.csh *.cshrc *.ksh *.kshrc *.sh *.tcsh *.zsh .bash_login .bash_logout "
     ".bash_profile .bashrc .cshrc .kshrc .login .logout .profile .tcshrc .zlogin .zlogout "
     ".zprofile .zshenv .zshrc bash_login bash_logout bash_profile bashrc profile zlogin "
     "zlogout zprofile zshenv zshrc"},
    {"slim", "*.skim *.slim *.slime"},
    {"smarty", "*.tpl"},
    {"sml", "*.sig *.sml"},
    {"soy", "*.soy"},
    {"spark", "*.spark"},
    {"spec", "*.spec"},
    {"sql", "*.psql *.sql"},
    {"stylus", "*.styl"},
    {"sv", "*.h *.sv *.svh *.v *.vg"},
    {"svg", "*.svg"},
    {"swift", "*.swift"},
    {"swig", "*.def *.i"},
    {"systemd",
     "*.automount *.conf *.device *.link *.mount *.path *.scope *.service *.slice *.socket "
     "*.swap *.target *.timer"},
    {"taskpaper", "*.taskpaper"},
    {"tcl", "*.tcl"},
    {"tex", "*.bib *.cls *.dtx *.ins *.ltx *.sty *.tex"},
    {"textile", "*.textile"},
    {"tf", "*.tf"},
    {"thrift", "*.thrift"},
    {"toml", "*.toml Cargo.lock"},
    {"ts", "*.ts *.tsx"},
    {"twig", "*.twig"},
    {"txt", "*.txt"},
    {"typoscript", "*.ts *.typoscript"},
    {"vala", "*.vala"},
    {"vb", "*.vb"},
    {"vcl", "*.vcl"},
    {"verilog", "*.sv *.svh *.v *.vh"},
    {"vhdl", "*.vhd *.vhdl"},
    {"vim", "*.vim"},
    {"vimscript", "*.vim"},
    {"webidl", "*.idl *.webidl *.widl"},
    {"wiki", "*.mediawiki *.wiki"},
    {"xml", "*.dtd *.rng *.sch *.xhtml *.xjb *.xml *.xml.dist *.xsd *.xsl *.xslt"},
    {"xz", "*.txz *.xz"},
    {"yacc", "*.y"},
    {"yaml", "*.yaml *.yml"},
    {"yang", "*.yang"},
    {"z", "*.Z"},
    {"zig", "*.zig"},
    {"zsh", "*.zsh .zlogin .zlogout .zprofile .zshenv .zshrc zlogin zlogout zprofile zshenv zshrc"},
    {"zstd", "*.zst *.zstd"},
};

std::vector<std::string> split_globs(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t sp = s.find(' ');
    out.emplace_back(s.substr(0, sp));
    s.remove_prefix(sp == std::string_view::npos ? s.size() : sp + 1);
  }
  return out;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string join(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string trim_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string read_first_line(const std::string& path) {
  io::WholeFile file = io::read_whole_file(path);
  if (!file) return {};
  return trim_line(file.bytes.substr(0, file.bytes.find('\n')));
}

// The directory holding info/exclude for a working tree at `dir`: `.git` itself, or for a
// worktree or submodule (a `.git` file saying "gitdir: X") X's commondir, else X.
std::string git_common_dir(const std::string& dir) {
  const std::string dotgit = join(dir, ".git");
  struct stat st {};
  if (::stat(dotgit.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return dotgit;
  std::string line = read_first_line(dotgit);
  if (line.rfind("gitdir:", 0) != 0) return dotgit;
  std::string gitdir = line.substr(7);
  gitdir.erase(0, gitdir.find_first_not_of(' '));
  if (gitdir.empty()) return dotgit;
  if (gitdir[0] != '/') gitdir = join(dir, gitdir);
  std::string common = read_first_line(join(gitdir, "commondir"));
  if (common.empty()) return gitdir;
  return common[0] == '/' ? common : join(gitdir, common);
}

// The entry's absolute path, built on first use into a per-thread buffer.
class EntryPath {
 public:
  EntryPath(const IgnoreNode& dir, std::string_view name) : dir_(dir), name_(name) {}
  std::string_view full() {
    if (!built_) {
      thread_local std::string buf;
      buf.assign(dir_.abs);
      if (buf.size() != 1) buf += '/';
      buf.append(name_);
      full_ = buf;
      built_ = true;
    }
    return full_;
  }
  std::string_view rel_to(const IgnoreNode& base) { return full().substr(base.rel_offset); }
  // Relative to `cwd` when below it, else the absolute path (as ripgrep sees a path outside).
  std::string_view rel_to_cwd(const std::string& cwd) {
    const std::string_view f = full();
    if (cwd == "/") return f.substr(1);
    if (f.size() > cwd.size() && f[cwd.size()] == '/' && f.substr(0, cwd.size()) == cwd) {
      return f.substr(cwd.size() + 1);
    }
    return f;
  }

 private:
  const IgnoreNode& dir_;
  std::string_view name_;
  std::string_view full_;
  bool built_ = false;
};

}  // namespace

struct Filter::Impl {
  FilterOptions opts;
  std::string cwd;  // canonical
  IgnoreFile overrides;
  std::vector<Glob> type_globs;
  std::shared_ptr<const IgnoreFile> global;
  std::vector<std::string> global_errors;
  mutable std::mutex mu;  // guards the members below
  mutable bool global_errors_reported = false;
  mutable std::unordered_map<std::string, std::weak_ptr<const IgnoreNode>> parents;

  IgnoreNodePtr make_node(const IgnoreNodePtr& parent, std::string abs, const std::string& dir,
                          const DirListing& listing, std::vector<std::string>& errors) const {
    auto n = std::make_shared<IgnoreNode>();
    n->abs = std::move(abs);
    n->rel_offset = n->abs.size() == 1 ? 1 : n->abs.size() + 1;
    if (parent) {
      n->depth = parent->depth + 1;
      n->git_depth = parent->git_depth;
      n->ignore_up = parent->ignore_up;
      n->gitignore_up = parent->gitignore_up;
      n->exclude = parent->exclude;
      n->exclude_base = parent->exclude_base;
    }
    n->parent = parent;
    if (opts.no_ignore) return n;
    if (listing.has_git) n->git_depth = n->depth;
    if (listing.has_ignore) {
      n->ignore = IgnoreFile::load(join(dir, ".ignore"), join(dir, ".ignore"), errors);
      if (n->ignore) n->ignore_up = n.get();
    }
    // A .gitignore outside every repository can never apply (require_git), so it is not read.
    if (listing.has_gitignore && (n->git_depth >= 0 || !opts.require_git)) {
      n->gitignore = IgnoreFile::load(join(dir, ".gitignore"), join(dir, ".gitignore"), errors);
      if (n->gitignore) n->gitignore_up = n.get();
    }
    if (listing.has_git) {
      // An inner repository hides the exclude file of an outer one, even when it has none.
      const std::string path = join(git_common_dir(dir), "info/exclude");
      n->exclude_own = IgnoreFile::load(path, path, errors);
      n->exclude = n->exclude_own.get();
      n->exclude_base = n.get();
    }
    return n;
  }

  IgnoreMatch match_ignore_files(const IgnoreNode& dir, std::string_view name, bool is_dir,
                                 EntryPath& path) const {
    // .ignore files, innermost first; the first that matches decides.
    for (const IgnoreNode* n = dir.ignore_up; n != nullptr;
         n = n->parent ? n->parent->ignore_up : nullptr) {
      const IgnoreFile& f = *n->ignore;
      const auto m = f.match(name, f.needs_path() ? path.rel_to(*n) : std::string_view(), is_dir);
      if (m != IgnoreMatch::none) return m;
    }
    if (opts.require_git && dir.git_depth < 0) return IgnoreMatch::none;
    // .gitignore files up to the repository's root, innermost first.
    for (const IgnoreNode* n = dir.gitignore_up; n != nullptr && n->depth >= dir.git_depth;
         n = n->parent ? n->parent->gitignore_up : nullptr) {
      const IgnoreFile& f = *n->gitignore;
      const auto m = f.match(name, f.needs_path() ? path.rel_to(*n) : std::string_view(), is_dir);
      if (m != IgnoreMatch::none) return m;
    }
    if (dir.exclude != nullptr) {
      const IgnoreFile& f = *dir.exclude;
      const auto m = f.match(
          name, f.needs_path() ? path.rel_to(*dir.exclude_base) : std::string_view(), is_dir);
      if (m != IgnoreMatch::none) return m;
    }
    if (global) {
      return global->match(name, global->needs_path() ? path.rel_to_cwd(cwd) : std::string_view(),
                           is_dir);
    }
    return IgnoreMatch::none;
  }
};

Filter::Filter(FilterOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& im = *impl_;
  im.opts = std::move(options);
  std::error_code ec;
  fs::path cwd = im.opts.cwd.empty() ? fs::current_path(ec) : fs::path(im.opts.cwd);
  fs::path canon = fs::weakly_canonical(cwd, ec);
  im.cwd = (ec ? cwd.lexically_normal() : canon).string();
  while (im.cwd.size() > 1 && im.cwd.back() == '/') im.cwd.pop_back();

  for (const std::string& g : im.opts.globs) {
    if (auto err = im.overrides.add_line(g)) throw std::runtime_error(*err);
  }
  for (const std::string& t : im.opts.types) {
    bool found = false;
    for (const TypeDef& def : kTypes) {
      if (t != def.name && t != "all") continue;
      found = true;
      for (const std::string& g : split_globs(def.globs)) {
        im.type_globs.push_back(Glob::compile(g, /*literal_separator=*/false));
      }
    }
    if (!found) throw std::runtime_error("unknown file type: " + t);
  }
  if (!im.opts.no_ignore) {
    const std::string path = global_excludes_path(im.cwd, im.opts.git_env);
    if (!path.empty()) im.global = IgnoreFile::load(path, path, im.global_errors);
  }
}

Filter::~Filter() = default;

IgnoreNodePtr Filter::root_node(const std::string& root_dir,
                                std::vector<std::string>& errors) const {
  const Impl& im = *impl_;
  std::lock_guard<std::mutex> lock(im.mu);
  if (!im.global_errors_reported) {
    im.global_errors_reported = true;
    errors.insert(errors.end(), im.global_errors.begin(), im.global_errors.end());
  }
  std::error_code ec;
  fs::path canon = fs::canonical(root_dir, ec);
  if (ec) canon = (fs::path(im.cwd) / root_dir).lexically_normal();
  std::string abs = canon.string();
  while (abs.size() > 1 && abs.back() == '/') abs.pop_back();

  IgnoreNodePtr node;
  std::size_t end = 0;  // the ancestors "/", "/a", "/a/b", ..., then abs itself
  for (;;) {
    const std::string prefix = end == 0 ? std::string("/") : abs.substr(0, end);
    auto it = im.parents.find(prefix);
    IgnoreNodePtr cached = it == im.parents.end() ? nullptr : it->second.lock();
    if (cached) {
      node = std::move(cached);
    } else {
      const bool is_root = end == abs.size() || (end == 0 && abs == "/");
      const std::string dir = is_root ? root_dir : prefix;
      DirListing listing;
      if (!im.opts.no_ignore) {
        listing.has_git = exists(join(prefix, ".git"));
        listing.has_ignore = exists(join(prefix, ".ignore"));
        listing.has_gitignore = exists(join(prefix, ".gitignore"));
      }
      node = im.make_node(node, prefix, dir, listing, errors);
      im.parents[prefix] = node;
    }
    if (end == abs.size() || abs == "/") break;
    end = abs.find('/', end + 1);
    if (end == std::string::npos) end = abs.size();
  }
  return node;
}

IgnoreNodePtr Filter::child_node(const IgnoreNodePtr& parent, const std::string& dir_path,
                                 const DirListing& listing,
                                 std::vector<std::string>& errors) const {
  std::string_view name = dir_path;
  while (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  const std::size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string abs = parent->abs;
  if (abs.size() != 1) abs += '/';
  abs += name;
  return impl_->make_node(parent, std::move(abs), dir_path, listing, errors);
}

Verdict Filter::check(const IgnoreNode& dir, std::string_view name, bool is_dir) const {
  const Impl& im = *impl_;
  EntryPath path(dir, name);
  if (!im.overrides.empty()) {
    const auto m = im.overrides.match(
        name, im.overrides.needs_path() ? path.rel_to_cwd(im.cwd) : std::string_view(), is_dir);
    // In gitignore terms a plain glob "ignores" and `!glob` "whitelists"; -g inverts that.
    if (m == IgnoreMatch::ignore) return Verdict::include;
    if (m == IgnoreMatch::whitelist) return Verdict::ignored_by_glob;
    if (im.overrides.num_positive() > 0 && !is_dir) return Verdict::ignored_by_glob;
  }
  bool whitelisted = false;
  if (!im.opts.no_ignore) {
    const auto m = im.match_ignore_files(dir, name, is_dir, path);
    if (m == IgnoreMatch::ignore) return Verdict::ignored_by_ignore_file;
    whitelisted = m == IgnoreMatch::whitelist;
  }
  if (!im.type_globs.empty() && !is_dir) {
    if (!matches_types(name)) return Verdict::wrong_type;
    whitelisted = true;
  }
  if (!whitelisted && !im.opts.hidden && !name.empty() && name[0] == '.') return Verdict::hidden;
  return Verdict::include;
}

bool Filter::matches_types(std::string_view name) const {
  const Impl& im = *impl_;
  if (im.type_globs.empty()) return true;
  for (const Glob& g : im.type_globs) {
    if (g.matches(name)) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Filter::type_table() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const TypeDef& def : kTypes) out.emplace_back(def.name, split_globs(def.globs));
  return out;
}

}  // namespace asyncsweep::walk
