#include "triage/triage.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

#include "rules/rule.hpp"

namespace asyncsweep::triage {

namespace {

bool names(const rules::Rule& rule, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (rules::rule_named(rule, id)) return true;
  }
  return false;
}

bool per_file_ignored(const Finding& finding, const rules::Rule& rule,
                      const pyconfig::ProjectConfig& config, const std::string& config_dir) {
  for (const auto& [glob, ids] : config.per_file_ignores) {
    if (names(rule, ids) && pyconfig::per_file_glob_matches(glob, finding.path.str(), config_dir))
      return true;
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

}  // namespace

void triage_file(std::vector<Finding>& findings, const search::RuleSet& rules,
                 const TriageOptions& options, const pyconfig::ProjectConfig* config,
                 std::vector<Finding>& suppressed, std::uint64_t& below_min_score,
                 std::uint64_t& outside_change) {
  if (options.seed_exact) return;
  const bool own_select = config != nullptr && !options.select_given && !config->select.empty();
  const bool own_ignore = config != nullptr && !options.ignore_given && !config->ignore.empty();
  const int min_score = config != nullptr && !options.min_score_given && config->min_score
                            ? *config->min_score
                            : options.min_score;
  const std::string config_dir = config != nullptr && !config->per_file_ignores.empty()
                                     ? std::filesystem::path(config->path).parent_path().string()
                                     : std::string();
  std::size_t kept = 0;
  for (auto& finding : findings) {
    const auto& rule = rules[finding.rule].rule;
    if ((own_select && !names(rule, config->select)) ||
        (own_ignore && names(rule, config->ignore)) ||
        (rule.preview && !rules::preview_allows(rule, options.preview) &&
         (config == nullptr || !rules::preview_allows(rule, {config->preview, config->select})))) {
      continue;  // the file's configuration does not run this rule
    }
    if (!on_changed_lines(options, finding.path, finding.line, finding.end_line)) {  // stage 0
      ++outside_change;
    } else if (!finding.features->suppressed_by.empty()) {  // stage 1, before the score is looked at
      suppressed.push_back(std::move(finding));
    } else if (finding.score < min_score) {  // stage 2
      ++below_min_score;
    } else if (!config_dir.empty() &&
               per_file_ignored(finding, rule, *config, config_dir)) {  // stage 3
      finding.features.edit().suppressed_by = "per-file-ignores in " + config->path;
      suppressed.push_back(std::move(finding));
    } else {
      if (&findings[kept] != &finding) findings[kept] = std::move(finding);
      ++kept;
    }
  }
  findings.resize(kept);
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
