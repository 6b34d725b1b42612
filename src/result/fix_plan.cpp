#include "result/fix_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <string_view>
#include <tuple>
#include <utility>

namespace asyncsweep {

namespace {

bool same_finding(const FixEdit& edit, const Finding& finding) {
  return edit.rule == finding.rule && edit.finding_line == finding.line &&
         edit.finding_column == finding.column;
}

// The file a displayed path names, without asking the file system (a sweep's paths are the
// roots as given plus relative paths: `./sub/a.py` and `sub/a.py` are one file).
std::string same_file_key(const std::string& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return (error ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

}  // namespace

const FixEdit* fix_for(const std::vector<FilePlan>& plans, const Finding& finding) {
  auto it = std::lower_bound(
      plans.begin(), plans.end(), finding.path,
      [](const FilePlan& plan, std::string_view path) { return plan.path < path; });
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
  // The edits sorted by their finding's key, and the findings looked up there: a set of every
  // finding's key cost 80 bytes a finding (37 MB for 459,083 findings, few of them fixable).
  using Key = std::tuple<std::string_view, std::uint32_t, std::uint32_t, std::uint32_t>;
  struct EditRef {
    Key key;
    std::size_t plan, edit;
  };
  std::vector<EditRef> refs;
  std::vector<std::vector<bool>> shown(plans.size());
  for (std::size_t p = 0; p < plans.size(); ++p) {
    shown[p].assign(plans[p].edits.size(), false);
    for (std::size_t e = 0; e < plans[p].edits.size(); ++e) {
      const FixEdit& edit = plans[p].edits[e];
      refs.push_back({Key{plans[p].path, edit.rule, edit.finding_line, edit.finding_column}, p, e});
    }
  }
  auto by_key = [](const EditRef& a, const EditRef& b) { return a.key < b.key; };
  std::sort(refs.begin(), refs.end(), by_key);
  for (const auto& finding : findings) {
    if (refs.empty()) break;
    const EditRef wanted{Key{finding.path, finding.rule, finding.line, finding.column}, 0, 0};
    for (auto it = std::lower_bound(refs.begin(), refs.end(), wanted, by_key);
         it != refs.end() && it->key == wanted.key; ++it)
      shown[it->plan][it->edit] = true;
  }
  for (std::size_t p = 0; p < plans.size(); ++p) {
    std::size_t kept = 0;
    for (std::size_t e = 0; e < plans[p].edits.size(); ++e) {
      if (!shown[p][e]) continue;
      if (kept != e) plans[p].edits[kept] = std::move(plans[p].edits[e]);
      ++kept;
    }
    plans[p].edits.resize(kept);
  }
  std::erase_if(plans, [](const FilePlan& plan) { return plan.edits.empty(); });
  // One plan per file: `merge` reads one plan per fix, and a file swept twice under two
  // spellings (`. sub`, `sub/a.py ./sub/a.py`) must not be fixed twice. The first spelling stays.
  std::vector<std::pair<std::string, std::size_t>> keyed;
  for (std::size_t i = 0; i < plans.size(); ++i) keyed.emplace_back(same_file_key(plans[i].path), i);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<FilePlan> joined;
  const std::string* joined_key = nullptr;
  for (const auto& [key, index] : keyed) {
    FilePlan& plan = plans[index];
    if (joined_key == nullptr || *joined_key != key) {
      joined.push_back(std::move(plan));
      joined_key = &key;
      continue;
    }
    std::move(plan.edits.begin(), plan.edits.end(), std::back_inserter(joined.back().edits));
    auto& edits = joined.back().edits;
    std::sort(edits.begin(), edits.end(), [](const FixEdit& a, const FixEdit& b) {
      return std::tie(a.offset, a.row, a.column) < std::tie(b.offset, b.row, b.column);
    });
    // A file named twice (`--fix a.py a.py`, a root inside another) was swept twice: its edits
    // come twice, and applying both would write the replacement twice.
    edits.erase(std::unique(edits.begin(), edits.end(),
                            [](const FixEdit& a, const FixEdit& b) {
                              return std::tie(a.offset, a.row, a.column, a.end_row, a.end_column, a.content) ==
                                     std::tie(b.offset, b.row, b.column, b.end_row, b.end_column, b.content);
                            }),
                edits.end());
  }
  std::sort(joined.begin(), joined.end(), [](const FilePlan& a, const FilePlan& b) { return a.path < b.path; });
  plans = std::move(joined);
}

std::uint64_t count_fixes(const std::vector<FilePlan>& plans) {
  std::uint64_t count = 0;
  for (const auto& plan : plans) count += plan.edits.size();
  return count;
}

}  // namespace asyncsweep
