#include "triage/triage.hpp"

#include <filesystem>
#include <string>
#include <utility>

namespace asyncsweep::triage {

namespace {

// Stage 3: matching findings leave the list, counted as suppressed.
void apply_per_file_ignores(SweepResult& result, const search::RuleSet& rules,
                            const pyconfig::ProjectConfig& project) {
  std::string config_dir = std::filesystem::path(project.path).parent_path().string();
  std::vector<Finding> kept;
  for (auto& finding : result.findings) {
    const auto& rule = rules[finding.rule].rule;
    bool ignored = false;
    for (const auto& [glob, ids] : project.per_file_ignores) {
      if (!pyconfig::per_file_glob_matches(glob, finding.path, config_dir)) continue;
      for (const auto& id : ids) ignored = ignored || id == rule.id || id == rule.category;
    }
    if (ignored) {
      finding.features.edit().suppressed_by = "per-file-ignores in " + project.path;
      result.suppressed.push_back(std::move(finding));
    } else {
      kept.push_back(std::move(finding));
    }
  }
  result.findings = std::move(kept);
}

}  // namespace

void triage_file(std::vector<Finding>& findings, const TriageOptions& options,
                 std::vector<Finding>& suppressed, std::uint64_t& below_min_score) {
  if (options.seed_exact) return;
  std::size_t kept = 0;
  for (auto& finding : findings) {
    if (!finding.features->suppressed_by.empty()) {  // stage 1, before the score is looked at
      suppressed.push_back(std::move(finding));
    } else if (finding.score < options.min_score) {  // stage 2
      ++below_min_score;
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
  sort_findings(result.findings, rule_order, options.order);
  sort_findings(result.suppressed, rule_order, FindingOrder::location);
  if (options.project && !options.project->per_file_ignores.empty()) {  // stage 3
    apply_per_file_ignores(result, rules, *options.project);
  }
  if (options.exclude_tests) {
    const auto before = result.findings.size();
    std::erase_if(result.findings, [](const Finding& finding) { return finding.features->test_file; });
    result.excluded_tests += before - result.findings.size();
  }
}

void triage_baseline(SweepResult& result, const search::RuleSet& rules,
                     const report::Baseline& baseline, const std::string& project_root) {
  report::apply_baseline(result, rules, baseline, report::baseline_base_dir(baseline, project_root));
}

void triage_top(SweepResult& result, const TriageOptions& options) {
  if (options.seed_exact || options.top == 0 || result.findings.size() <= options.top) return;
  result.beyond_top += result.findings.size() - options.top;
  result.findings.resize(options.top);
}

}  // namespace asyncsweep::triage
