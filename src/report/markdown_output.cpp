// A Markdown checklist for a human pass over the candidates (a PR comment, an issue, a file in
// the repository): what to look at first, where, and what the guide says to do about it.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/fingerprint.hpp"
#include "report/formats.hpp"
#include "result/fix_plan.hpp"

namespace asyncsweep::report {

std::string markdown_escape(std::string_view text) {
  const std::string clean = sanitize_utf8(text);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '\r':
      case '\n': out += ' '; break;  // a break would end a table row or list item
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~': case '#': case '&': case '(': case ')': case '!':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

namespace {

struct Located {
  const Finding* finding;
  SharedString path;  // relative to the base when below it, else absolute; '/' separated (one per file)
};

std::string top_directory(std::string_view path) {
  if (!path.empty() && path.front() == '/') {
    const std::size_t slash = path.find('/', 1);
    return std::string(path.substr(0, slash));
  }
  const std::size_t slash = path.find('/');
  return slash == std::string_view::npos ? "." : std::string(path.substr(0, slash));
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(sanitize_utf8(line));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

// The snippet in a fence one backtick longer than any run inside it, so a snippet holding
// ``` (a docstring with Markdown in it) cannot close the block early.
void append_snippet(const Finding& finding, std::string& out) {
  std::vector<std::string> lines;
  for (const auto& line : finding.context.before()) {
    auto split = split_lines(line);
    lines.insert(lines.end(), split.begin(), split.end());
  }
  auto body = split_lines(finding.text);
  lines.insert(lines.end(), body.begin(), body.end());
  for (const auto& line : finding.context.after()) {
    auto split = split_lines(line);
    lines.insert(lines.end(), split.begin(), split.end());
  }
  std::size_t longest = 0;
  for (const auto& line : lines) {
    std::size_t run = 0;
    for (char c : line) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  out += "  " + fence + "python\n";
  for (const auto& line : lines) {
    // Indented to sit inside the list item; the fence's indent is stripped from each line.
    out += line.empty() ? std::string() : "  " + line;
    out += '\n';
  }
  out += "  " + fence + "\n";
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// With `write`, the checklist is handed on as it grows rather than held whole; false: a write
// failed. Trailing blank lines are held back: the checklist ends in one line break.
bool print_markdown_into(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                         const MarkdownOptions& options, const PieceWriter* write) {
  constexpr std::size_t kFlushBytes = 1 << 20;  // with `write`, handed on at about this size
  auto flush = [&out, write] {
    if (write == nullptr || out.size() < kFlushBytes) return true;
    const std::size_t keep = out.size() - (out.find_last_not_of('\n') + 1);
    if (!(*write)(std::string_view(out).substr(0, out.size() - keep))) return false;
    out.erase(0, out.size() - keep);
    return true;
  };
  const BaseDir base(options.base_dir);
  std::vector<Located> located;
  located.reserve(result.findings.size());
  std::unordered_map<std::string_view, SharedString> relative;  // by path as displayed
  for (const auto& finding : result.findings) {
    auto [it, fresh] = relative.try_emplace(finding.path.view());
    if (fresh) it->second = base.relative_or_absolute(finding.path);
    located.push_back({&finding, it->second});
  }

  // Per rule: findings by score (stable, so path/line order breaks ties), rules by best score.
  std::map<std::uint32_t, std::vector<const Located*>> by_rule;
  std::map<std::string, std::size_t> by_directory;
  std::set<std::string> files;
  for (const auto& item : located) {
    by_rule[item.finding->rule].push_back(&item);
    ++by_directory[top_directory(item.path)];
    files.insert(item.path.str());
  }
  for (auto& [rule, items] : by_rule) {
    std::stable_sort(items.begin(), items.end(),
                     [](const Located* a, const Located* b) { return a->finding->score > b->finding->score; });
  }
  std::vector<std::uint32_t> order;
  for (const auto& [rule, items] : by_rule) order.push_back(rule);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return by_rule[a].front()->finding->score > by_rule[b].front()->finding->score;
  });

  out += "# asyncsweep review checklist\n\n";
  std::string line = fmt::format("{} in {} from {}", plural(result.findings.size(), "finding", "findings"),
                                 plural(files.size(), "file", "files"), plural(by_rule.size(), "rule", "rules"));
  std::vector<std::string> hidden;
  if (!result.suppressed.empty()) hidden.push_back(fmt::format("{} suppressed inline", result.suppressed.size()));
  if (result.baselined != 0) hidden.push_back(fmt::format("{} known to the baseline", result.baselined));
  if (result.outside_change != 0) hidden.push_back(fmt::format("{} outside the change", result.outside_change));
  if (!result.errors.empty()) hidden.push_back(plural(result.errors.size(), "error", "errors") + ", listed at the end");
  for (std::size_t i = 0; i < hidden.size(); ++i) line += (i == 0 ? " (" : "; ") + hidden[i];
  if (!hidden.empty()) line += ")";
  out += line + ".\n\n";

  if (!result.findings.empty()) {
    out += "## Summary\n\n| Rule | Title | Findings | Top score |\n|:--|:--|--:|--:|\n";
    for (std::uint32_t rule : order) {
      const auto& r = rules[rule].rule;
      out += fmt::format("| {} | {} | {} | {} |\n", markdown_escape(r.id), markdown_escape(r.title),
                         by_rule[rule].size(), by_rule[rule].front()->finding->score);
    }
    out += "\n| Directory | Findings |\n|:--|--:|\n";
    for (const auto& [directory, count] : by_directory) {
      out += fmt::format("| {} | {} |\n", markdown_escape(directory), count);
    }
    out += '\n';
  }

  for (std::uint32_t rule : order) {
    const auto& r = rules[rule].rule;
    out += fmt::format("## {}: {}\n\n", markdown_escape(r.id), markdown_escape(r.title));
    out += fmt::format("Severity {}, category {}, {}.\n\n", rules::to_string(r.severity), markdown_escape(r.category),
                       plural(by_rule[rule].size(), "finding", "findings"));
    // The guide's advice is Markdown already (code in backticks): kept as written.
    if (!r.fix.empty()) out += "**Fix:** " + sanitize_utf8(r.fix) + "\n\n";
    for (const Located* item : by_rule[rule]) {
      const Finding& f = *item->finding;
      const std::uint32_t end_line = std::max(f.end_line, f.line);
      std::string anchor = fmt::format("#L{}", f.line);
      if (end_line > f.line) anchor += fmt::format("-L{}", end_line);
      std::string label = fmt::format("{}:{}", item->path, f.line);
      // A reviewer should learn that `--fix` would do it: the fix's own message, as Ruff prints it.
      const FixEdit* fix = fix_for(result.fixes, f);
      out += fmt::format("- [ ] [{}]({}{}) — score {}{}\n", markdown_escape(label), percent_encode_path(item->path),
                         anchor, f.score, fix != nullptr ? " — fixable with `--fix`: " + markdown_escape(fix->message) : "");
      append_snippet(f, out);
      for (const auto& reason : f.reasons) out += "  - " + markdown_escape(reason) + "\n";
      if (!flush()) return false;
    }
    out += '\n';
  }

  if (!result.errors.empty()) {
    out += "## Errors\n\n";
    for (const auto& error : result.errors) {
      std::string text = error.path.empty() ? std::string() : markdown_escape(base.relative_or_absolute(error.path)) + ": ";
      if (!error.rule.empty()) text += "rule " + markdown_escape(error.rule) + ": ";
      out += "- " + text + markdown_escape(error.message) + "\n";
    }
    out += '\n';
  }
  while (out.size() >= 2 && out.back() == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return true;
}

}  // namespace

void print_markdown(const SweepResult& result, const search::RuleSet& rules, std::string& out,
                    const MarkdownOptions& options) {
  print_markdown_into(result, rules, out, options, nullptr);
}

bool print_markdown(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write,
                    const MarkdownOptions& options) {
  std::string out;
  return print_markdown_into(result, rules, out, options, &write) && write(out);
}

}  // namespace asyncsweep::report
