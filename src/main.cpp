// Dispatch only: the command line → its meaning (cli/) → one command → an exit code.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/args.hpp"
#include "cli/resolve.hpp"
#include "cli/show_settings.hpp"
#include "fix/diff.hpp"
#include "fix/write.hpp"
#include "io/whole_file.hpp"
#include "report/baseline.hpp"
#include "report/emit.hpp"
#include "report/explain_output.hpp"
#include "report/output.hpp"
#include "report/merge.hpp"
#include "rules/import_doc.hpp"
#include "search/rule_set.hpp"
#include "sweep/sweep.hpp"
#include "triage/triage.hpp"

namespace {

using namespace asyncsweep;

int import_doc(const std::string& document) {
  io::WholeFile text = io::read_whole_file(document);
  if (!text) throw std::runtime_error(document + ": cannot read");
  report::write_all(STDOUT_FILENO, rules::import_document(text.bytes, document));
  return 0;
}

// 0 clean, 1 findings (unused suppressions are findings about the code too, like Ruff's
// RUF100), 2 errors.
int exit_code(const SweepResult& result, const cli::Options& options) {
  if (!result.errors.empty()) return 2;
  if (options.sweep.list_files_only) return 0;
  if (options.exit_zero) return 0;  // Ruff's --exit-zero
  return result.findings.empty() && result.unused_suppressions.empty() ? 0 : 1;
}

// `asyncsweep --write-baseline b.json . && git add b.json`: recording the findings is the
// command's success, so no report and exit 0 (2 still for files that could not be swept).
int write_baseline(const SweepResult& result, const search::RuleSet& rules,
                   const cli::Options& options) {
  report::write_file(options.write_baseline,
                     {report::write_baseline(result, rules, options.project_root)});
  report::emit_errors(result);
  report::write_all(STDERR_FILENO,
                    fmt::format("asyncsweep: wrote {} finding{} to {} (paths relative to {})\n",
                                result.findings.size(), result.findings.size() == 1 ? "" : "s",
                                options.write_baseline, options.project_root));
  return result.errors.empty() ? 0 : 2;
}

// Ids compare in any case, as --select reads them; preview rules are explained too. `--all`
// prints every rule: text blocks separated by a blank line, or one JSON object a line.
int explain(const cli::Options& options) {
  rules::RulePack pack = cli::load_rules(options.rules);
  const auto explain_one = [&](const rules::Rule& rule, std::string& out) {
    if (options.output.format == report::Format::json)
      report::print_explain_json(rule, out);
    else
      out += report::explain_text(rule);
  };
  std::string out;
  for (const auto& rule : pack.rules) {
    if (options.explain_all) {
      if (!out.empty() && options.output.format != report::Format::json) out += '\n';
      explain_one(rule, out);
      continue;
    }
    const bool same_id = std::ranges::equal(rule.id, options.explain_id, [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    if (same_id) {
      explain_one(rule, out);
      report::write_all(STDOUT_FILENO, out);
      return 0;
    }
  }
  if (options.explain_all) {
    report::write_all(STDOUT_FILENO, out);
    return 0;
  }
  report::write_all(STDERR_FILENO, "asyncsweep: error: " +
                                       report::unknown_rule_message(options.explain_id, pack) + "\n");
  return 2;
}

// --diff: the fixes as a patch on stdout, nothing written; 1 when there is anything to apply
// (Ruff's habit), 2 for files that could not be swept.
int print_diff(SweepResult& result, const std::vector<std::string>& roots) {
  for (auto& error : fix::drop_refused(result.fixes, roots)) result.errors.push_back(std::move(error));
  const std::string cwd = std::filesystem::current_path().string();
  std::string out;
  for (const auto& plan : result.fixes) out += fix::unified_diff(plan, fix::diff_path(plan.path, cwd));
  report::emit_errors(result);
  report::write_all(STDOUT_FILENO, out);
  const std::uint64_t count = count_fixes(result.fixes);
  report::write_all(STDERR_FILENO, fmt::format("asyncsweep: {} fix{} would be applied to {} file{}{}\n",
                                               count, count == 1 ? "" : "es", result.fixes.size(),
                                               result.fixes.size() == 1 ? "" : "s", count > 0 ? " (run with --fix)" : ""));
  if (!result.errors.empty()) return 2;
  return count > 0 ? 1 : 0;
}

// --fix-only: the counts, and 0 unless something could not be swept or written (as Ruff's).
int report_fix_only(const SweepResult& result, std::size_t files) {
  report::emit_errors(result);
  report::write_all(STDOUT_FILENO, fmt::format("{} fixed in {} file{}, {} finding{} remaining\n", result.fixed, files,
                                               files == 1 ? "" : "s", result.findings.size(),
                                               result.findings.size() == 1 ? "" : "s"));
  return result.errors.empty() ? 0 : 2;
}

int run(const cli::Options& options) {
  switch (options.command) {
    case cli::Command::type_list:
      report::emit_type_list();
      return 0;
    case cli::Command::import_doc:
      return import_doc(options.document);
    case cli::Command::explain:
      return explain(options);
    default:
      break;
  }
  search::RuleSet rules(cli::load_rules(options.rules));
  if (options.command == cli::Command::rules) {
    report::emit_rules(rules, options.output);
    return 0;
  }
  // Load the baseline first: a bad file must fail before a long sweep, not after it.
  std::optional<report::Baseline> baseline;
  if (!options.baseline.empty()) baseline = report::load_baseline(options.baseline);

  const bool merge = options.command == cli::Command::merge;
  auto sweep_and_triage = [&]() {
    SweepResult swept = merge ? report::merge_shard_files(options.merge_files, rules, options.merge)
                              : sweep::run_sweep(options.sweep, rules);
    if (!merge) triage::triage_sweep(swept, rules, *options.sweep.triage);  // merge: the shards did
    return swept;
  };
  SweepResult result = sweep_and_triage();
  if (!options.write_baseline.empty()) return write_baseline(result, rules, options);
  auto hide = [&](SweepResult& swept) {
    if (baseline) triage::triage_baseline(swept, rules, *baseline, options.project_root);
    triage::triage_top(swept, rules, *options.sweep.triage);
    keep_fixes_of(swept.fixes, swept.findings);  // what is shown, and nothing else, is fixed
  };
  hide(result);
  if (options.fix.mode == cli::FixMode::diff) return print_diff(result, options.fix.write.roots);
  if (options.fix.mode == cli::FixMode::fix || options.fix.mode == cli::FixMode::fix_only) {
    fix::WriteOutcome written = fix::write_fixes(result.fixes, options.fix.write);
    if (written.fixed > 0) {
      // What remains, where it is now (a removed line moves the findings below it): swept again.
      result = sweep_and_triage();
      hide(result);
    }
    result.fixed = written.fixed;
    for (auto& error : written.errors) result.errors.push_back(std::move(error));
    if (options.fix.mode == cli::FixMode::fix_only) return report_fix_only(result, written.fixed_paths.size());
  }

  report::emit_errors(result);
  if (options.command == cli::Command::inventory) {
    report::emit_inventory(result, options.output);
    return result.errors.empty() ? 0 : 2;
  }
  if (!report::emit_report(result, rules, options.output)) return result.errors.empty() ? 0 : 2;
  return exit_code(result, options);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (`| head`) must end the program quietly, not kill it with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  cli::ParseOutcome parsed = cli::parse_args(argc, argv);
  if (!parsed.args) return parsed.exit_code;
  try {
    cli::Options options = cli::resolve(*parsed.args, cli::process_environment());
    if (!options.show_settings.empty()) {
      report::write_all(STDOUT_FILENO, cli::show_settings(*parsed.args, options));
      return 0;
    }
    return run(options);
  } catch (const std::exception& error) {
    report::write_all(STDERR_FILENO, std::string("asyncsweep: error: ") + error.what() + "\n");
    return 2;
  }
}
