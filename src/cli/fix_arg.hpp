// --fix, --diff and --fix-only: what happens to the sweep's safe fixes (fix/).
#pragma once

#include "cli/args.hpp"
#include "cli/environment.hpp"
#include "config/sweep_config.hpp"
#include "fix/write.hpp"

namespace asyncsweep::cli {

enum class FixMode {
  report,    // fixable findings are marked, nothing is written
  fix,       // --fix: written, what remains is reported
  diff,      // --diff: printed as a unified diff, nothing written (wins over --fix, as in Ruff)
  fix_only,  // --fix-only: written, only the counts printed
};

struct FixRequest {
  FixMode mode = FixMode::report;
  fix::WriteOptions write;
};

// Throws std::invalid_argument for what cannot be fixed: standard input, a shard (its files
// are another process's too), --seed-exact (no line model), --write-baseline, a subcommand.
// Sets sweep.fixes and sweep.keep_fix_sources.
FixRequest fix_request(const Args& args, const Environment& env, SweepConfig& sweep);

}  // namespace asyncsweep::cli
