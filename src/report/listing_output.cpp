#include "report/listing_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace asyncsweep::report {

namespace {

// Files in the order their first finding appears, with their finding counts.
std::vector<std::pair<std::string_view, std::size_t>> files_in_order(const SweepResult& result) {
  std::vector<std::pair<std::string_view, std::size_t>> files;
  std::map<std::string_view, std::size_t> index;
  for (const auto& finding : result.findings) {
    auto [it, inserted] = index.emplace(finding.path, files.size());
    if (inserted) files.emplace_back(finding.path, 0);
    ++files[it->second].second;
  }
  return files;
}

}  // namespace

void print_rg_lines(const SweepResult& result, bool column, std::string& out) {
  // rg prints a line once however many patterns match it; --vimgrep once per match.
  std::set<std::tuple<std::string_view, std::uint32_t, std::uint32_t>> printed;
  for (const auto& finding : result.findings) {
    std::string_view text = finding.text;
    std::uint32_t line = finding.line;
    while (true) {
      const std::size_t end = text.find('\n');
      const std::string_view this_line = text.substr(0, end);
      const std::uint32_t col = line == finding.line ? finding.column : 1;
      if (printed.emplace(finding.path, line, column ? col : 0).second) {
        if (column)
          fmt::format_to(std::back_inserter(out), "{}:{}:{}:{}\n", finding.path, line, col,
                         this_line);
        else
          fmt::format_to(std::back_inserter(out), "{}:{}:{}\n", finding.path, line, this_line);
      }
      // --vimgrep gives a match one quickfix entry: its first line.
      if (column || end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
      ++line;
    }
  }
}

void print_counts(const SweepResult& result, std::string& out) {
  for (const auto& [path, count] : files_in_order(result)) {
    fmt::format_to(std::back_inserter(out), "{}:{}\n", path, count);
  }
}

void print_files_with_matches(const SweepResult& result, std::string& out) {
  for (const auto& [path, count] : files_in_order(result)) {
    out += path;
    out += '\n';
  }
}

void print_statistics(const SweepResult& result, const search::RuleSet& rules, std::string& out) {
  std::map<std::string_view, std::pair<std::size_t, std::string_view>> by_id;
  for (const auto& finding : result.findings) {
    const auto& rule = rules[finding.rule].rule;
    auto& entry = by_id[rule.id];
    ++entry.first;
    entry.second = rule.title;
  }
  std::vector<std::tuple<std::size_t, std::string_view, std::string_view>> rows;
  for (const auto& [id, entry] : by_id) rows.emplace_back(entry.first, id, entry.second);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::size_t count_width = 1;
  std::size_t id_width = 1;
  for (const auto& [count, id, title] : rows) {
    count_width = std::max(count_width, fmt::formatted_size("{}", count));
    id_width = std::max(id_width, id.size());
  }
  for (const auto& [count, id, title] : rows) {
    fmt::format_to(std::back_inserter(out), "{:>{}}\t{:<{}}\t{}\n", count, count_width, id,
                   id_width, title);
  }
}

}  // namespace asyncsweep::report
