#include "result/fix_plan.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <string_view>
#include <tuple>

namespace asyncsweep {

namespace {

bool same_finding(const FixEdit& edit, const Finding& finding) {
  return edit.rule == finding.rule && edit.finding_line == finding.line &&
         edit.finding_column == finding.column;
}

}  // namespace

const FixEdit* fix_for(const std::vector<FilePlan>& plans, const Finding& finding) {
  auto it = std::lower_bound(
      plans.begin(), plans.end(), finding.path,
      [](const FilePlan& plan, const std::string& path) { return plan.path < path; });
  if (it == plans.end() || it->path != finding.path) return nullptr;
  // Edits are in offset order and each starts on its finding's line, so their lines ascend: a
  // file with thousands of fixable findings must not be scanned once per finding.
  auto edit = std::lower_bound(it->edits.begin(), it->edits.end(), finding.line,
                               [](const FixEdit& e, std::uint32_t line) { return e.finding_line < line; });
  for (; edit != it->edits.end() && edit->finding_line == finding.line; ++edit) {
    if (same_finding(*edit, finding)) return &*edit;
  }
  return nullptr;
}

void keep_fixes_of(std::vector<FilePlan>& plans, const std::vector<Finding>& findings) {
  using Key = std::tuple<std::string_view, std::uint32_t, std::uint32_t, std::uint32_t>;
  std::set<Key> shown;
  for (const auto& finding : findings)
    shown.emplace(finding.path, finding.rule, finding.line, finding.column);
  for (auto& plan : plans) {
    std::erase_if(plan.edits, [&](const FixEdit& edit) {
      return !shown.contains(Key{plan.path, edit.rule, edit.finding_line, edit.finding_column});
    });
  }
  std::erase_if(plans, [](const FilePlan& plan) { return plan.edits.empty(); });
  std::stable_sort(plans.begin(), plans.end(),
                   [](const FilePlan& a, const FilePlan& b) { return a.path < b.path; });
  // `merge` reads one plan per fix: one per file again, its edits in order.
  std::vector<FilePlan> joined;
  for (auto& plan : plans) {
    if (joined.empty() || joined.back().path != plan.path) {
      joined.push_back(std::move(plan));
      continue;
    }
    std::move(plan.edits.begin(), plan.edits.end(), std::back_inserter(joined.back().edits));
    std::sort(joined.back().edits.begin(), joined.back().edits.end(),
              [](const FixEdit& a, const FixEdit& b) {
                return std::tie(a.offset, a.row, a.column) < std::tie(b.offset, b.row, b.column);
              });
  }
  plans = std::move(joined);
}

std::uint64_t count_fixes(const std::vector<FilePlan>& plans) {
  std::uint64_t count = 0;
  for (const auto& plan : plans) count += plan.edits.size();
  return count;
}

}  // namespace asyncsweep
