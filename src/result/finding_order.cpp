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
  // The order as indices, sorted by each finding's fields and its path's rank: 8 bytes a
  // finding (an array of 20-byte keys was 9 MB of the peak with 459,083 findings).
  std::vector<std::uint32_t> rank_of(n);
  std::size_t run = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (run + 1 < run_start.size() && run_start[run + 1] == i) ++run;
    rank_of[i] = path_rank[run];
  }
  std::vector<std::uint32_t>().swap(path_rank);
  std::vector<std::uint32_t>().swap(runs);
  std::vector<std::size_t>().swap(run_start);
  std::vector<std::uint32_t> sorted(n);
  std::iota(sorted.begin(), sorted.end(), 0u);
  const bool ranked = order == FindingOrder::ranked;
  std::sort(sorted.begin(), sorted.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    return std::make_tuple(ranked ? -x.score : 0, rank_of[a], x.line, rules.rank(x.rule), a) <
           std::make_tuple(ranked ? -y.score : 0, rank_of[b], y.line, rules.rank(y.rule), b);
  });
  std::vector<std::uint32_t>().swap(rank_of);
  // Permuted in place, cycle by cycle: a second array of findings would be megabytes of fresh
  // pages to fault in.
  std::vector<bool> placed(n, false);
  for (std::size_t start = 0; start < n; ++start) {
    if (placed[start] || sorted[start] == start) continue;
    Finding carried = std::move(findings[start]);
    std::size_t at = start;
    for (;;) {
      placed[at] = true;
      const std::size_t from = sorted[at];
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
