// Wiring only: command line → rules → sweep → printer → exit code.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/config.hpp"
#include "pyconfig/project_config.hpp"
#include "report/baseline.hpp"
#include "report/formats.hpp"
#include "report/merge.hpp"
#include "report/output.hpp"
#include "rules/import_doc.hpp"
#include "rules/rule.hpp"
#include "search/rule_set.hpp"
#include "sweep/sweep.hpp"
#include "triage/triage.hpp"

namespace {

using namespace asyncsweep;

constexpr const char* kVersion = "0.1.0";

// Writes everything; false when the reader went away (EPIPE), which ends the program quietly.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool write_all(int fd, const std::vector<std::string>& pieces) {
  return std::all_of(pieces.begin(), pieces.end(),
                     [fd](const std::string& piece) { return write_all(fd, piece); });
}

// Writes a whole file or throws naming it: a full disk must not pass for a short report.
void write_file(const std::string& path, const std::vector<std::string>& pieces) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": cannot open for writing: " + std::strerror(errno));
  bool ok = write_all(fd, pieces);
  int saved = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) throw std::runtime_error(path + ": write failed: " + std::strerror(saved));
}

rules::RulePack load_rules(const cli::Config& config) {
  std::vector<rules::RulePack> packs;
  if (config.rule_files.empty()) {
    packs.push_back(rules::load_default_pack());
  } else {
    for (const auto& file : config.rule_files) packs.push_back(rules::load_pack_file(file));
  }
  rules::RulePack pack = rules::select_rules(rules::merge_packs(std::move(packs)), config.select, config.ignore);
  if (config.sweep.search.seed_exact) {
    // Only the document's commands: rules that carry an rg command in `source`.
    std::erase_if(pack.rules, [](const rules::Rule& rule) { return rule.source.empty(); });
  }
  return pack;
}

int run_with(const cli::Config& config, const std::optional<pyconfig::ProjectConfig>& project);

int run(const cli::Config& config) {
  if (config.command == cli::Command::type_list) {
    std::string out;
    for (const auto& [name, globs] : walk::Filter::type_table()) {
      out += name + ":";
      for (std::size_t i = 0; i < globs.size(); ++i) out += (i ? ", " : " ") + globs[i];
      out += '\n';
    }
    write_all(STDOUT_FILENO, out);
    return 0;
  }
  if (config.command == cli::Command::import_doc) {
    std::ifstream in(config.document, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error(config.document + ": cannot read");
    write_all(STDOUT_FILENO, rules::import_document(text.str(), config.document));
    return 0;
  }
  // [tool.asyncsweep] supplies defaults; anything given on the command line wins.
  std::optional<pyconfig::ProjectConfig> project;
  if (!config.isolated && config.command == cli::Command::sweep) {
    project = pyconfig::find_project_config(config.sweep.filter.cwd.empty() ? "." : config.sweep.filter.cwd);
  }
  cli::Config effective = config;
  if (project) {
    if (effective.select.empty()) effective.select = project->select;
    if (effective.ignore.empty()) effective.ignore = project->ignore;
    for (const auto& glob : project->exclude) effective.sweep.filter.globs.push_back("!" + glob);
    if (!effective.min_score_given && project->min_score) effective.min_score = *project->min_score;
  }
  return run_with(effective, project);
}

int run_with(const cli::Config& config, const std::optional<pyconfig::ProjectConfig>& project) {
  search::RuleSet rules(load_rules(config));
  if (config.command == cli::Command::rules) {
    std::string out;
    if (config.format == cli::Format::json) report::print_rules_json(rules, out);
    else report::print_rules_text(rules, out);
    write_all(STDOUT_FILENO, out);
    return 0;
  }

  // Load the baseline first: a bad file must fail before a long sweep, not after it.
  std::optional<report::Baseline> baseline;
  if (!config.baseline.empty()) baseline = report::load_baseline(config.baseline);

  const report::MergeOptions merging{config.top, config.sort_by_path || config.sweep.search.seed_exact
                                                     ? FindingOrder::location
                                                     : FindingOrder::ranked};
  triage::TriageOptions triage;
  triage.seed_exact = config.sweep.search.seed_exact;
  triage.min_score = config.sweep.search.seed_exact ? 0 : config.min_score;
  triage.top = config.top;
  triage.order = config.sort_by_path ? FindingOrder::location : FindingOrder::ranked;
  if (project && !config.sweep.search.seed_exact) triage.project = project;
  sweep::SweepConfig sweep_config = config.sweep;
  sweep_config.triage = triage;  // each file's findings scored and triaged as the sweep goes
  SweepResult result = config.command == cli::Command::merge
                           ? report::merge_shard_files(config.merge_files, rules, merging)  // triaged by the shards
                           : sweep::run_sweep(sweep_config, rules);
  if (config.command != cli::Command::merge) triage::triage_sweep(result, rules, triage);
  if (!config.write_baseline.empty()) {
    write_file(config.write_baseline, {report::write_baseline(result, rules)});
  }
  if (baseline) triage::triage_baseline(result, rules, *baseline);

  // Errors go to stderr as they would from rg, one per line, naming the file.
  std::string err;
  for (const auto& error : result.errors) {
    err += "asyncsweep: " + error.path + ": " + (error.rule.empty() ? "" : "rule " + error.rule + ": ") +
           error.message + "\n";
  }
  write_all(STDERR_FILENO, err);

  std::string out;
  std::vector<std::string> pieces;  // JSON: written in the pieces it was formatted in
  if (config.command == cli::Command::inventory) {
    if (config.format == cli::Format::json) report::print_inventory_json(result, out);
    else report::print_inventory_text(result, out);
    if (!config.output.empty())
      write_file(config.output, {out});
    else write_all(STDOUT_FILENO, out);
    return result.errors.empty() ? 0 : 2;
  }
  switch (config.format) {
    case cli::Format::json:
      report::print_json(result, rules, pieces, config.sweep.walk.threads);
      break;
    case cli::Format::sarif: {
      report::SarifOptions options;
      options.tool_version = kVersion;
      report::print_sarif(result, rules, out, options);
      break;
    }
    case cli::Format::github: report::print_github(result, rules, out); break;
    case cli::Format::markdown: report::print_markdown(result, rules, out); break;
    case cli::Format::text:
      if (config.sweep.list_files_only || !result.files.empty()) {  // merged --files outputs too
        for (const auto& file : result.files) out += file + "\n";
      } else {
        bool color = config.output.empty() && (config.color == cli::ColorMode::always ||
                                               (config.color == cli::ColorMode::automatic && ::isatty(STDOUT_FILENO)));
        report::print_text(result, rules, report::TextStyle{color, true}, out);
      }
      break;
  }
  if (pieces.empty()) pieces.push_back(std::move(out));
  if (!config.output.empty()) {
    write_file(config.output, pieces);
  } else if (!write_all(STDOUT_FILENO, pieces)) {
    // Only a reader that went away (`| head`) ends quietly: a full disk is not a report.
    if (errno != EPIPE) throw std::runtime_error(std::string("<stdout>: write failed: ") + std::strerror(errno));
    return result.errors.empty() ? 0 : 2;
  }
  if (config.stats) {
    std::string stats;
    report::print_summary_json(result, rules, stats);
    write_all(STDERR_FILENO, stats);
  }
  if (!result.errors.empty()) return 2;
  if (config.sweep.list_files_only) return 0;
  // Unused suppressions are findings about the code too (like Ruff's RUF100).
  return result.findings.empty() && result.unused_suppressions.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (`| head`) must end the program quietly, not kill it with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  cli::ParseOutcome parsed = cli::parse_command_line(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  try {
    return run(*parsed.config);
  } catch (const std::exception& error) {
    std::string message = std::string("asyncsweep: error: ") + error.what() + "\n";
    write_all(STDERR_FILENO, message);
    return 2;
  }
}
