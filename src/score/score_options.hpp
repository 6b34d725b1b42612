// How findings are scored, filtered and ordered (--min-score, --top, --sort, --seed-exact).
#pragma once

#include <cstddef>

#include "result/finding_order.hpp"

namespace asyncsweep::score {

struct ScoreOptions {
  bool seed_exact = false;      // --seed-exact: the rg stage only: no adjustment, no filter
  int min_score = 30;           // findings below are dropped (counted in below_min_score)
  std::size_t top = 0;          // keep only the N best (0: all)
  FindingOrder sort = FindingOrder::ranked;
};

inline constexpr int kDefaultMinScore = 30;

}  // namespace asyncsweep::score
