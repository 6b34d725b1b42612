// Dispatch only: the command line → its meaning (cli/) → one command → an exit code.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/args.hpp"
#include "cli/resolve.hpp"
#include "cli/show_settings.hpp"
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
  SweepResult result = merge ? report::merge_shard_files(options.merge_files, rules, options.merge)
                             : sweep::run_sweep(options.sweep, rules);
  if (!merge) triage::triage_sweep(result, rules, *options.sweep.triage);  // merge: the shards did
  if (!options.write_baseline.empty()) return write_baseline(result, rules, options);
  if (baseline) triage::triage_baseline(result, rules, *baseline, options.project_root);
  triage::triage_top(result, rules, *options.sweep.triage);

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
