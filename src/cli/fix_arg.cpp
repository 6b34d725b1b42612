#include "cli/fix_arg.hpp"

#include <stdexcept>
#include <string>

namespace asyncsweep::cli {

FixRequest fix_request(const Args& args, const Environment& env, SweepConfig& sweep) {
  FixRequest request;
  request.mode = args.diff       ? FixMode::diff
                 : args.fix_only ? FixMode::fix_only
                 : args.fix      ? FixMode::fix
                                 : FixMode::report;
  // Fixable findings are marked in every scored sweep of Python code.
  sweep.fixes = !args.seed_exact;
  if (request.mode == FixMode::report) return request;
  const std::string flag = args.diff ? "--diff" : args.fix_only ? "--fix-only" : "--fix";
  auto refuse = [&flag](const std::string& why) { throw std::invalid_argument(flag + " " + why); };
  if (args.command != Command::sweep) refuse("works on a sweep only");
  if (!sweep.stdin_path.empty()) refuse("cannot write standard input (-): give the file's path");
  if (sweep.shard.active()) refuse("cannot go with --shard: fix the whole tree in one run");
  if (args.seed_exact) refuse("cannot go with --seed-exact: the fixes need the Python line model");
  if (!args.write_baseline.empty()) refuse("cannot go with --write-baseline");
  sweep.keep_fix_sources = true;
  request.write.roots = sweep.paths;
  if (auto hook = env("ASYNCSWEEP_TEST_PAUSE_BEFORE_FIX"); hook && *hook == "1")
    request.write.pause_before_write = true;
  return request;
}

}  // namespace asyncsweep::cli
