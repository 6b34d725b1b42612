// What the command line means (ripgrep's HiArgs): the one place where the flat arguments
// (cli/args.hpp), [tool.asyncsweep] from pyproject.toml, the environment and the defaults
// meet. Every subsystem gets its options from here, immutable; nothing below reads argv, the
// environment or pyproject.toml itself.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/environment.hpp"
#include "cli/fix_arg.hpp"
#include "config/sweep_config.hpp"
#include "pyconfig/config_tree.hpp"
#include "report/emit.hpp"
#include "report/merge.hpp"
#include "rules/rule.hpp"

namespace asyncsweep::cli {

struct RuleSelection {
  std::vector<std::string> files;   // empty: the embedded default pack
  std::vector<std::string> select;  // rule ids or categories; empty: all
  std::vector<std::string> ignore;
  rules::Preview preview;      // which preview rules may run (rules/rule.hpp)
  bool document_only = false;  // --seed-exact: only rules that carry the document's rg command
};

struct Options {
  Command command = Command::sweep;
  RuleSelection rules;
  SweepConfig sweep;           // sweep and inventory; sweep.triage is always set
  report::MergeOptions merge;  // merge
  std::vector<std::string> merge_files;
  std::string document;        // import-doc
  std::string explain_id;      // explain
  bool explain_all = false;    // explain --all
  std::string baseline;        // --baseline FILE: hide findings it knows
  std::string write_baseline;  // --write-baseline FILE
  bool exit_zero = false;      // --exit-zero: findings alone do not fail the run
  std::string show_settings;   // --show-settings PATH: print its settings and stop
  std::shared_ptr<const pyconfig::ConfigTree> configs;  // null: --isolated, or not a sweep
  std::string project_root;    // what baseline paths are relative to; set with either of them
  report::OutputOptions output;
  FixRequest fix;              // --fix, --diff, --fix-only
};

// Throws std::invalid_argument (a bad size, shard or roots file) and std::runtime_error (a
// malformed pyproject.toml), with messages that name the argument or the file.
Options resolve(const Args& args, const Environment& env);

// The rule pack the selection names: the built-in pack or the files, then --select/--ignore.
rules::RulePack load_rules(const RuleSelection& selection);

// "1024", "10K", "64M", "2G" → bytes. Throws std::invalid_argument.
std::uint64_t parse_size(const std::string& text);

}  // namespace asyncsweep::cli
