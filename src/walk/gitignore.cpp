#include "walk/gitignore.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/whole_file.hpp"

namespace asyncsweep::walk {

namespace {

bool is_trim_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

std::optional<std::string> IgnoreFile::add_line(std::string_view line) {
  if (starts_with(line, "#")) return std::nullopt;
  // ripgrep keeps the whole line when it ends in an escaped space; otherwise it trims all
  // trailing whitespace (git trims only unescaped spaces; see filter_test.cpp).
  if (!ends_with(line, "\\ ")) {
    while (!line.empty() && is_trim_space(line.back())) line.remove_suffix(1);
  }
  if (line.empty()) return std::nullopt;
  const std::string_view original = line;
  Pattern p;
  bool anchored = false;
  if (starts_with(line, "\\!") || starts_with(line, "\\#")) {
    line.remove_prefix(1);
  } else {
    if (starts_with(line, "!")) {
      p.negated = true;
      line.remove_prefix(1);
    }
    if (starts_with(line, "/")) {
      line.remove_prefix(1);
      anchored = true;
    }
  }
  if (!line.empty() && line.back() == '/') {
    p.dir_only = true;
    line.remove_suffix(1);
  }
  const bool has_slash = line.find('/') != std::string_view::npos;
  try {
    if (!anchored && !has_slash && !line.empty()) {
      // ripgrep matches `**/line` against the path; that is the same as matching `line`
      // against the basename unless a negated class can eat a '/' (globset lets it).
      p.glob = Glob::compile(line);
      p.basename_only = !p.glob.has_negated_class();
      if (!p.basename_only) p.glob = Glob::compile("**/" + std::string(line));
    } else {
      std::string actual(line);
      if (!anchored && !has_slash) actual.insert(0, "**/");  // the empty pattern of a bare "!"
      if (ends_with(actual, "/**")) actual += "/*";
      p.glob = Glob::compile(actual);
    }
  } catch (const GlobError& e) {
    return "error parsing glob '" + std::string(original) + "': " + e.what();
  }
  if (!p.basename_only) needs_path_ = true;
  if (!p.negated) ++num_positive_;
  patterns_.push_back(std::move(p));
  return std::nullopt;
}

void IgnoreFile::add_contents(std::string_view contents, const std::string& display_path,
                              std::vector<std::string>& errors) {
  if (starts_with(contents, "\xEF\xBB\xBF")) contents.remove_prefix(3);
  std::size_t lineno = 0;
  while (!contents.empty()) {
    ++lineno;
    const std::size_t nl = contents.find('\n');
    std::string_view line = contents.substr(0, nl);
    contents.remove_prefix(nl == std::string_view::npos ? contents.size() : nl + 1);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (auto err = add_line(line)) {
      errors.push_back(display_path + ":" + std::to_string(lineno) + ": " + *err);
    }
  }
}

std::shared_ptr<const IgnoreFile> IgnoreFile::load(const std::string& path,
                                                   const std::string& display_path,
                                                   std::vector<std::string>& errors) {
  io::WholeFile data = io::read_whole_file(path);
  if (!data) {
    // No ignore file there is the common case, not an error.
    if (data.error_number != ENOENT && data.error_number != ENOTDIR) {
      errors.push_back(display_path + ": " + std::strerror(data.error_number));
    }
    return nullptr;
  }
  auto file = std::make_shared<IgnoreFile>();
  file->add_contents(data.bytes, display_path, errors);
  if (file->empty()) return nullptr;
  return file;
}

IgnoreMatch IgnoreFile::match(std::string_view name, std::string_view rel_path, bool is_dir) const {
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    const Pattern& p = *it;
    if (p.dir_only && !is_dir) continue;
    if (p.glob.matches(p.basename_only ? name : rel_path)) {
      return p.negated ? IgnoreMatch::whitelist : IgnoreMatch::ignore;
    }
  }
  return IgnoreMatch::none;
}

// ---- git config -------------------------------------------------------------------------

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Parses a value after '=': quotes, backslash escapes, comments, trailing blanks; a backslash
// before the newline continues the value on the next line.
std::string parse_value(std::string_view text, std::size_t& i) {
  std::string out;
  std::size_t keep = 0;  // length of `out` up to the last character that was not a blank
  bool quoted = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++i;
      break;
    }
    if (!quoted && (c == '#' || c == ';')) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    ++i;
    if (c == '"') {
      quoted = !quoted;
      keep = out.size();
      continue;
    }
    if (c == '\\' && i < text.size()) {
      const char e = text[i++];
      if (e == '\n') continue;
      if (e == '\r' && i < text.size() && text[i] == '\n') {
        ++i;
        continue;
      }
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'b' ? '\b' : e);
      keep = out.size();
      continue;
    }
    if (!quoted && (c == ' ' || c == '\t' || c == '\r')) {
      if (!out.empty()) out.push_back(c);
      continue;
    }
    out.push_back(c);
    keep = out.size();
  }
  out.resize(keep);
  return out;
}

std::optional<std::string> read_small_file(const std::string& path) {
  io::WholeFile file = io::read_whole_file(path);
  if (!file) return std::nullopt;
  return std::move(file.bytes);
}

}  // namespace

std::optional<std::string> parse_excludes_file(std::string_view text) {
  std::optional<std::string> result;
  bool in_core = false;
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  };
  while (i < text.size()) {
    skip_blanks();
    if (i >= text.size()) break;
    const char c = text[i];
    if (c == '\n') {
      ++i;
      continue;
    }
    if (c == '#' || c == ';') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) break;
      std::string_view header = text.substr(i + 1, close - i - 1);
      while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) {
        header.remove_suffix(1);
      }
      // `[core]` only: `[core "x"]` and `[core.x]` are subsections.
      in_core = iequals(header, "core");
      i = close + 1;
      continue;  // a key may follow on the same line
    }
    const std::size_t key_start = i;
    while (i < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '-')) {
      ++i;
    }
    const std::string_view key = text.substr(key_start, i - key_start);
    skip_blanks();
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      skip_blanks();
      value = parse_value(text, i);
    } else {
      while (i < text.size() && text[i] != '\n') ++i;  // boolean key or garbage
      if (key.empty() && i < text.size()) ++i;
      continue;
    }
    if (in_core && iequals(key, "excludesfile")) result = value;
  }
  return result;
}

std::string global_excludes_path(const std::string& cwd, const GitEnvironment& env) {
  const std::string& home = env.home;
  const std::string& xdg = env.xdg_config_home;
  const std::string xdg_dir = !xdg.empty() ? xdg : (!home.empty() ? home + "/.config" : "");
  std::vector<std::string> configs;
  if (!env.git_config_global.empty()) {
    configs.push_back(env.git_config_global);
  } else {
    // git reads the XDG file first, so ~/.gitconfig wins where both set the key.
    if (!xdg_dir.empty()) configs.push_back(xdg_dir + "/git/config");
    if (!home.empty()) configs.push_back(home + "/.gitconfig");
  }
  std::optional<std::string> value;
  for (const auto& path : configs) {
    if (auto text = read_small_file(path)) {
      if (auto v = parse_excludes_file(*text)) value = std::move(v);
    }
  }
  if (!value) return xdg_dir.empty() ? std::string() : xdg_dir + "/git/ignore";
  std::string path = *value;
  if (path.empty()) return path;
  if (starts_with(path, "~/") && !home.empty()) {
    path = home + path.substr(1);
  } else if (path[0] != '/' && !cwd.empty()) {
    path = cwd + "/" + path;
  }
  return path;
}

}  // namespace asyncsweep::walk
