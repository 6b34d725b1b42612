#include "cli/resolve.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "cli/changed_arg.hpp"
#include "cli/project_root.hpp"
#include "cli/roots.hpp"
#include "cli/shard_arg.hpp"
#include "cli/version.hpp"
#include "pyconfig/project_config.hpp"
#include "result/finding.hpp"

namespace asyncsweep::cli {

std::uint64_t parse_size(const std::string& text) {
  if (text.empty()) throw std::invalid_argument("empty size");
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("not a size: " + text);
  }
  std::string suffix = text.substr(used);
  std::uint64_t scale = 1;
  if (suffix.empty())
    scale = 1;
  else if (suffix == "K" || suffix == "k")
    scale = 1ull << 10;
  else if (suffix == "M" || suffix == "m")
    scale = 1ull << 20;
  else if (suffix == "G" || suffix == "g")
    scale = 1ull << 30;
  else
    throw std::invalid_argument("not a size (use a number with an optional K, M or G suffix): " +
                                text);
  if (value > (~0ull) / scale) throw std::invalid_argument("size too large: " + text);
  return value * scale;
}

namespace {

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      std::string item =
          value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

report::Format format_named(const std::string& name) {
  for (const auto& [format, format_name] : report::kFormatNames) {
    if (name == format_name) return format;
  }
  return report::Format::text;  // CLI11 let only the names above through
}

// At most one of them prints: the most terse wins, as -q silences rg's -c and -l.
report::Listing listing_of(const Args& args) {
  if (args.quiet) return report::Listing::quiet;
  if (args.files_with_matches) return report::Listing::files_with_matches;
  if (args.count) return report::Listing::count;
  if (args.statistics) return report::Listing::statistics;
  if (args.vimgrep) return report::Listing::vimgrep;
  return report::Listing::report;
}

// Progress only for people: stderr a terminal, and not a CI job (whose logs are files).
bool wants_progress(const Environment& env) {
  std::optional<std::string> ci = env("CI");
  return ::isatty(STDERR_FILENO) && (!ci || ci->empty() || *ci == "false");
}

}  // namespace

Options resolve(const Args& args, const Environment& env) {
  Options options;
  options.command = args.command;
  options.document = args.document;
  options.explain_id = args.explain_id;
  options.explain_all = args.explain_all;
  options.merge_files = args.merge_files;
  options.baseline = args.baseline;
  options.write_baseline = args.write_baseline;
  options.show_settings = args.show_settings;
  options.rules = RuleSelection{args.rule_files, split_commas(args.select),
                                split_commas(args.ignore), {}, args.seed_exact};
  // `rules` lists every rule; merge, like the shards, runs the preview rules with --preview.
  options.rules.preview.all = args.preview || args.command == Command::rules || args.command == Command::explain;
  options.rules.preview.ids = options.rules.select;
  for (auto& id : split_commas(args.extend_select)) options.rules.preview.ids.push_back(std::move(id));
  const rules::Preview command_line_preview = options.rules.preview;

  SweepConfig& sweep = options.sweep;
  sweep.paths = args.paths;
  sweep.max_filesize =
      std::min(parse_size(args.max_filesize), kLargestFile);  // positions are 32-bit
  sweep.search.limits.jit_stack_max = parse_size(args.jit_stack_size);
  sweep.search.limits.match_limit = args.match_limit;
  if (!args.shard.empty()) sweep.shard = parse_shard(args.shard, env);
  if (!args.roots_from.empty()) {
    for (auto& root : read_root_list(args.roots_from)) sweep.paths.push_back(std::move(root));
  }
  // `-` is standard input, as for rg and Ruff; --stdin-filename names it in the report.
  if (std::erase(sweep.paths, std::string("-")) > 0) {
    sweep.stdin_path = args.stdin_filename.empty() ? "-" : args.stdin_filename;
  }
  // Before anything is swept: an unknown REF or a malformed diff fails the run here.
  std::optional<change::SweepScope> change = change_scope(args, sweep.paths, !sweep.stdin_path.empty());
  if (change) sweep.walk.scope = change->walk;
  sweep.search.seed_exact = args.seed_exact;
  options.fix = fix_request(args, env, sweep);
  sweep.search.context_before = args.before_context >= 0 ? args.before_context : args.context;
  sweep.search.context_after = args.after_context >= 0 ? args.after_context : args.context;
  sweep.filter.hidden = args.hidden;
  sweep.filter.no_ignore = args.no_ignore;
  sweep.filter.globs = args.globs;
  sweep.filter.types = args.types;
  std::error_code ec;
  sweep.filter.cwd = std::filesystem::current_path(ec).string();
  sweep.filter.git_env =
      walk::GitEnvironment{env("HOME").value_or(""), env("XDG_CONFIG_HOME").value_or(""),
                           env("GIT_CONFIG_GLOBAL").value_or("")};
  sweep.walk.threads = args.threads;
  sweep.walk.follow_links = args.follow_links;
  sweep.list_files_only = args.files;
  sweep.read_only = args.bench_read_only;
  sweep.inventory = args.command == Command::inventory;
  sweep.report_unused_suppressions = args.report_unused_suppressions;
  sweep.progress = wants_progress(env);
  // A test hook: how long a sweep runs before the first progress line.
  if (auto delay = env("ASYNCSWEEP_PROGRESS_DELAY_MS"); delay && !delay->empty()) {
    sweep.progress_delay_ms = std::max(0, std::atoi(delay->c_str()));
  }

  // [tool.asyncsweep] supplies defaults for a sweep, each file from its nearest configuration
  // (pyconfig/config_tree.hpp); anything given on the command line wins.
  std::shared_ptr<const pyconfig::ConfigTree> configs;
  if (!args.isolated && (args.command == Command::sweep || !args.show_settings.empty())) {
    const RuleSelection selection = options.rules;
    configs = std::make_shared<const pyconfig::ConfigTree>(
        args.config, [selection](const pyconfig::ProjectConfig& config) -> std::string {
          RuleSelection own = selection;
          own.select = config.select;
          own.ignore = config.ignore;
          try {
            load_rules(own);  // rejects an unknown rule id or category, as --select does
          } catch (const std::exception& error) {
            return error.what();
          }
          return "";
        });
    // A malformed configuration at a root fails before the sweep, not once per file.
    for (const auto& root : sweep.paths.empty() ? std::vector<std::string>{"."} : sweep.paths) {
      std::error_code root_ec;
      pyconfig::ConfigLookup lookup = std::filesystem::is_directory(root, root_ec)
                                          ? configs->for_directory(root)
                                          : configs->for_file(root);
      if (!lookup.error.empty()) throw std::runtime_error(lookup.error);
      // The sweep's rule set is one for all files: a root's configuration can add preview rules
      // to it; triage then hides them in files whose own configuration does not enable them.
      if (lookup.config && !args.isolated) {
        const pyconfig::ProjectConfig& config = lookup.config->config;
        options.rules.preview.all = options.rules.preview.all || config.preview;
        for (const auto& id : config.select) options.rules.preview.ids.push_back(id);
      }
    }
  }
  // --extend-select adds to a selection; with none, every rule already runs.
  if (!options.rules.select.empty()) {
    for (auto& id : split_commas(args.extend_select)) options.rules.select.push_back(std::move(id));
  }
  options.exit_zero = args.exit_zero;
  options.configs = configs;
  const int min_score = args.min_score;

  // --seed-exact is the document's rg stage alone: no triage, findings by location.
  const bool by_path = args.sort == "path" || args.seed_exact;
  triage::TriageOptions triage;
  triage.seed_exact = args.seed_exact;
  triage.min_score = args.seed_exact ? 0 : min_score;
  triage.top = args.top;
  triage.exclude_tests = args.exclude_tests && !args.seed_exact;
  triage.order = args.sort == "path" ? FindingOrder::location : FindingOrder::ranked;
  if (!args.seed_exact) triage.configs = configs;
  triage.min_score_given = args.min_score_given;
  triage.select_given = !options.rules.select.empty();
  triage.ignore_given = !options.rules.ignore.empty();
  triage.preview = command_line_preview;
  if (change) triage.changed = change->lines;
  sweep.triage = triage;
  report::OutputOptions& output = options.output;
  output.format = format_named(args.format);
  const bool sarif = output.format == report::Format::sarif;
  sweep.line_hashes = sarif;
  options.merge =
      report::MergeOptions{by_path ? FindingOrder::location : FindingOrder::ranked, sarif, args.top > 0};
  output.path = args.output;
  output.color = args.output.empty() &&
                 (args.color == "always" || (args.color == "auto" && ::isatty(STDOUT_FILENO)));
  output.stats = args.stats;
  output.list_files = args.files;
  output.listing = listing_of(args);
  output.threads = args.threads;
  output.tool_version = std::string(version());
  if (!options.baseline.empty() || !options.write_baseline.empty()) {
    options.project_root = find_project_root(
        args.command == Command::sweep && !sweep.paths.empty() ? sweep.paths.front() : "",
        args.isolated ? "" : args.config);
  }
  return options;
}

rules::RulePack load_rules(const RuleSelection& selection) {
  std::vector<rules::RulePack> packs;
  if (selection.files.empty()) {
    packs.push_back(rules::load_default_pack());
  } else {
    for (const auto& file : selection.files) packs.push_back(rules::load_pack_file(file));
  }
  rules::RulePack pack =
      rules::select_rules(rules::merge_packs(std::move(packs)), selection.select, selection.ignore,
                          selection.preview);
  if (selection.document_only) {
    // Only the document's commands: rules that carry an rg command in `source`.
    std::erase_if(pack.rules, [](const rules::Rule& rule) { return rule.source.empty(); });
  }
  return pack;
}

}  // namespace asyncsweep::cli
