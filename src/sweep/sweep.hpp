// One sweep: walk → read → match, every file accounted for. Owns no global state; the
// result is a value the printers turn into output.
#pragma once

#include "config/sweep_config.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::sweep {

// Runs the sweep. Errors about individual paths are collected, never thrown; throws only for
// setup problems (bad glob, unknown type) as std::runtime_error.
SweepResult run_sweep(const SweepConfig& config, const search::RuleSet& rules);

}  // namespace asyncsweep::sweep
