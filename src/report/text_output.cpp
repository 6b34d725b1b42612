#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "report/output.hpp"

namespace asyncsweep::report {

namespace {

struct Palette {
  bool on;
  std::string_view path() const { return on ? "\x1b[35m" : ""; }
  std::string_view line() const { return on ? "\x1b[32m" : ""; }
  std::string_view bold() const { return on ? "\x1b[1m" : ""; }
  std::string_view dim() const { return on ? "\x1b[2m" : ""; }
  std::string_view severity(rules::Severity s) const {
    if (!on) return "";
    switch (s) {
      case rules::Severity::high: return "\x1b[1;31m";
      case rules::Severity::medium: return "\x1b[1;33m";
      case rules::Severity::low: return "\x1b[1;36m";
      case rules::Severity::info: return "\x1b[1;34m";
    }
    return "";
  }
  std::string_view reset() const { return on ? "\x1b[0m" : ""; }
};

// Control characters would let a file's content move the reviewer's cursor; show them escaped.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\r') continue;
    if (u < 0x20 && c != '\t') out += fmt::format("\\x{:02x}", u);
    else if (u == 0x7f) out += "\\x7f";
    else out += c;
  }
  return out;
}

void print_lines(std::string& out, const Palette& p, std::uint32_t first, std::string_view text, char sep) {
  std::uint32_t line = first;
  std::size_t pos = 0;
  for (;;) {
    std::size_t nl = text.find('\n', pos);
    std::string_view piece = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    out += fmt::format("  {}{:>6}{}{} {}\n", p.line(), line, p.reset(), sep, printable(piece));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
}

}  // namespace

namespace {

// With `write`, the text is handed on as it grows rather than held whole; false: a write failed.
bool print_text_into(const SweepResult& result, const search::RuleSet& rules, const TextStyle& style,
                     std::string& out, const PieceWriter* write) {
  constexpr std::size_t kFlushBytes = 1 << 20;  // with `write`, handed on at about this size
  Palette p{style.color};
  const SharedString* current_path = nullptr;
  for (const auto& finding : result.findings) {
    const auto& rule = rules[finding.rule].rule;
    if (current_path == nullptr || *current_path != finding.path) {
      if (current_path != nullptr) out += '\n';
      current_path = &finding.path;
    }
    // Ruff's mark of a finding with a safe fix.
    const std::string_view fixable = fix_for(result.fixes, finding) != nullptr ? "[*] " : "";
    out += fmt::format("{}{}{}:{}{}{}:{}: {}[{}]{} {}{}{}\n", p.path(), printable(finding.path), p.reset(), p.line(),
                       finding.line, p.reset(), finding.column, p.severity(rule.severity), rule.id, p.reset(),
                       fixable, rule.title, finding.score > 0 ? fmt::format(" (score {})", finding.score) : "");
    for (const auto& reason : finding.reasons) out += fmt::format("    {}- {}{}\n", p.dim(), reason, p.reset());
    std::uint32_t first_context =
        finding.line - static_cast<std::uint32_t>(finding.context.before().size());
    for (std::size_t i = 0; i < finding.context.before().size(); ++i) {
      print_lines(out, p, first_context + static_cast<std::uint32_t>(i),
                  finding.context.before()[i], '-');
    }
    print_lines(out, p, finding.line, finding.text, ':');
    for (std::size_t i = 0; i < finding.context.after().size(); ++i) {
      print_lines(out, p, finding.end_line + 1 + static_cast<std::uint32_t>(i),
                  finding.context.after()[i], '-');
    }
    if (write != nullptr && out.size() >= kFlushBytes) {
      if (!(*write)(out)) return false;
      out.clear();
    }
  }
  for (const auto& unused : result.unused_suppressions) {
    out += fmt::format("{}{}{}:{}{}{}: unused suppression: {}\n", p.path(), printable(unused.path), p.reset(), p.line(),
                       unused.line, p.reset(), printable(unused.text));
  }
  if (!style.show_summary) return true;
  const auto& stats = result.stats;
  // Ranked output interleaves files: count distinct paths, not changes of path.
  std::unordered_set<std::string_view> paths;
  for (const auto& finding : result.findings) paths.insert(finding.path);
  const std::size_t files_with_findings = paths.size();
  if (!result.findings.empty()) out += '\n';
  out += fmt::format("{}{} finding{} in {} file{}{}; scanned {} of {} files ({:.1f} MB) in {:.2f}s", p.bold(),
                     result.findings.size(), result.findings.size() == 1 ? "" : "s", files_with_findings,
                     files_with_findings == 1 ? "" : "s", p.reset(), stats.files_scanned, stats.files_walked,
                     static_cast<double>(stats.bytes_scanned) / 1e6, stats.elapsed_seconds);
  std::string skipped;
  for (std::size_t i = 0; i < stats.skipped.size(); ++i) {
    if (stats.skipped[i] == 0) continue;
    skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", stats.skipped[i],
                           to_string(static_cast<SkipReason>(i)));
  }
  if (!skipped.empty()) out += fmt::format("; skipped {}", skipped);
  if (stats.files_errored > 0) out += fmt::format("; {} unreadable", stats.files_errored);
  if (!result.suppressed.empty()) out += fmt::format("; {} suppressed", result.suppressed.size());
  if (!result.unused_suppressions.empty()) {
    out += fmt::format("; {} unused suppression{}", result.unused_suppressions.size(),
                       result.unused_suppressions.size() == 1 ? "" : "s");
  }
  if (result.baselined > 0) out += fmt::format("; {} in the baseline", result.baselined);
  if (result.below_min_score > 0) out += fmt::format("; {} below --min-score", result.below_min_score);
  if (result.excluded_tests > 0) out += fmt::format("; {} in test code (--exclude-tests)", result.excluded_tests);
  if (result.beyond_top > 0) out += fmt::format("; {} beyond --top", result.beyond_top);
  if (result.outside_change > 0) out += fmt::format("; {} outside the change", result.outside_change);
  if (result.fixed > 0) out += fmt::format("; {} fixed", result.fixed);
  if (const std::uint64_t fixable = count_fixes(result.fixes); fixable > 0) {
    out += fmt::format("; {} fixable (run with --fix)", fixable);
  }
  if (!result.errors.empty()) out += fmt::format("; {} error{}", result.errors.size(), result.errors.size() == 1 ? "" : "s");
  out += '\n';
  return true;
}

}  // namespace

void print_text(const SweepResult& result, const search::RuleSet& rules, const TextStyle& style,
                std::string& out) {
  print_text_into(result, rules, style, out, nullptr);
}

bool print_text(const SweepResult& result, const search::RuleSet& rules, const TextStyle& style,
                const PieceWriter& write) {
  std::string out;
  return print_text_into(result, rules, style, out, &write) && write(out);
}

void print_rules_text(const search::RuleSet& rules, std::string& out) {
  for (const auto& compiled : rules.rules()) {
    const auto& rule = compiled.rule;
    out += fmt::format("{}  {:<20} {:<9} {:<6} {}\n", rule.id, rule.category, rules::to_string(rule.kind),
                       rules::to_string(rule.severity), rule.title);
    if (rule.preview) out += "        preview: runs only with --preview or when selected by its id\n";
    out += fmt::format("        regex: {}{}\n", rule.regex, rule.multiline ? "  (multiline)" : "");
    for (const auto& source : rule.source) out += fmt::format("        source: {}\n", source);
    // What a reviewer acts on; JSON carries the remaining fields.
    if (!rule.ruff.empty()) out += fmt::format("        ruff: {}\n", fmt::join(rule.ruff, ", "));
    if (!rule.fix.empty()) out += fmt::format("        fix: {}\n", rule.fix);
    if (!rule.rationale.empty()) out += fmt::format("        rationale: {}\n", rule.rationale);
  }
}

}  // namespace asyncsweep::report
