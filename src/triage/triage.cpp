#include "triage/triage.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

#include "change/diff.hpp"
#include "rules/rule.hpp"

namespace asyncsweep::triage {

namespace {

bool names(const rules::Rule& rule, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (rules::rule_named(rule, id)) return true;
  }
  return false;
}

bool per_file_ignored(const std::string& path, const rules::Rule& rule,
                      const pyconfig::ProjectConfig& config, const std::string& config_dir) {
  for (const auto& [glob, ids] : config.per_file_ignores) {
    if (names(rule, ids) && pyconfig::per_file_glob_matches(glob, path, config_dir)) return true;
  }
  return false;
}

// Whether the change touched any of lines first..last of `path` (always, with no change given).
bool on_changed_lines(const TriageOptions& options, std::string_view path, std::uint32_t first,
                      std::uint32_t last) {
  if (!options.changed) return true;
  auto it = options.changed->find(std::string(path));
  return it != options.changed->end() && it->second.intersects(first, std::max(first, last));
}

// Whether the file's configuration runs `rule`: one it does not run leaves its findings
// uncounted, as if it had not run.
bool config_runs(const rules::Rule& rule, const TriageOptions& options,
                 const pyconfig::ProjectConfig* config) {
  if (config != nullptr && !options.select_given && !config->select.empty() &&
      !names(rule, config->select))
    return false;
  if (config != nullptr && !options.ignore_given && !config->ignore.empty() &&
      names(rule, config->ignore))
    return false;
  return !rule.preview || rules::preview_allows(rule, options.preview) ||
         (config != nullptr && rules::preview_allows(rule, {config->preview, config->select}));
}

int file_min_score(const TriageOptions& options, const pyconfig::ProjectConfig* config) {
  return config != nullptr && !options.min_score_given && config->min_score ? *config->min_score
                                                                            : options.min_score;
}

// Stages 0 to 3, in this order, for one file's findings: `runs(finding)` whether its rule runs
// there, `in_change(finding)` whether the change touched it, `ignored_by(finding)` the
// per-file-ignores entry that names its rule (empty: none). The sweep's findings and the
// join's (triage_joined) go through this one sequence.
template <typename Runs, typename InChange, typename IgnoredBy>
void run_stages(std::vector<Finding>& findings, int min_score, Runs&& runs, InChange&& in_change,
                IgnoredBy&& ignored_by, std::vector<Finding>& suppressed,
                std::uint64_t& below_min_score, std::uint64_t& outside_change) {
  std::size_t kept = 0;
  for (auto& finding : findings) {
    if (!runs(finding)) continue;
    if (!in_change(finding)) {  // stage 0
      ++outside_change;
    } else if (!finding.features->suppressed_by.empty()) {
      // stage 1, before the score is looked at
      suppressed.push_back(std::move(finding));
    } else if (finding.score < min_score) {  // stage 2
      ++below_min_score;
    } else if (std::string by = ignored_by(finding); !by.empty()) {  // stage 3
      finding.features.edit().suppressed_by = std::move(by);
      suppressed.push_back(std::move(finding));
    } else {
      if (&findings[kept] != &finding) findings[kept] = std::move(finding);
      ++kept;
    }
  }
  findings.resize(kept);
}

std::string per_file_ignores_of(const pyconfig::ProjectConfig& config) {
  return "per-file-ignores in " + config.path;
}

// The directory the configuration's per-file-ignores globs are relative to; "" when it has none.
std::string per_file_ignores_dir(const pyconfig::ProjectConfig* config) {
  return config != nullptr && !config->per_file_ignores.empty()
             ? std::filesystem::path(config->path).parent_path().string()
             : std::string();
}

}  // namespace

void triage_file(std::vector<Finding>& findings, const search::RuleSet& rules,
                 const TriageOptions& options, const pyconfig::ProjectConfig* config,
                 std::vector<Finding>& suppressed, std::uint64_t& below_min_score,
                 std::uint64_t& outside_change) {
  if (options.seed_exact) return;
  const std::string config_dir = per_file_ignores_dir(config);
  run_stages(
      findings, file_min_score(options, config),
      [&](const Finding& finding) {
        return config_runs(rules[finding.rule].rule, options, config);
      },
      [&](const Finding& finding) {
        return on_changed_lines(options, finding.path, finding.line, finding.end_line);
      },
      [&](const Finding& finding) {
        return !config_dir.empty() && per_file_ignored(finding.path.str(), rules[finding.rule].rule,
                                                       *config, config_dir)
                   ? per_file_ignores_of(*config)
                   : std::string();
      },
      suppressed, below_min_score, outside_change);
}

FileTriage file_triage(const rules::Rule& rule, const std::string& path,
                       const TriageOptions& options, const pyconfig::ProjectConfig* config) {
  FileTriage triage;
  triage.runs = config_runs(rule, options, config);
  triage.min_score = file_min_score(options, config);
  if (const std::string dir = per_file_ignores_dir(config);
      !dir.empty() && per_file_ignored(path, rule, *config, dir))
    triage.ignored_by = per_file_ignores_of(*config);
  triage.exclude_tests = options.exclude_tests;
  if (options.changed) {
    auto it = options.changed->find(path);
    if (it == options.changed->end() || !it->second.whole()) {
      triage.changed_given = true;
      if (it != options.changed->end()) triage.changed = it->second.ranges();
    }
  }
  return triage;
}

void triage_joined(std::vector<Finding>& findings, const FileTriage& triage, SweepResult& result) {
  run_stages(
      findings, triage.min_score, [&](const Finding&) { return triage.runs; },
      [&](const Finding& finding) {
        return !triage.changed_given ||
               change::ranges_intersect(triage.changed, finding.line,
                                        std::max(finding.line, finding.end_line));
      },
      [&](const Finding&) { return triage.ignored_by; }, result.suppressed, result.below_min_score,
      result.outside_change);
  if (triage.exclude_tests) {
    const auto before = findings.size();
    std::erase_if(findings, [](const Finding& finding) { return finding.features->test_file; });
    result.excluded_tests += before - findings.size();
  }
}

void triage_sweep(SweepResult& result, const search::RuleSet& rules, const TriageOptions& options) {
  const RuleOrder rule_order = rules.order();
  if (options.seed_exact) {
    sort_findings(result.findings, rule_order, FindingOrder::location);
    return;
  }
  if (options.changed) {
    std::erase_if(result.unused_suppressions, [&](const UnusedSuppression& unused) {
      return !on_changed_lines(options, unused.path, unused.line, unused.line);
    });
    std::erase_if(result.config_hits, [&](const Finding& hit) {
      return !on_changed_lines(options, hit.path, hit.line, hit.end_line);
    });
  }
  sort_findings(result.findings, rule_order, options.order);
  sort_findings(result.suppressed, rule_order, FindingOrder::location);
  if (options.exclude_tests) {
    const auto before = result.findings.size();
    std::erase_if(result.findings,
                  [](const Finding& finding) { return finding.features->test_file; });
    result.excluded_tests += before - result.findings.size();
  }
}

void triage_baseline(SweepResult& result, const search::RuleSet& rules,
                     const report::Baseline& baseline, const std::string& project_root) {
  report::apply_baseline(result, rules, baseline,
                         report::baseline_base_dir(baseline, project_root));
}

void triage_top(SweepResult& result, const search::RuleSet& rules, const TriageOptions& options) {
  if (options.seed_exact || options.top == 0 || result.findings.size() <= options.top) return;
  // --top keeps the N highest scores whatever the order (as --help says); --sort path then
  // orders those N, as `--top N | sort` would.
  const RuleOrder rule_order = rules.order();
  const bool by_location = options.order == FindingOrder::location;
  if (by_location) sort_findings(result.findings, rule_order, FindingOrder::ranked);
  result.beyond_top += result.findings.size() - options.top;
  result.findings.resize(options.top);
  if (by_location) sort_findings(result.findings, rule_order, FindingOrder::location);
}

}  // namespace asyncsweep::triage
