// Glob syntax (ripgrep 13's globset) and ignore-file line parsing (ripgrep's gitignore.rs).
// Expected values were checked against `rg --files` 13.0.0 where rg and git differ.
#include "walk/glob.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "walk/gitignore.hpp"

using asyncsweep::walk::Glob;
using asyncsweep::walk::GlobError;
using asyncsweep::walk::IgnoreFile;
using asyncsweep::walk::IgnoreMatch;
using asyncsweep::walk::parse_excludes_file;

namespace {

bool gm(const char* pattern, const char* text) { return Glob::compile(pattern).matches(text); }

std::string glob_error(const char* pattern) {
  try {
    Glob::compile(pattern);
  } catch (const GlobError& e) {
    return e.what();
  }
  return "";
}

// Match of an ignore file holding `lines` for `path` (relative to the file's directory).
IgnoreMatch im(const std::vector<std::string>& lines, const std::string& path,
               bool is_dir = false) {
  IgnoreFile f;
  for (const auto& l : lines) f.add_line(l);
  const auto slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return f.match(name, path, is_dir);
}
bool ignored(const std::vector<std::string>& lines, const std::string& path, bool is_dir = false) {
  return im(lines, path, is_dir) == IgnoreMatch::ignore;
}

}  // namespace

TEST_CASE("glob: literals, ? and *", "[glob]") {
  CHECK(gm("abc", "abc"));
  CHECK_FALSE(gm("abc", "abcd"));
  CHECK_FALSE(gm("abc", "ab"));
  CHECK(gm("", ""));
  CHECK_FALSE(gm("", "a"));
  CHECK(gm("a?c", "abc"));
  CHECK_FALSE(gm("a?c", "a/c"));
  CHECK(gm("*.py", "x.py"));
  CHECK(gm("*.py", ".py"));
  CHECK_FALSE(gm("*.py", "d/x.py"));
  CHECK(gm("a*", "a"));
  CHECK(gm("a*", "abc"));
  CHECK_FALSE(gm("a*", "a/b"));
  CHECK(gm("*", "anything"));
  CHECK_FALSE(gm("*", "a/b"));
  CHECK(gm("a*b*c", "aXbYc"));
  CHECK(gm("a*b*c", "abbbc"));
  CHECK_FALSE(gm("a*b*c", "aXbY/c"));
  CHECK(gm("d/*.py", "d/x.py"));
  CHECK_FALSE(gm("d/*.py", "d/e/x.py"));
  // Without literal_separator (type globs), '*' crosses '/'.
  CHECK(Glob::compile("*.py", false).matches("d/x.py"));
}

TEST_CASE("glob: ** as a path component", "[glob]") {
  CHECK(gm("**", ""));
  CHECK(gm("**", "a/b/c"));
  CHECK(gm("**/foo", "foo"));
  CHECK(gm("**/foo", "a/b/foo"));
  CHECK_FALSE(gm("**/foo", "a/xfoo"));
  CHECK(gm("a/**/b", "a/b"));
  CHECK(gm("a/**/b", "a/x/b"));
  CHECK(gm("a/**/b", "a/x/y/b"));
  CHECK_FALSE(gm("a/**/b", "ab"));
  CHECK_FALSE(gm("a/**/b", "a/xb"));
  // A trailing /** is globset's (?:/?|/.*): it matches the directory itself too (ignore files
  // turn `a/**` into `a/**/*` to avoid that).
  CHECK(gm("a/**", "a"));
  CHECK(gm("a/**", "a/x/y"));
  CHECK_FALSE(gm("a/**", "ab"));
  CHECK(gm("a/**/*", "a/x"));
  CHECK_FALSE(gm("a/**/*", "a"));
  // Not a whole component: just a star.
  CHECK(gm("a**b", "aXXb"));
  CHECK_FALSE(gm("a**b", "a/b"));
  CHECK(gm("**a", "xa"));
  CHECK_FALSE(gm("**a", "x/a"));
  CHECK(gm("a/**b", "a/xb"));
  CHECK_FALSE(gm("a/**b", "a/x/b"));
  // `***` is `**` followed by `*`, which is not a component: rg's p/***/z does not match p/q/r/z.
  CHECK(gm("p/***/z", "p/q/z"));
  CHECK_FALSE(gm("p/***/z", "p/q/r/z"));
  // ** inside alternatives.
  CHECK(gm("{**/a,b}", "x/y/a"));
  CHECK(gm("{**/a,b}", "b"));
}

TEST_CASE("glob: classes", "[glob]") {
  CHECK(gm("[abc]", "b"));
  CHECK_FALSE(gm("[abc]", "d"));
  CHECK(gm("[a-c]x", "bx"));
  CHECK_FALSE(gm("[a-c]x", "dx"));
  CHECK(gm("[!a-c]x", "dx"));
  CHECK(gm("[^a-c]x", "dx"));
  CHECK_FALSE(gm("[!a-c]x", "ax"));
  CHECK(gm("[]]", "]"));
  CHECK(gm("[!]]", "a"));
  CHECK_FALSE(gm("[!]]", "]"));
  CHECK(gm("[-a]", "-"));
  CHECK(gm("[a-]", "-"));
  CHECK(gm("[a-]", "a"));
  CHECK(gm("*.[chH]", "x.H"));
  CHECK(gm("[Mm]akefile", "makefile"));
  // No escapes inside a class: [\]] is the class {\} followed by ']'.
  CHECK(gm("x[\\]]", "x\\]"));
  CHECK_FALSE(gm("x[\\]]", "x]"));
  // A negated class can match '/', as globset's regex [^a] does.
  CHECK(gm("x[!a]y", "x/y"));
  CHECK(Glob::compile("x[!a]y").has_negated_class());
  CHECK_FALSE(Glob::compile("x[a]y").has_negated_class());
}

TEST_CASE("glob: escapes and alternation", "[glob]") {
  CHECK(gm("\\*", "*"));
  CHECK_FALSE(gm("\\*", "a"));
  CHECK(gm("\\[x\\]", "[x]"));
  CHECK(gm("a\\?", "a?"));
  CHECK_FALSE(gm("a\\?", "ab"));
  CHECK(gm("*.{c,h}", "x.c"));
  CHECK(gm("*.{c,h}", "x.h"));
  CHECK_FALSE(gm("*.{c,h}", "x.ch"));
  CHECK(gm("{a,b}{c,d}", "bd"));
  CHECK(gm("a{,}b", "ab"));  // empty alternatives are dropped
  CHECK(gm("a{}b", "ab"));
  CHECK(gm("a}b", "ab"));  // an unopened '}' is an empty group
  CHECK(gm("}", ""));
  CHECK(gm("a,b", "a,b"));  // ',' outside braces is literal
  CHECK(gm("\\{a,b\\}", "{a,b}"));
  CHECK(gm("[{]a", "{a"));
}

TEST_CASE("glob: byte-wise matching like globset's (?-u) regexes", "[glob]") {
  CHECK_FALSE(gm("?", "\xC3\xA9"));  // é is two bytes
  CHECK(gm("??", "\xC3\xA9"));
  CHECK(gm("*\xC3\xA9", "caf\xC3\xA9"));
  CHECK_FALSE(gm("[\xC3\xA9]", "\xC3\xA9"));
}

TEST_CASE("glob: errors use globset's wording", "[glob]") {
  CHECK(glob_error("a[b") == "unclosed character class; missing ']'");
  CHECK(glob_error("[") == "unclosed character class; missing ']'");
  CHECK(glob_error("a\\") == "dangling '\\'");
  CHECK(glob_error("a[z-b]") == "invalid range; 'z' > 'b'");
  CHECK(glob_error("{a,{b}}") == "nested alternate groups are not allowed");
  CHECK(glob_error("*.{c") ==
        "unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)");
  CHECK(glob_error("{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}{s,t}{u,v}")
            .find("too many alternatives") == 0);
  CHECK(glob_error("a[b]c{d,e}\\f") == "");
}

TEST_CASE("glob: many stars stay polynomial", "[glob]") {
  // Without memoization these take exponential steps. With it, each (token, position) state
  // fails at most once and each expansion tries at most length + 1 positions: at most
  // tokens x (length + 1)^2 steps (tokens <= pattern bytes), so doubling the text about
  // quadruples them. Counted by the matcher itself, without its inline first/last byte checks.
  auto steps = [](const std::string& pattern, const std::string& text, bool expected) {
    INFO(pattern << " on " << text.size() << " bytes");
    const Glob glob = Glob::compile(pattern);
    std::uint64_t count = 0;
    CHECK(glob.matches_counting_steps(text, count) == expected);
    CHECK(glob.matches(text) == expected);
    CHECK(count > 0);  // the memoised matcher ran
    const std::uint64_t n = text.size() + 1;
    CHECK(count <= 1 + pattern.size() * n * n);
    return count;
  };
  for (const std::string pattern : {"*a*a*a*a*a*a*a*a*a*a[b]", "*a*a*a*a*a*a*a*a*a*a?b"}) {
    const std::uint64_t half = steps(pattern, std::string(250, 'a'), false);
    const std::uint64_t full = steps(pattern, std::string(500, 'a'), false);
    INFO(pattern << ": " << half << " steps on 250 bytes, " << full << " on 500");
    // Quadratic: about 4 (lower terms make it 4.07); exponential: far more.
    CHECK(full <= 5 * half);
  }
  const std::string text(500, 'a');
  steps("**/a*a*a*a*a*a*a*b/**/*a*a*c", text + "/" + text + "/" + text, false);
  steps("*a*a*a*a*a*a*a*a*a*a", text, true);
}

TEST_CASE("ignore lines: comments, blanks, whitespace", "[gitignore]") {
  IgnoreFile f;
  CHECK_FALSE(f.add_line("# comment"));
  CHECK_FALSE(f.add_line(""));
  CHECK_FALSE(f.add_line("   "));
  CHECK(f.empty());
  CHECK(ignored({" #x"}, " #x"));  // only a leading '#' starts a comment
  CHECK(ignored({"\\#x"}, "#x"));
  CHECK(ignored({"a.py   "}, "a.py"));
  CHECK(ignored({"a.py\t"}, "a.py"));  // rg trims tabs too (git would not)
  CHECK_FALSE(ignored({"a.py   "}, "a.py   "));
  CHECK(ignored({"sp\\ "}, "sp "));  // an escaped trailing space is kept
  CHECK_FALSE(ignored({"sp\\ "}, "sp"));
  CHECK(ignored({"a \\ "}, "a  "));
}

TEST_CASE("ignore lines: negation and escapes", "[gitignore]") {
  CHECK(im({"*.py", "!keep.py"}, "keep.py") == IgnoreMatch::whitelist);
  CHECK(im({"*.py", "!keep.py"}, "x.py") == IgnoreMatch::ignore);
  // The last matching line wins.
  CHECK(im({"!keep.py", "*.py"}, "keep.py") == IgnoreMatch::ignore);
  CHECK(im({"a"}, "b") == IgnoreMatch::none);
  CHECK(ignored({"\\!x"}, "!x"));
  CHECK(im({"\\!x"}, "x") == IgnoreMatch::none);
  CHECK(ignored({"\\[x\\]"}, "[x]"));
  CHECK(im({"!/"}, "x") == IgnoreMatch::none);
  // A bare "!" becomes rg's glob "**/", which matches everything (checked with rg 13).
  CHECK(im({"*", "!"}, "d/x") == IgnoreMatch::whitelist);
}

TEST_CASE("ignore lines: anchoring and directories", "[gitignore]") {
  // Without a slash: the basename at any depth.
  CHECK(ignored({"foo"}, "foo"));
  CHECK(ignored({"foo"}, "a/b/foo"));
  CHECK(ignored({"*.o"}, "a/x.o"));
  // A leading slash anchors to the file's directory.
  CHECK(ignored({"/foo"}, "foo"));
  CHECK_FALSE(ignored({"/foo"}, "a/foo"));
  // A slash in the middle anchors too.
  CHECK(ignored({"a/foo"}, "a/foo"));
  CHECK_FALSE(ignored({"a/foo"}, "x/a/foo"));
  CHECK(ignored({"a/*.py"}, "a/x.py"));
  CHECK_FALSE(ignored({"a/*.py"}, "a/b/x.py"));
  // A trailing slash: directories only, and the pattern stays unanchored.
  CHECK(ignored({"build/"}, "x/build", true));
  CHECK_FALSE(ignored({"build/"}, "x/build", false));
  CHECK(ignored({"a/b/"}, "a/b", true));
  CHECK_FALSE(ignored({"a/b/"}, "c/a/b", true));
  // ** forms.
  CHECK(ignored({"**/foo"}, "foo"));
  CHECK(ignored({"**/foo"}, "x/y/foo"));
  CHECK(ignored({"**/x/foo"}, "a/x/foo"));
  CHECK(ignored({"a/**"}, "a/x"));
  CHECK(ignored({"a/**"}, "a/x/y"));
  CHECK_FALSE(ignored({"a/**"}, "a", true));  // a/** becomes a/**/*
  CHECK(ignored({"a/**/b"}, "a/b"));
  CHECK(ignored({"a/**/b"}, "a/x/y/b"));
  CHECK(ignored({"**"}, "a/b"));
  CHECK(ignored({"/**"}, "a/b"));
  // rg quirk: without a slash, a negated class is matched via **/ against the whole path.
  CHECK(ignored({"x[!a]y"}, "x/y"));
  CHECK_FALSE(ignored({"x[a]y"}, "x/y"));
  // Braces are alternation in ignore files too.
  CHECK(ignored({"*.{c,h}"}, "d/x.h"));
}

TEST_CASE("ignore files: BOM, CRLF, errors with line numbers", "[gitignore]") {
  IgnoreFile f;
  std::vector<std::string> errors;
  f.add_contents(
      "\xEF\xBB\xBF"
      "a.py\r\nb[\r\n# c\r\n!d.py\r\nx\\\ne{f\n*.md",
      "dir/.gitignore", errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] ==
        "dir/.gitignore:2: error parsing glob 'b[': unclosed character class; "
        "missing ']'");
  CHECK(errors[1] == "dir/.gitignore:5: error parsing glob 'x\\': dangling '\\'");
  CHECK(errors[2].rfind("dir/.gitignore:6: error parsing glob 'e{f': unclosed alternate", 0) == 0);
  CHECK(f.size() == 3);
  CHECK(f.match("a.py", "a.py", false) == IgnoreMatch::ignore);  // BOM skipped, \r stripped
  CHECK(f.match("d.py", "d.py", false) == IgnoreMatch::whitelist);
  CHECK(f.match("r.md", "r.md", false) == IgnoreMatch::ignore);  // last line, no newline
  CHECK(f.match("b[", "b[", false) == IgnoreMatch::none);
  CHECK_FALSE(f.needs_path());
  f.add_line("/x");
  CHECK(f.needs_path());
  CHECK(f.num_positive() == 3);
}

TEST_CASE("git config: core.excludesFile", "[gitignore]") {
  CHECK(parse_excludes_file("[core]\n\texcludesFile = ~/.gi\n") == "~/.gi");
  CHECK(parse_excludes_file("[Core]\nEXCLUDESFILE=/a b \n") == "/a b");
  CHECK(parse_excludes_file("[core]\n excludesfile = \"/q # x\" # comment\n") == "/q # x");
  CHECK(parse_excludes_file("[core] excludesfile = /same/line\n") == "/same/line");
  CHECK(parse_excludes_file("[core]\nexcludesfile = /one\nexcludesfile = /two\n") == "/two");
  CHECK_FALSE(parse_excludes_file("[core \"x\"]\nexcludesfile = /sub\n").has_value());
  CHECK_FALSE(parse_excludes_file("[user]\nexcludesfile = /no\n").has_value());
  CHECK(parse_excludes_file("[user]\nname = x\n[core]\n  bare\n  excludesfile = /y ; c\n") == "/y");
  CHECK(parse_excludes_file("# c\n; c\n[core]\nexcludesfile = /a\\\nb\n") == "/ab");
  CHECK_FALSE(parse_excludes_file("").has_value());
}
