#include "result/finding_order.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <tuple>

namespace asyncsweep {

RuleOrder::RuleOrder(const std::vector<std::string_view>& ids) : rank_(ids.size()) {
  std::vector<std::uint32_t> by_id(ids.size());
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(),
            [&](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
  for (std::uint32_t k = 0; k < by_id.size(); ++k) {
    rank_[by_id[k]] = k > 0 && ids[by_id[k]] == ids[by_id[k - 1]] ? rank_[by_id[k - 1]] : k;
  }
}

void sort_findings(std::vector<Finding>& findings, const RuleOrder& rules, FindingOrder order) {
  const std::size_t n = findings.size();
  if (n < 2) return;
  // Runs of one path (a file's findings are contiguous), ranked by their path.
  std::vector<std::size_t> run_start;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 0 || findings[i].path != findings[i - 1].path) run_start.push_back(i);
  }
  std::vector<std::uint32_t> runs(run_start.size());
  std::iota(runs.begin(), runs.end(), 0u);
  auto path_of = [&](std::uint32_t run) -> const SharedString& {
    return findings[run_start[run]].path;
  };
  std::stable_sort(runs.begin(), runs.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return path_of(a) < path_of(b); });
  std::vector<std::uint32_t> path_rank(runs.size());
  std::uint32_t rank = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (k > 0 && path_of(runs[k]) != path_of(runs[k - 1])) ++rank;
    path_rank[runs[k]] = rank;
  }
  struct Key {
    int negative_score;  // 0 unless ranked
    std::uint32_t path, line, rule, index;
    bool operator<(const Key& o) const {
      return std::tie(negative_score, path, line, rule, index) <
             std::tie(o.negative_score, o.path, o.line, o.rule, o.index);
    }
  };
  std::vector<Key> keys(n);
  std::size_t run = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (run + 1 < run_start.size() && run_start[run + 1] == i) ++run;
    const Finding& f = findings[i];
    keys[i] = Key{order == FindingOrder::ranked ? -f.score : 0, path_rank[run], f.line,
                  rules.rank(f.rule), static_cast<std::uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end());
  // Permuted in place, cycle by cycle: a second array of findings would be megabytes of fresh
  // pages to fault in.
  std::vector<bool> placed(n, false);
  for (std::size_t start = 0; start < n; ++start) {
    if (placed[start] || keys[start].index == start) continue;
    Finding carried = std::move(findings[start]);
    std::size_t at = start;
    for (;;) {
      placed[at] = true;
      const std::size_t from = keys[at].index;
      if (from == start) {
        findings[at] = std::move(carried);
        break;
      }
      findings[at] = std::move(findings[from]);
      at = from;
    }
  }
}

}  // namespace asyncsweep
