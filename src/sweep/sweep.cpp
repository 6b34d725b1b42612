#include "sweep/sweep.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <tbb/enumerable_thread_specific.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <unordered_map>
#include <unistd.h>

#include "analyze/python_features.hpp"
#include "analyze/resolved_calls.hpp"
#include "analyze/summaries.hpp"
#include "fix/edits.hpp"
#include "pyconfig/pytest_config.hpp"
#include "python/model.hpp"
#include "report/fingerprint.hpp"
#include "result/finding_order.hpp"
#include "score/scorer.hpp"
#include "search/file_reader.hpp"
#include "sweep/progress.hpp"
#include "sweep/shard.hpp"
#include "transitive/closure.hpp"
#include "transitive/join.hpp"
#include "walk/glob.hpp"

namespace asyncsweep::sweep {

namespace {

void release_free_memory() {
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
}

// Rules that select files the same way (types and globs) form a group, so that deciding
// which rules apply to a file costs one check per group, not per rule.
struct FileGroup {
  std::vector<std::string> types;
  std::vector<std::string> globs;
  std::vector<walk::Glob> compiled_globs;     // globs, matched against the basename as rg -g
  std::unique_ptr<walk::Filter> type_filter;  // only for matches_types()
  std::vector<std::uint32_t> rules;

  // rg's order: a -g hit is final (even over ignore files and hidden names); then ignore
  // files; then a type match, which lets a hidden file through; then hidden.
  bool applies(walk::Verdict verdict, std::string_view name) const {
    if (!compiled_globs.empty()) {
      return std::any_of(compiled_globs.begin(), compiled_globs.end(),
                         [&](const walk::Glob& glob) { return glob.matches(name); });
    }
    if (verdict == walk::Verdict::ignored_by_ignore_file) return false;
    if (!types.empty()) return type_filter->matches_types(name);
    return verdict == walk::Verdict::include;
  }
};

FileGroup make_group(std::vector<std::string> types, std::vector<std::string> globs, const walk::FilterOptions& base) {
  FileGroup group;
  group.types = std::move(types);
  group.globs = std::move(globs);
  // Rule packs are checked on loading (rules::parse_pack): these compile.
  for (const auto& glob : group.globs) group.compiled_globs.push_back(walk::Glob::compile(glob));
  walk::FilterOptions options;
  options.types = group.types;
  options.no_ignore = true;
  options.cwd = base.cwd;
  group.type_filter = std::make_unique<walk::Filter>(options);
  return group;
}

std::vector<FileGroup> make_groups(const search::RuleSet& rules, const walk::FilterOptions& base, bool inventory) {
  std::vector<FileGroup> groups;
  if (inventory) {
    // Step 0 inventory reads Python sources only, whatever the rules are.
    groups.push_back(make_group({"py"}, {}, base));
    return groups;
  }
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i].rule;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const FileGroup& g) {
      return g.types == rule.types && g.globs == rule.globs;
    });
    if (it == groups.end()) {
      groups.push_back(make_group(rule.types, rule.globs, base));
      it = groups.end() - 1;
    }
    it->rules.push_back(i);
  }
  return groups;
}

// The module a Python file is (analyze::module_name), with `package_dirs` the thread's cache of
// which directories hold an __init__.py.
std::string module_of(std::unordered_map<std::string, bool>& package_dirs,
                      const std::string& path) {
  return analyze::module_name(path, [&package_dirs](std::string_view dir) {
    auto [it, fresh] = package_dirs.try_emplace(std::string(dir), false);
    if (fresh) it->second = ::access((it->first + "/__init__.py").c_str(), F_OK) == 0;
    return it->second;
  });
}

// (module, path) pairs from the walk's threads, as the closure looks them up: sorted, the first
// path in order for a name that two roots share.
transitive::ModuleFiles module_files(std::vector<std::pair<std::string, std::string>> all) {
  std::sort(all.begin(), all.end());
  transitive::ModuleFiles out;
  out.reserve(all.size());
  for (auto& [module, path] : all) {  // by module, then path: a module's first path is kept
    if (!module.empty() && (out.empty() || out.back().first != module))
      out.emplace_back(std::move(module), std::move(path));
  }
  return out;
}

// Whether the walk hands `entry` to the rules as a Python file (the closure's modules).
bool python_module_file(const walk::FileEntry& entry) {
  return (entry.explicit_arg || entry.verdict == walk::Verdict::include) &&
         analyze::is_python_name(entry.name);
}

// Every Python file under the roots, when a change keeps the sweep's walk to the files it
// touched: a chain from a changed coroutine leads into files the change did not touch. Names
// only, nothing is read; the sweep's walk reported the errors and ignored entries.
class ModuleWalk final : public walk::Visitor {
 public:
  void file(const walk::FileEntry& entry) override {
    if (!python_module_file(entry)) return;
    State& state = states_.local();
    state.modules.emplace_back(module_of(state.package_dirs, entry.path), entry.path);
  }
  void ignored(walk::IgnoreReason, bool) override {}
  void error(const std::string&, const std::string&) override {}
  transitive::ModuleFiles modules() {
    std::vector<std::pair<std::string, std::string>> all;
    for (auto& state : states_)
      std::move(state.modules.begin(), state.modules.end(), std::back_inserter(all));
    return module_files(std::move(all));
  }

 private:
  struct State {
    std::vector<std::pair<std::string, std::string>> modules;
    std::unordered_map<std::string, bool> package_dirs;
  };
  tbb::enumerable_thread_specific<State> states_;
};

struct ThreadState {
  ThreadState(const search::RuleSet& rules, const SweepConfig& config, bool summarize)
      : searcher(rules, config.search), qualified_names(rules) {
    stats.matched_lines.assign(rules.size(), 0);
    if (config.triage) scorer.emplace(rules, score::ScoreOptions{config.triage->seed_exact});
    if (summarize) blocking.emplace(rules);
  }
  search::Searcher searcher;
  analyze::QualifiedNames qualified_names;  // resolved calls: the qualified names against the rules
  std::optional<score::FileScorer> scorer;
  std::vector<Finding> suppressed;
  std::uint64_t below_min_score = 0;
  std::uint64_t outside_change = 0;
  search::ReadBuffer buffer;
  std::vector<std::uint32_t> applicable;
  search::FileOutcome outcome;
  // In blocks reserved once: a vector grown by doubling moves every finding again each time
  // and faults in fresh pages for it (most of the page faults of a sweep with many findings).
  std::vector<std::vector<Finding>> finding_blocks;
  void keep(Finding&& finding) {
    constexpr std::size_t kBlock = 256;  // ~100 KB: from the heap, below malloc's mmap threshold
    if (finding_blocks.empty() || finding_blocks.back().size() == kBlock)
      finding_blocks.emplace_back().reserve(kBlock);
    finding.features.slim();
    // A file's findings arrive together: they share the path of the one kept before them, and
    // paths stay out of the pool, which they would fill (one a file) and empty every 16,384 files.
    if (finding.path == last_path)
      finding.path = last_path;
    else
      last_path = finding.path;
    kept_strings.intern(finding.text);
    kept_strings.intern(finding.line_hash);
    finding.reasons.intern(kept_strings);
    finding_blocks.back().push_back(std::move(finding));
  }
  SharedStringPool kept_strings;  // texts and reasons that repeat
  SharedString last_path;         // of the finding kept last
  std::vector<Finding> config_hits;
  std::vector<FilePlan> fix_plans;
  pyconfig::PytestConfigResolver pytest_configs;  // ASW012's fix: asyncio_mode of the nearest config
  // The [tool.asyncsweep] lookup of the last file's directory (its path up to the last '/'):
  // a directory's files come one after another, and each lookup normalizes an absolute path.
  std::string config_dir;
  std::optional<pyconfig::ConfigLookup> config_lookup;
  std::vector<SweepError> errors;
  std::vector<std::string> files;
  std::vector<FileInventory> inventories;
  std::vector<UnusedSuppression> unused_suppressions;
  // The transitive join's input (set when the calls-blocking rule runs).
  std::optional<analyze::BlockingNames> blocking;
  std::vector<FileSummary> summaries;
  std::vector<std::pair<std::string, std::string>> modules;  // module -> path: every Python file
  std::unordered_map<std::string, bool> package_dirs;  // directory -> holds an __init__.py
  Stats stats;
};

class SweepVisitor final : public walk::Visitor {
 public:
  SweepVisitor(const SweepConfig& config, const search::RuleSet& rules, const std::vector<FileGroup>& groups)
      : config_(config),
        rules_(rules),
        groups_(groups),
        states_([this] { return ThreadState(rules_, config_, transitive_.has_value()); }) {
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
      all_rules_.push_back(i);
      resolvable_.push_back(analyze::resolves(rules[i].rule));
    }
    if (!config.search.seed_exact && !config.inventory) transitive_ = transitive::calls_blocking_rule(rules);
  }

  void file(const walk::FileEntry& entry) override {
    ThreadState& state = states_.local();
    if (transitive_ && python_module_file(entry))  // whatever its shard
      state.modules.emplace_back(module_of(state.package_dirs, entry.path), entry.path);
    if (!config_.shard.owns(shard_key(entry))) {  // --shard: another shard searches it
      ++state.stats.files_other_shards;
      return;
    }
    const std::vector<std::uint32_t>* applicable = &all_rules_;
    if (!entry.explicit_arg) {
      state.applicable.clear();
      bool relevant = false;
      for (const auto& group : groups_) {
        if (group.applies(entry.verdict, entry.name)) {
          relevant = true;
          state.applicable.insert(state.applicable.end(), group.rules.begin(), group.rules.end());
        }
      }
      if (!relevant) {
        // Not a file any rule looks at: the walk passes it by as rg --type would.
        if (entry.verdict == walk::Verdict::hidden) {
          ++state.stats.ignored_files[static_cast<std::size_t>(walk::IgnoreReason::hidden)];
        } else if (entry.verdict == walk::Verdict::ignored_by_ignore_file) {
          ++state.stats.ignored_files[static_cast<std::size_t>(walk::IgnoreReason::ignore_file)];
        } else {
          ++state.stats.files_without_rule;
        }
        return;
      }
      std::sort(state.applicable.begin(), state.applicable.end());
      applicable = &state.applicable;
    }
    // The file's [tool.asyncsweep] (pyconfig/config_tree.hpp): its exclude acts as `-g '!GLOB'`
    // would, and triage below follows its other settings.
    std::shared_ptr<const pyconfig::LoadedConfig> project;
    if (config_.triage && config_.triage->configs) {
      const std::string_view dir =
          std::string_view(entry.path).substr(0, entry.path.rfind('/') + 1);  // npos + 1 == 0
      if (!state.config_lookup || state.config_dir != dir) {
        state.config_lookup = config_.triage->configs->for_file(entry.path);
        state.config_dir = dir;
      }
      pyconfig::ConfigLookup lookup = *state.config_lookup;
      if (!lookup.error.empty()) {
        ++state.stats.files_errored;
        report_error(state, entry.path, "", lookup.error);
        return;
      }
      if (lookup.config && !entry.explicit_arg && pyconfig::ConfigTree::excludes(*lookup.config, entry.path)) {
        ++state.stats.ignored_files[static_cast<std::size_t>(walk::IgnoreReason::glob)];
        return;
      }
      project = std::move(lookup.config);
    }
    ++state.stats.files_walked;
    if (!entry.regular) {
      skip(state, SkipReason::not_regular);
      return;
    }
    if (config_.list_files_only) {
      state.files.push_back(entry.path);
      ++state.stats.files_scanned;
      return;
    }
    const search::BinaryCheck binary =
        entry.explicit_arg ? search::BinaryCheck::head : search::BinaryCheck::whole_file;
    // entry.name ends entry.path, so it is NUL-terminated too.
    search::ReadResult read =
        reading_stdin_ ? search::read_stream(STDIN_FILENO, config_.max_filesize, state.buffer, binary)
        : entry.directory_fd == walk::FileEntry::kNoDirectory
            ? search::read_file(AT_FDCWD, entry.path.c_str(), config_.max_filesize, state.buffer,
                                binary)
            : search::read_file(entry.directory_fd, entry.name.data(), config_.max_filesize,
                                state.buffer, binary);
    switch (read.status) {
      case search::ReadStatus::ok: break;
      case search::ReadStatus::not_regular: skip(state, SkipReason::not_regular); return;
      case search::ReadStatus::too_large: skip(state, SkipReason::too_large); return;
      case search::ReadStatus::binary: skip(state, SkipReason::binary); return;
      case search::ReadStatus::error:
        ++state.stats.files_errored;
        report_error(state, entry.path, "", std::generic_category().message(read.error_number));
        return;
    }
    const std::string_view text = read.text;
    ++state.stats.files_scanned;
    state.stats.bytes_scanned += text.size();
    if (config_.progress) {
      counters_.files.fetch_add(1, std::memory_order_relaxed);
      counters_.bytes.fetch_add(text.size(), std::memory_order_relaxed);
    }
    if (config_.read_only) return;
    if (config_.inventory) {
      python::LineModel model = python::LineModel::build(text);
      state.inventories.push_back(FileInventory{entry.path, model.inventory()});
      return;
    }
    state.outcome.clear();
    const bool python = !config_.search.seed_exact &&
                        (analyze::is_python_name(entry.name) || (reading_stdin_ && entry.path == "-"));
    // The line model costs a parse: built only when an async-scope rule or a finding needs it.
    std::optional<python::LineModel> model;
    std::vector<search::TextRange> regions;
    search::AsyncRegions async_regions;
    // Asked by the regions and by the resolved calls: one look at the text serves both.
    std::optional<bool> async_def;
    auto may_define_async = [&] {
      if (!async_def) async_def = analyze::may_define_async_function(text);
      return *async_def;
    };
    if (python) {
      async_regions = [&]() -> const std::vector<search::TextRange>* {
        if (!may_define_async()) return &regions;  // empty: no async body
        model.emplace(python::LineModel::build(text));
        regions = analyze::async_regions(*model);
        return &regions;
      };
    }
    state.searcher.search(entry.path, text, *applicable, state.outcome, async_regions);
    // The imports, read once for the resolved calls, the summary and the receivers of the
    // findings when they want them. Neither stage wants a model without async functions, nor
    // without a rule of theirs among the file's: then only findings (below) make the model
    // worth building.
    std::optional<std::vector<analyze::ImportBinding>> imports;
    // The whole file's code tokens, when the resolved calls made them: the summary takes its
    // functions' tokens from them.
    std::vector<analyze::CodeToken> tokens;
    const bool summarize =
        transitive_ && std::binary_search(applicable->begin(), applicable->end(), *transitive_);
    const bool resolve = std::any_of(applicable->begin(), applicable->end(),
                                     [this](std::uint32_t rule) { return resolvable_[rule] != 0; });
    if (python && (model || ((summarize || resolve) && may_define_async()))) {
      if (!model) model.emplace(python::LineModel::build(text));
      if (summarize || (resolve && analyze::has_async_function(*model)))
        imports = analyze::ImportTable::imports_of(*model);
      add_resolved_calls(state, entry.path, text, *model, *applicable,
                         imports ? &*imports : nullptr, &tokens);
    }
    // Files that define async functions (their model is built by now); transitive/closure
    // reads the rest the join needs after the walk.
    if (summarize && imports) {
      FileSummary summary = analyze::summarize(
          entry.path, module_of(state.package_dirs, entry.path), *model, *state.blocking,
          rules_[*transitive_].rule.id, analyze::Coverage::of_async_functions(), &*imports,
          tokens.empty() ? nullptr : &tokens);
      if (!summary.empty()) {
        // Decided here, with the file's configuration, for the join's findings in it.
        if (config_.triage)
          summary.triage =
              triage::file_triage(rules_[*transitive_].rule, entry.path, *config_.triage,
                                  project ? &project->config : nullptr);
        state.summaries.push_back(std::move(summary));
      }
    }
    if (python) {
      bool want_unused = config_.report_unused_suppressions && text.find("asyncsweep:") != std::string_view::npos;
      std::vector<analyze::Suppression> unused;
      analyze::drop_without_model(text, rules_, state.outcome.findings);
      if (!state.outcome.findings.empty() || want_unused) {
        if (!model) model.emplace(python::LineModel::build(text));
        analyze::annotate_python(entry.path, text, *model, rules_, state.outcome.findings,
                                 want_unused ? &unused : nullptr, imports ? &*imports : nullptr);
      }
      for (auto& s : unused) state.unused_suppressions.push_back({entry.path, s.line, std::move(s.text)});
    }
    const std::size_t suppressed_before = state.suppressed.size();
    if (state.scorer) {
      state.scorer->score_file(state.outcome.findings);
      triage::triage_file(state.outcome.findings, rules_, *config_.triage, project ? &project->config : nullptr, state.suppressed,
                          state.below_min_score, state.outside_change);
    }
    if (config_.line_hashes) {  // after triage: no hashing for findings that are never shown
      report::add_line_hashes(std::string_view(state.buffer.data(), read.size),
                              state.outcome.findings,
                              std::span(state.suppressed).subspan(suppressed_before));
    }
    if (config_.fixes && model && !state.outcome.findings.empty()) {
      add_fixes(state, entry.path, std::string_view(state.buffer.data(), read.size), text, *model);
    }
    for (auto& finding : state.outcome.findings) state.keep(std::move(finding));
    for (auto& hit : state.outcome.config_hits) state.config_hits.push_back(std::move(hit));
    for (std::size_t i = 0; i < state.outcome.counts.size(); ++i) state.stats.matched_lines[i] += state.outcome.counts[i];
    if (!state.outcome.errors.empty()) {
      ++state.stats.files_incomplete;
      for (auto& error : state.outcome.errors) report_error(state, error.path, error.rule, error.message);
    }
  }

  // Standard input as one file named on the command line, read before the walk starts.
  void standard_input(const std::string& path) {
    const std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
    reading_stdin_ = true;
    file(walk::FileEntry{path, name, walk::Verdict::include, true, true, path});
    reading_stdin_ = false;
  }

  void ignored(walk::IgnoreReason reason, bool is_dir) override {
    if (!config_.shard.counts_walk()) return;  // every shard walks alike: shard 0 counts
    ThreadState& state = states_.local();
    auto& counts = is_dir ? state.stats.ignored_dirs : state.stats.ignored_files;
    ++counts[static_cast<std::size_t>(reason)];
  }

  void error(const std::string& path, const std::string& message) override {
    report_error(states_.local(), path, "", message);
  }

  const ProgressCounters& counters() const { return counters_; }

  // Every Python file the walk met, by module name (the first path in order for a name that
  // two roots share).
  transitive::ModuleFiles modules() {
    std::vector<std::pair<std::string, std::string>> all;
    for (auto& state : states_) std::move(state.modules.begin(), state.modules.end(), std::back_inserter(all));
    return module_files(std::move(all));
  }

  std::optional<std::uint32_t> transitive_rule() const { return transitive_; }

  // The walk's file buffers and blocking-name caches, for the closure's readers: the buffers'
  // pages are faulted in already (a new buffer is a fresh huge page, 2 MB of peak memory), and
  // the names the walk asked about are known.
  std::vector<transitive::Reader> readers() {
    std::vector<transitive::Reader> out;
    for (auto& state : states_) {
      if (state.blocking) out.push_back({std::move(*state.blocking), std::move(state.buffer)});
    }
    return out;
  }

  SweepResult collect() {
    SweepResult result;
    result.stats.matched_lines.assign(rules_.size(), 0);
    std::size_t findings = 0;
    for (const auto& state : states_) {
      for (const auto& block : state.finding_blocks) findings += block.size();
    }
    result.findings.reserve(findings);  // thousands of findings: one allocation, no regrowth
    std::size_t freed_blocks = 0;
    for (auto& state : states_) {
      result.stats.add(state.stats);
      for (auto& block : state.finding_blocks) {
        std::move(block.begin(), block.end(), std::back_inserter(result.findings));
        // Freed as the result fills (`block = {}` would keep the capacity), and handed back: the
        // blocks came from the heap, where free pages stay resident, so that the peak holds one
        // copy of the findings rather than two (--min-score 0 on a large tree keeps 100,000s).
        std::vector<Finding>().swap(block);
        if (++freed_blocks % 64 == 0) release_free_memory();
      }
      std::move(state.config_hits.begin(), state.config_hits.end(), std::back_inserter(result.config_hits));
      std::move(state.fix_plans.begin(), state.fix_plans.end(), std::back_inserter(result.fixes));
      std::move(state.suppressed.begin(), state.suppressed.end(), std::back_inserter(result.suppressed));
      result.below_min_score += state.below_min_score;
      result.outside_change += state.outside_change;
      std::move(state.errors.begin(), state.errors.end(), std::back_inserter(result.errors));
      std::move(state.files.begin(), state.files.end(), std::back_inserter(result.files));
      std::move(state.inventories.begin(), state.inventories.end(), std::back_inserter(result.inventories));
      std::move(state.unused_suppressions.begin(), state.unused_suppressions.end(),
                std::back_inserter(result.unused_suppressions));
      std::move(state.summaries.begin(), state.summaries.end(), std::back_inserter(result.summaries));
    }
    const RuleOrder order = rules_.order();
    auto by_location = [&order](const Finding& a, const Finding& b) {
      return finding_before(a, b, order);  // shared with asyncsweep merge
    };
    // With scoring on, the triage stage orders the findings (by score or path) anyway.
    if (!config_.triage) sort_findings(result.findings, order, FindingOrder::location);
    std::sort(result.config_hits.begin(), result.config_hits.end(), by_location);
    std::sort(result.errors.begin(), result.errors.end(), [](const auto& a, const auto& b) {
      return std::tie(a.path, a.rule, a.message) < std::tie(b.path, b.rule, b.message);
    });
    std::sort(result.files.begin(), result.files.end());
    std::sort(result.unused_suppressions.begin(), result.unused_suppressions.end(),
              [](const auto& a, const auto& b) { return std::tie(a.path, a.line) < std::tie(b.path, b.line); });
    std::sort(result.inventories.begin(), result.inventories.end(),
              [](const FileInventory& a, const FileInventory& b) { return a.path < b.path; });
    std::sort(result.summaries.begin(), result.summaries.end(),
              [](const FileSummary& a, const FileSummary& b) { return a.path < b.path; });
    return result;
  }

 private:
  // The safe fixes of the file's shown findings (suppressed ones went to state.suppressed).
  // `text` is what was searched: `bytes` without a leading BOM; the plan's offsets are the file's.
  void add_fixes(ThreadState& state, const std::string& path, std::string_view bytes, std::string_view text,
                 const python::LineModel& model) {
    fix::FileInput input{text, model, [&state, &path] {
      const pyconfig::PytestConfig* config = state.pytest_configs.governing(path);
      return config != nullptr && config->auto_mode();
    }};
    std::vector<FixEdit> edits = fix::compute_edits(input, rules_, state.outcome.findings);
    if (edits.empty()) return;
    const auto skipped = static_cast<std::uint64_t>(text.data() - bytes.data());
    for (auto& edit : edits) edit.offset += skipped;
    state.fix_plans.push_back(FilePlan{path, config_.keep_fix_sources ? std::string(bytes) : std::string(), std::move(edits)});
  }

  // Blocking calls the regexes cannot see, written under an imported name (`sleep(` after
  // `from time import sleep`): found through the module's imports, one per rule and line
  // at most, never where the rule's regex already reported that line.
  void add_resolved_calls(ThreadState& state, std::string_view path, std::string_view text,
                          const python::LineModel& model,
                          const std::vector<std::uint32_t>& applicable,
                          const std::vector<analyze::ImportBinding>* imports,
                          std::vector<analyze::CodeToken>* tokens) {
    std::vector<Finding>& findings = state.outcome.findings;
    bool added = false;
    for (auto& call : analyze::resolved_calls(model, rules_, applicable, state.qualified_names,
                                              imports, tokens)) {
      Finding finding;
      if (!state.searcher.finding_at(call.rule, path, text, call.begin, call.end, finding)) continue;
      bool known = std::any_of(findings.begin(), findings.end(), [&](const Finding& other) {
        return other.rule == finding.rule && other.line <= finding.end_line && finding.line <= other.end_line;
      });
      if (known) continue;
      // A method-shaped rule may have matched the same call by its last name (ASW112 sees
      // `.exists(` in `osp.exists(`): the call is the resolved family's, not that one's.
      std::erase_if(findings, [&](const Finding& other) {
        return other.offset >= call.begin && other.end_offset <= call.end &&
               rules_[other.rule].rule.category == rules_[finding.rule].rule.category;
      });
      finding.features.edit().resolved_import = std::move(call.reason);
      findings.push_back(std::move(finding));
      added = true;
    }
    if (added) {
      // The searcher's order: by rule, then by position.
      std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.rule, a.offset) < std::tie(b.rule, b.offset);
      });
    }
  }

  void skip(ThreadState& state, SkipReason reason) {
    ++state.stats.skipped[static_cast<std::size_t>(reason)];
  }

  void report_error(ThreadState& state, const std::string& path, const std::string& rule, const std::string& message) {
    state.errors.push_back(SweepError{path, rule, message});
  }

  const SweepConfig& config_;
  const search::RuleSet& rules_;
  const std::vector<FileGroup>& groups_;
  std::vector<std::uint32_t> all_rules_;
  std::vector<std::uint8_t> resolvable_;     // per rule: analyze::resolves
  std::optional<std::uint32_t> transitive_;  // the calls-blocking rule, when it runs
  tbb::enumerable_thread_specific<ThreadState> states_;
  bool reading_stdin_ = false;  // set only around standard_input(), before the walk's threads
  ProgressCounters counters_;
};

}  // namespace

SweepResult run_sweep(const SweepConfig& config, const search::RuleSet& rules) {
  auto start = std::chrono::steady_clock::now();
  walk::Filter filter(config.filter);
  std::vector<FileGroup> groups = make_groups(rules, config.filter, config.inventory);
  SweepVisitor visitor(config, rules, groups);
  {
    Progress progress(config.progress, config.progress_delay_ms, visitor.counters());
    if (!config.stdin_path.empty()) visitor.standard_input(config.stdin_path);
    if (config.stdin_path.empty() || !config.paths.empty()) walk::walk(config.paths, filter, config.walk, visitor);
  }
  SweepResult result = visitor.collect();
  if (auto rule = visitor.transitive_rule(); rule && !result.summaries.empty()) {
    transitive::ModuleFiles modules;
    if (config.walk.scope) {  // --changed-since/--changed-lines: the modules of the whole tree
      walk::WalkOptions everywhere = config.walk;
      everywhere.scope = nullptr;
      ModuleWalk module_walk;
      walk::walk(config.paths, filter, everywhere, module_walk);
      modules = module_walk.modules();
    } else {
      modules = visitor.modules();
    }
    transitive::complete(result.summaries, modules, rules, rules[*rule].rule.id,
                         config.max_filesize, config.walk.threads, visitor.readers());
  }
  // A shard's summaries go out in its JSON for `merge` to join; a whole sweep joins them now.
  if (!config.shard.active()) {
    transitive::join_into(result, result.summaries, rules, config.triage.has_value());
    result.summaries = {};
    // The join's findings were made after their files left memory: read those files again.
    if (config.line_hashes) report::add_line_hashes_from_files(result.findings, result.suppressed);
  }
  result.stats.shard = config.shard;
  result.stats.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace asyncsweep::sweep
