#include "report/explain_output.hpp"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "fix/edits.hpp"
#include "text/suggest.hpp"

namespace asyncsweep::report {

namespace {

// Indents each line of a multi-line example so it reads as a block under its heading.
std::string indented(std::string_view block) {
  std::string out;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\n', start);
    if (end == std::string_view::npos) end = block.size();
    out += "    ";
    out += block.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string explain_text(const rules::Rule& rule) {
  std::string out = fmt::format("{}: {}\n\n", rule.id, rule.title);
  out += fmt::format(
      "Category: {}   Severity: {}   Kind: {}{}\n", rule.category, rules::to_string(rule.severity),
      rules::to_string(rule.kind),
      rule.preview ? "   (preview: runs only with --preview or when selected by its id)" : "");
  if (!rule.rationale.empty()) out += fmt::format("\nWhy it matters:\n  {}\n", rule.rationale);
  if (!rule.section.empty()) out += fmt::format("\nGuide section: {}\n", rule.section);
  if (!rule.source.empty()) {
    out += "Guide command:\n";
    for (const auto& source : rule.source) out += fmt::format("  {}\n", source);
  }
  if (!rule.fix.empty()) out += fmt::format("\nHow to fix:\n  {}\n", rule.fix);
  out += fmt::format("\nRuff codes: {}\n",
                     rule.ruff.empty() ? "none" : fmt::format("{}", fmt::join(rule.ruff, ", ")));
  out += fix::fixable(rule) ? "Fixable: yes, where it is safe (--fix, --diff)\n"
                            : "Fixable: no (review by hand)\n";
  if (!rule.example_bad.empty()) out += "\nExample (flagged):\n" + indented(rule.example_bad);
  if (!rule.example_good.empty()) out += "\nInstead:\n" + indented(rule.example_good);
  return out;
}

std::string unknown_rule_message(std::string_view id, const rules::RulePack& pack) {
  std::vector<std::string> ids;
  ids.reserve(pack.rules.size());
  for (const auto& rule : pack.rules) ids.push_back(rule.id);
  std::string message = fmt::format("unknown rule '{}'", id);
  // Ids are read in any case: a lower-case typo is as near its id as the upper-case one.
  std::string upper(id);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto nearest = text::nearest_name(upper, ids))
    message += fmt::format(" (did you mean '{}'?)", *nearest);
  message += "; `asyncsweep rules` lists them";
  return message;
}

}  // namespace asyncsweep::report
