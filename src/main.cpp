// Wiring only: command line → rules → sweep → printer → exit code.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/config.hpp"
#include "report/output.hpp"
#include "rules/import_doc.hpp"
#include "rules/rule.hpp"
#include "score/scorer.hpp"
#include "search/rule_set.hpp"
#include "sweep/sweep.hpp"

namespace {

using namespace asyncsweep;

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

rules::RulePack load_rules(const cli::Config& config) {
  std::vector<rules::RulePack> packs;
  if (config.rule_files.empty()) {
    packs.push_back(rules::load_default_pack());
  } else {
    for (const auto& file : config.rule_files) packs.push_back(rules::load_pack_file(file));
  }
  return rules::select_rules(rules::merge_packs(std::move(packs)), config.select, config.ignore);
}

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
  search::RuleSet rules(load_rules(config));
  if (config.command == cli::Command::rules) {
    std::string out;
    if (config.format == cli::Format::json) report::print_rules_json(rules, out);
    else report::print_rules_text(rules, out);
    write_all(STDOUT_FILENO, out);
    return 0;
  }

  sweep::SweepResult result = sweep::run_sweep(config.sweep, rules);
  score::score_findings(result, rules, score::ScoreOptions{config.sweep.search.seed_exact});

  // Errors go to stderr as they would from rg, one per line, naming the file.
  std::string err;
  for (const auto& error : result.errors) {
    err += "asyncsweep: " + error.path + ": " + (error.rule.empty() ? "" : "rule " + error.rule + ": ") +
           error.message + "\n";
  }
  write_all(STDERR_FILENO, err);

  std::string out;
  if (config.sweep.list_files_only && config.format == cli::Format::text) {
    for (const auto& file : result.files) out += file + "\n";
  } else if (config.format == cli::Format::json) {
    report::print_json(result, rules, out);
  } else {
    bool color = config.color == cli::ColorMode::always ||
                 (config.color == cli::ColorMode::automatic && ::isatty(STDOUT_FILENO));
    report::print_text(result, rules, report::TextStyle{color, true}, out);
  }
  if (!write_all(STDOUT_FILENO, out)) return result.errors.empty() ? 0 : 2;
  if (config.stats) {
    std::string stats;
    report::print_json(sweep::SweepResult{{}, {}, {}, {}, {}, 0, result.stats}, rules, stats);
    write_all(STDERR_FILENO, stats);
  }
  if (!result.errors.empty()) return 2;
  if (config.sweep.list_files_only) return 0;
  return result.findings.empty() ? 0 : 1;
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
