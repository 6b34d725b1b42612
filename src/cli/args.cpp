#include "cli/config.hpp"
#include "cli/roots.hpp"

#include <CLI/CLI.hpp>
#include <tbb/info.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

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
  if (suffix.empty()) scale = 1;
  else if (suffix == "K" || suffix == "k") scale = 1ull << 10;
  else if (suffix == "M" || suffix == "m") scale = 1ull << 20;
  else if (suffix == "G" || suffix == "g") scale = 1ull << 30;
  else throw std::invalid_argument("not a size (use a number with an optional K, M or G suffix): " + text);
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
      std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

ParseOutcome parse_command_line(int argc, const char* const* argv) {
  CLI::App app{"asyncsweep: sweep Python trees for asyncio antipatterns and rank the candidates for review"};
  app.set_version_flag("-V,--version", "asyncsweep 0.1.0");
  app.option_defaults()->always_capture_default();

  Config config;
  std::string format = "text";
  std::string color = "auto";
  std::string max_filesize = "100M";
  std::string jit_stack = "8M";
  int context = -1;
  std::vector<std::string> select;
  std::vector<std::string> ignore;

  auto add_rule_options = [&](CLI::App& target) {
    target.add_option("--rules", config.rule_files, "Load rule packs from these TOML files instead of the built-in pack")
        ->type_name("FILE")->check(CLI::ExistingFile)->allow_extra_args(false);
    target.add_option("--select", select, "Run only these rules (ids or categories, comma-separated)")->type_name("ID,...")->allow_extra_args(false);
    target.add_option("--ignore", ignore, "Do not run these rules (ids or categories, comma-separated)")->type_name("ID,...")->allow_extra_args(false);
  };

  app.add_option("paths", config.sweep.paths, "Files or directories to sweep (default: the current directory)")
      ->type_name("PATH");
  add_rule_options(app);
  app.add_option("--format", format, "Output format: text, json (JSON Lines), sarif, github (workflow annotations), markdown")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "markdown"}));
  app.add_option("-o,--output", config.output, "Write the report to FILE instead of stdout")->type_name("FILE");
  app.add_option("--baseline", config.baseline, "Show only findings that FILE (from --write-baseline) does not know")
      ->type_name("FILE")->check(CLI::ExistingFile);
  app.add_option("--write-baseline", config.write_baseline, "Record the current findings in FILE")->type_name("FILE");
  app.add_option("--color", color, "When to use colors")->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("-A,--after-context", config.sweep.search.context_after, "Lines of context after each finding")
      ->check(CLI::Range(0, 1000));
  app.add_option("-B,--before-context", config.sweep.search.context_before, "Lines of context before each finding")
      ->check(CLI::Range(0, 1000));
  app.add_option("-C,--context", context, "Lines of context before and after each finding")->check(CLI::Range(0, 1000));
  app.add_flag("--isolated", config.isolated, "Ignore [tool.asyncsweep] in pyproject.toml");
  CLI::Option* min_score_option = app.add_option("--min-score", config.min_score,
                 "Hide findings scoring below N (0..100; default 30 hides comment/string hits, awaited and nested calls)")
      ->check(CLI::Range(0, 100));
  app.add_option("--top", config.top, "Show only the N highest-ranked findings");
  std::string sort = "score";
  app.add_option("--sort", sort, "Order: score (descending, then path and line) or path")
      ->check(CLI::IsMember({"score", "path"}));
  app.add_flag("--report-unused-suppressions", config.sweep.report_unused_suppressions,
               "List `# asyncsweep: ignore` comments that suppressed nothing");
  app.add_flag("--seed-exact", config.sweep.search.seed_exact,
               "Only the document's rg stage: no pipeline semantics, every rule kind reported");
  app.add_option("-j,--threads", config.sweep.walk.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("--hidden", config.sweep.filter.hidden, "Search hidden files and directories");
  app.add_flag("--no-ignore", config.sweep.filter.no_ignore, "Do not respect .gitignore, .ignore and git excludes");
  app.add_option("-g,--glob", config.sweep.filter.globs, "Include or (with a leading !) exclude paths matching GLOB")
      ->type_name("GLOB")->allow_extra_args(false);
  app.add_option("-t,--type", config.sweep.filter.types, "Only search files of this type (e.g. py)")->type_name("TYPE")->allow_extra_args(false);
  app.add_flag("-L,--follow", config.sweep.walk.follow_links, "Follow symbolic links");
  app.add_option("--max-filesize", max_filesize, "Skip files larger than this (K, M, G suffixes)");
  app.add_option("--match-limit", config.sweep.search.limits.match_limit, "PCRE2 match limit per match attempt")
      ->check(CLI::Range(1u, 4000000000u));
  app.add_option("--jit-stack-size", jit_stack, "Largest PCRE2 JIT stack per thread (K, M, G suffixes)");
  app.add_flag("--files", config.sweep.list_files_only, "Print the files that would be searched, and search nothing");
  app.add_flag("--stats", config.stats, "Print statistics about the sweep on stderr");
  app.add_flag("--bench-read-only", config.sweep.read_only,
               "Benchmark floor: walk and read every file as a sweep would, but run no rule")
      ->group("");  // hidden: for bench/run only
  std::string shard;
  app.add_option("--shard", shard, "Search only shard I of N (0-based; auto/N: I from JOB_COMPLETION_INDEX, "
                                   "SLURM_ARRAY_TASK_ID or PARALLEL_SEQ); merge the outputs with `merge`")
      ->type_name("I/N");
  std::string roots_from;
  app.add_option("--roots-from", roots_from, "Also sweep the paths listed in FILE, one per line (# comments; - is stdin)")
      ->type_name("FILE");
  bool type_list = false;
  app.add_flag("--type-list", type_list, "Show the known file types and their globs");

  CLI::App* rules_command = app.add_subcommand("rules", "List the loaded rules with all their fields");
  std::string rules_format = "text";
  rules_command->add_option("--format", rules_format, "Output format")->check(CLI::IsMember({"text", "json"}));
  add_rule_options(*rules_command);

  CLI::App* import_command =
      app.add_subcommand("import-doc", "Turn a Markdown scan document's rg commands into a rule pack skeleton (TOML on stdout)");
  import_command->add_option("document", config.document, "The Markdown document")->required()->check(CLI::ExistingFile);

  CLI::App* inventory_command = app.add_subcommand(
      "inventory", "Step 0: count async functions, awaits, gather/TaskGroup/create_task calls per file and in total");
  std::string inventory_format = "text";
  inventory_command->add_option("paths", config.sweep.paths, "Files or directories (default: the current directory)")
      ->type_name("PATH");
  inventory_command->add_option("--format", inventory_format, "Output format")->check(CLI::IsMember({"text", "json"}));
  inventory_command->add_option("-j,--threads", config.sweep.walk.threads, "Worker threads")->check(CLI::Range(1, 1024));

  CLI::App* merge_command = app.add_subcommand(
      "merge", "Merge the JSON Lines outputs of --shard I/N sweeps into one result (every shard exactly once)");
  std::string merge_format = "json";
  merge_command->add_option("files", config.merge_files, "Shard outputs (asyncsweep --format json; - is stdin)")
      ->type_name("FILE")->required();
  merge_command->add_option("--format", merge_format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "markdown"}));
  merge_command->add_option("-o,--output", config.output, "Write the report to FILE instead of stdout")->type_name("FILE");
  merge_command->add_option("--top", config.top, "Show only the N first findings (give the shards' --top N)");
  merge_command->add_option("--sort", sort, "The shards' order: score (descending, then path and line) or path")
      ->check(CLI::IsMember({"score", "path"}));
  add_rule_options(*merge_command);

  ParseOutcome outcome;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    // Usage errors are exit 2, as for rg; --help and --version are 0.
    outcome.exit_code = code == 0 ? 0 : 2;
    return outcome;
  }

  try {
    config.sweep.max_filesize = parse_size(max_filesize);
    config.sweep.search.limits.jit_stack_max = parse_size(jit_stack);
    if (!shard.empty()) config.sweep.shard = sweep::parse_shard(shard, sweep::process_environment());
    if (!roots_from.empty()) {
      for (auto& root : read_root_list(roots_from)) config.sweep.paths.push_back(std::move(root));
    }
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "asyncsweep: error: %s\n", error.what());
    outcome.exit_code = 2;
    return outcome;
  }
  if (context >= 0) {
    if (config.sweep.search.context_before < 0) config.sweep.search.context_before = context;
    if (config.sweep.search.context_after < 0) config.sweep.search.context_after = context;
  }
  config.format = format == "json"       ? Format::json
                  : format == "sarif"    ? Format::sarif
                  : format == "github"   ? Format::github
                  : format == "markdown" ? Format::markdown
                                         : Format::text;
  config.color = color == "always" ? ColorMode::always : color == "never" ? ColorMode::never : ColorMode::automatic;
  if (rules_command->parsed()) {
    config.command = Command::rules;
    config.format = rules_format == "json" ? Format::json : Format::text;
  } else if (inventory_command->parsed()) {
    config.command = Command::inventory;
    config.sweep.inventory = true;
    config.format = inventory_format == "json" ? Format::json : Format::text;
  } else if (merge_command->parsed()) {
    config.command = Command::merge;
    config.format = merge_format == "json"       ? Format::json
                    : merge_format == "sarif"    ? Format::sarif
                    : merge_format == "github"   ? Format::github
                    : merge_format == "markdown" ? Format::markdown
                                                 : Format::text;
  } else if (import_command->parsed()) {
    config.command = Command::import_doc;
  } else if (type_list) {
    config.command = Command::type_list;
  }
  config.sort_by_path = sort == "path";
  // Progress only for people: stderr a terminal, and not a CI job (whose logs are files).
  const char* ci = std::getenv("CI");
  config.sweep.progress = ::isatty(STDERR_FILENO) && (ci == nullptr || *ci == '\0' || std::string(ci) == "false");
  // A test hook: how long a sweep runs before the first progress line.
  if (const char* delay = std::getenv("ASYNCSWEEP_PROGRESS_DELAY_MS"); delay != nullptr && *delay != '\0') {
    config.sweep.progress_delay_ms = std::max(0, std::atoi(delay));
  }
  config.min_score_given = min_score_option->count() > 0;
  config.select = split_commas(select);
  config.ignore = split_commas(ignore);
  std::error_code ec;
  config.sweep.filter.cwd = std::filesystem::current_path(ec).string();
  outcome.config = std::move(config);
  return outcome;
}

}  // namespace asyncsweep::cli
