#include "score/scorer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "pyconfig/pytest_config.hpp"

namespace asyncsweep::score {

namespace {

// The weights, in one place.
struct Weights {
  int severity_high = 70;
  int severity_medium = 55;
  int severity_low = 35;
  int severity_info = 15;
  // @pytest.mark.asyncio under asyncio_mode = auto is certainly redundant; without it the
  // marker is required (strict mode), so the hit is informational only.
  int pytest_mark_redundant = 60;
  int pytest_mark_required = 10;
};
constexpr Weights kWeights{};

int base_score(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return kWeights.severity_high;
    case rules::Severity::medium: return kWeights.severity_medium;
    case rules::Severity::low: return kWeights.severity_low;
    case rules::Severity::info: return kWeights.severity_info;
  }
  return kWeights.severity_info;
}

}  // namespace

void score_findings(sweep::SweepResult& result, const search::RuleSet& rules, const ScoreOptions& options) {
  pyconfig::PytestConfigResolver pytest_configs;
  for (auto& finding : result.findings) {
    const auto& rule = rules[finding.rule].rule;
    finding.score = base_score(rule.severity);
    finding.reasons.push_back(fmt::format("rule severity {}", rules::to_string(rule.severity)));
    if (options.seed_exact) continue;
    if (rule.category == "pytest-asyncio-mark") {
      const pyconfig::PytestConfig* config = pytest_configs.governing(finding.path);
      if (config != nullptr && config->auto_mode()) {
        finding.score = kWeights.pytest_mark_redundant;
        finding.reasons.push_back(fmt::format("redundant: asyncio_mode = \"auto\" in {}:{}", config->path, config->mode_line));
      } else {
        finding.score = kWeights.pytest_mark_required;
        finding.reasons.push_back(config == nullptr
                                      ? std::string("informational: no pytest config governs this file (strict mode needs the marker)")
                                      : fmt::format("informational: {} sets asyncio_mode = {} (the marker is needed)",
                                                    config->path, config->asyncio_mode.empty() ? "strict (default)" : config->asyncio_mode));
      }
    }
    finding.score = std::clamp(finding.score, 0, 100);
  }
}

}  // namespace asyncsweep::score
