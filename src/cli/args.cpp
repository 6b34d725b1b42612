#include "cli/args.hpp"

#include <unistd.h>

#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/command_spec.hpp"
#include "cli/version.hpp"
#include "text/suggest.hpp"

namespace asyncsweep::cli {

namespace {

std::vector<std::string> format_names(std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < count; ++i) names.push_back(report::kFormatNames[i].name);
  return names;
}

// Every long option of the program and its subcommands, as typed ("--top").
std::vector<std::string> long_options(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    for (auto& name : long_options(*sub)) names.push_back(std::move(name));
  }
  return names;
}

// A usage error as rg and Ruff print one: the program's name first, and for a mistyped
// option the nearest known one.
std::string usage_error(const CLI::App& app, const CLI::ParseError& error, int argc,
                        const char* const* argv) {
  std::string message = fmt::format("asyncsweep: error: {}\n", error.what());
  const std::vector<std::string> known = long_options(app);
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (!arg.starts_with("--")) continue;
    std::string name(arg.substr(0, arg.find('=')));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (auto near = text::nearest_name(name, known)) {
      message += fmt::format("  {}: did you mean {}?\n", name, *near);
    }
  }
  return message + "Run with --help for more information.\n";
}

// --top N: a count, never negative (CLI11 would wrap -1 round to "no limit").
const CLI::Validator kCount(
    [](std::string& value) {
      return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos
                 ? std::string()
                 : "must be a whole number >= 0 (0: no limit), not " + value;
    },
    "N");

}  // namespace

ParseOutcome parse_args(int argc, const char* const* argv) {
  CLI::App app{"asyncsweep: sweep Python trees for asyncio antipatterns and rank the candidates for review"};
  app.set_version_flag("-V,--version", "asyncsweep " + std::string(version()));
  app.option_defaults()->always_capture_default();
  // A repeated option: the last one wins, as in rg and Ruff (lists such as --select still add up).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  Args args;
  const auto all_formats = format_names(std::size(report::kFormatNames));
  const auto text_or_json = format_names(2);

  auto add_rule_options = [&](CLI::App& target) {
    target.add_option("--rules", args.rule_files, "Load rule packs from these TOML files instead of the built-in pack")
        ->type_name("FILE")->check(CLI::ExistingFile)->allow_extra_args(false);
    target.add_option("--select", args.select, "Run only these rules (ids or categories, comma-separated)")->type_name("ID,...")->allow_extra_args(false);
    target.add_option("--extend-select", args.extend_select, "Add these rules to the selection (Ruff's --extend-select)")
        ->type_name("ID,...")->allow_extra_args(false);
    target.add_flag("--preview", args.preview,
                    "Also run preview rules (not yet stable); one selected by its exact id runs without it");
    target.add_option("--ignore", args.ignore, "Do not run these rules (ids or categories, comma-separated)")->type_name("ID,...")->allow_extra_args(false);
  };

  app.add_option("paths", args.paths, "Files or directories to sweep (default: the current directory)")
      ->type_name("PATH");
  add_rule_options(app);
  app.add_option("--format,--output-format", args.format,
                 "Output format: text, json (JSON Lines), sarif, github (workflow annotations), markdown, rg (path:line:text)")
      ->check(CLI::IsMember(all_formats));
  app.add_option("-o,--output", args.output, "Write the report to FILE instead of stdout")->type_name("FILE");
  app.add_option("--baseline", args.baseline, "Show only findings that FILE (from --write-baseline) does not know")
      ->type_name("FILE")->check(CLI::ExistingFile);
  app.add_option("--write-baseline", args.write_baseline, "Record the current findings in FILE")->type_name("FILE");
  app.add_option("--color", args.color, "When to use colors")->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("-A,--after-context", args.after_context, "Lines of context after each finding")
      ->check(CLI::Range(0, 1000));
  app.add_option("-B,--before-context", args.before_context, "Lines of context before each finding")
      ->check(CLI::Range(0, 1000));
  app.add_option("-C,--context", args.context, "Lines of context before and after each finding")->check(CLI::Range(0, 1000));
  app.add_flag("--isolated", args.isolated, "Ignore [tool.asyncsweep] in pyproject.toml");
  app.add_option("--config", args.config, "Use this asyncsweep.toml or pyproject.toml for every file (no lookup)")
      ->type_name("FILE");
  app.add_option("--show-settings", args.show_settings, "Print the settings that apply to PATH, and where they come from")
      ->type_name("PATH");
  CLI::Option* min_score_option = app.add_option("--min-score", args.min_score,
                 fmt::format("Hide findings scoring below N (0..100; default {} hides comment/string hits, awaited and nested calls)", kDefaultMinScore))
      ->check(CLI::Range(0, 100));
  app.add_option("--top", args.top, "Show only the N highest-ranked findings")->check(kCount);
  app.add_flag("--vimgrep", args.vimgrep, "Print path:line:column:text, one line per finding (rg --vimgrep)");
  app.add_flag("-c,--count", args.count, "Print path:count for each file with findings (rg -c)");
  app.add_flag("-l,--files-with-matches", args.files_with_matches, "Print each file with findings (rg -l)");
  app.add_flag("--statistics", args.statistics, "Print the number of findings per rule (Ruff's --statistics)");
  app.add_flag("-q,--quiet", args.quiet, "Print no report: the exit code says whether there are findings (rg -q)");
  app.add_option("--stdin-filename", args.stdin_filename, "The path to report for - (standard input), as Ruff's")
      ->type_name("PATH");
  app.add_flag("--exit-zero", args.exit_zero, "Exit 0 even when there are findings (errors still exit 2), as Ruff's --exit-zero");
  app.add_option("--sort", args.sort, "Order: score (descending, then path and line) or path")
      ->check(CLI::IsMember({"score", "path"}));
  app.add_flag("--exclude-tests", args.exclude_tests,
               "Hide findings in test code (tests/ or test/ directories, test_*.py, *_test.py, conftest.py)");
  app.add_flag("--report-unused-suppressions", args.report_unused_suppressions,
               "List `# asyncsweep: ignore` comments that suppressed nothing");
  app.add_flag("--seed-exact", args.seed_exact,
               "Only the document's rg stage: no pipeline semantics, every rule kind reported");
  app.add_option("-j,--threads", args.threads, "Worker threads (0, the default: all cores)")
      ->check(CLI::Range(0, 1024));
  app.add_flag("--hidden", args.hidden, "Search hidden files and directories");
  app.add_flag("--no-ignore", args.no_ignore, "Do not respect .gitignore, .ignore and git excludes");
  app.add_option("-g,--glob", args.globs, "Include or (with a leading !) exclude paths matching GLOB")
      ->type_name("GLOB")->allow_extra_args(false);
  app.add_option("-t,--type", args.types, "Only search files of this type (e.g. py)")->type_name("TYPE")->allow_extra_args(false);
  app.add_flag("-L,--follow", args.follow_links, "Follow symbolic links");
  app.add_option("--max-filesize", args.max_filesize, "Skip files larger than this (K, M, G suffixes)");
  app.add_option("--match-limit", args.match_limit, "PCRE2 match limit per match attempt")
      ->check(CLI::Range(1u, 4000000000u));
  app.add_option("--jit-stack-size", args.jit_stack_size, "Largest PCRE2 JIT stack per thread (K, M, G suffixes)");
  app.add_flag("--files", args.files, "Print the files that would be searched, and search nothing");
  app.add_flag("--stats", args.stats, "Print statistics about the sweep on stderr");
  app.add_flag("--bench-read-only", args.bench_read_only,
               "Benchmark floor: walk and read every file as a sweep would, but run no rule")
      ->group("");  // hidden: for bench/run only
  app.add_option("--shard", args.shard, "Search only shard I of N (0-based; auto/N: I from JOB_COMPLETION_INDEX, "
                                   "SLURM_ARRAY_TASK_ID or PARALLEL_SEQ); merge the outputs with `merge`")
      ->type_name("I/N");
  app.add_option("--roots-from", args.roots_from, "Also sweep the paths listed in FILE, one per line (# comments; - is stdin)")
      ->type_name("FILE");
  app.add_option("--changed-since", args.changed_since,
                 "Sweep only the files changed since the merge base of REF and HEAD (committed, staged, "
                 "unstaged, untracked) and report only findings on the lines changed")
      ->type_name("REF")
      // An unset CI variable (`--changed-since "$BASE"`) must not turn a review into a whole sweep.
      ->check(CLI::Validator(
          [](const std::string& ref) { return ref.empty() ? std::string("needs a revision (a branch, tag or commit)") : std::string(); },
          "REF"));
  app.add_option("--changed-lines", args.changed_lines,
                 "Report only findings on the lines a unified diff adds or changes (paths as patch -p1 "
                 "takes them, from the current directory; - is stdin)")
      ->type_name("FILE");
  app.add_flag("--fix", args.fix, "Apply the safe fixes (get_running_loop, await asyncio.sleep, redundant "
               "@pytest.mark.asyncio) and report what remains");
  app.add_flag("--diff", args.diff, "Print the safe fixes as a unified diff (patch -p1) and write nothing; "
               "exit 1 when there is any");
  app.add_flag("--fix-only", args.fix_only, "Apply the safe fixes and print only how many were applied");
  bool type_list = false;
  app.add_flag("--type-list", type_list, "Show the known file types and their globs");
  std::string generate_kind;
  app.add_option("--generate", generate_kind,
                 "Print the man page (man) or a shell completion script (complete-bash, complete-zsh, complete-fish)")
      ->type_name("KIND")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kGeneratedNames), std::end(kGeneratedNames))));

  CLI::App* rules_command = app.add_subcommand("rules", "List the loaded rules with all their fields");
  std::string rules_format = report::format_name(report::Format::text);
  rules_command->add_option("--format", rules_format, "Output format")->check(CLI::IsMember(text_or_json));
  add_rule_options(*rules_command);

  CLI::App* explain_command = app.add_subcommand(
      "explain", "Explain one rule: why it matters, the guide's section and command, the fix, an example");
  CLI::Option* explain_id =
      explain_command->add_option("id", args.explain_id, "The rule id, e.g. ASW106")->type_name("ID");
  // Ruff's `ruff rule --all`: every rule in one run, for a reader or a script.
  explain_command->add_flag("--all", args.explain_all, "Explain every rule of the pack")->excludes(explain_id);
  explain_command->final_callback([explain_command, &args] {
    if (args.explain_id.empty() && !args.explain_all)
      throw CLI::RequiredError(explain_command->get_name() + ": a rule id (e.g. ASW106) or --all");
  });
  std::string explain_format = report::format_name(report::Format::text);
  explain_command->add_option("--format", explain_format, "Output format")->check(CLI::IsMember(text_or_json));
  explain_command->add_option("--rules", args.rule_files, "Explain the rules of these TOML packs instead of the built-in pack")
      ->type_name("FILE");

  CLI::App* import_command =
      app.add_subcommand("import-doc", "Turn a Markdown scan document's rg commands into a rule pack skeleton (TOML on stdout)");
  import_command->add_option("document", args.document, "The Markdown document")->required()->check(CLI::ExistingFile);

  CLI::App* inventory_command = app.add_subcommand(
      "inventory", "Step 0: count async functions, awaits, gather/TaskGroup/create_task calls per file and in total");
  std::string inventory_format = report::format_name(report::Format::text);
  inventory_command->add_option("paths", args.paths, "Files or directories (default: the current directory)")
      ->type_name("PATH");
  inventory_command->add_option("--format", inventory_format, "Output format")->check(CLI::IsMember(text_or_json));
  inventory_command->add_option("-j,--threads", args.threads, "Worker threads (0: all cores)")->check(CLI::Range(0, 1024));

  CLI::App* merge_command = app.add_subcommand(
      "merge", "Merge the JSON Lines outputs of --shard I/N sweeps into one result (every shard exactly once)");
  std::string merge_format = report::format_name(report::Format::json);
  merge_command->add_option("files", args.merge_files, "Shard outputs (asyncsweep --format json; - is stdin)")
      ->type_name("FILE")->required();
  merge_command->add_option("--format", merge_format, "Output format")
      ->check(CLI::IsMember(all_formats));
  merge_command->add_option("-o,--output", args.output, "Write the report to FILE instead of stdout")->type_name("FILE");
  merge_command->add_option("--top", args.top, "Show only the N first findings (give the shards' --top N)")
      ->check(kCount);
  merge_command->add_option("--sort", args.sort, "The shards' order: score (descending, then path and line) or path")
      ->check(CLI::IsMember({"score", "path"}));
  add_rule_options(*merge_command);

  ParseOutcome outcome;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {  // --help, --version
      app.exit(error);
      return outcome;
    }
    // Usage errors are exit 2, as for rg.
    report::write_all(STDERR_FILENO, usage_error(app, error, argc, argv));
    outcome.exit_code = 2;
    return outcome;
  }

  if (!generate_kind.empty()) {  // as --help: print and stop
    const auto* kind = std::find(std::begin(kGeneratedNames), std::end(kGeneratedNames), generate_kind);
    report::write_all(STDOUT_FILENO,
                      generate(describe(app, "asyncsweep"),
                               static_cast<Generated>(kind - std::begin(kGeneratedNames))));
    return outcome;
  }
  if (rules_command->parsed()) {
    args.command = Command::rules;
    args.format = rules_format;
  } else if (explain_command->parsed()) {
    args.command = Command::explain;
    args.format = explain_format;
  } else if (inventory_command->parsed()) {
    args.command = Command::inventory;
    args.format = inventory_format;
  } else if (merge_command->parsed()) {
    args.command = Command::merge;
    args.format = merge_format;
  } else if (import_command->parsed()) {
    args.command = Command::import_doc;
  } else if (type_list) {
    args.command = Command::type_list;
  }
  args.min_score_given = min_score_option->count() > 0;
  outcome.args = std::move(args);
  return outcome;
}

}  // namespace asyncsweep::cli
