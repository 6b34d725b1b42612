#include "transitive/join.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "transitive/function_index.hpp"

namespace asyncsweep::transitive {

namespace {

// Scores of a call that reaches blocking code, by how far away it is and what the blocking call
// is (its rule's severity: a sleep or subprocess is surer than a metadata call). Fitted like
// scorer.cpp's weights on the transitive sites of eval/devset (scripts/eval-ranking).
// Fitted on the devset's 68 labelled transitive sites (eval/devset/README.md): one call away
// with a medium leaf (open(), socket calls) is real in about two thirds of them; os.* metadata
// leaves were real more often (about 85%), not less; a leaf that ASW112 matched by method name
// alone (`.replace(`, `.resolve(` on a receiver of unknown kind) was real in about one in five:
// mostly str.replace in path helpers.
struct Weights {
  int one_call_away = 70;      // the callee blocks itself
  int per_more_call = 10;      // each function further down the chain
  int leaf_high = 10;          // time.sleep, subprocess, sync HTTP
  int leaf_low = 10;           // filesystem metadata, tempfile (resolved os.*/tempfile calls)
  int leaf_method_name = -55;  // the leaf is a method matched by its name only (ASW112)
  int in_test_code = 0;        // a test blocks its own loop as much: counted alike
};
constexpr Weights kWeights{};

class Join {
 public:
  Join(std::vector<const FileSummary*> files, const search::RuleSet& rules, std::uint32_t rule)
      : index_(std::move(files)), rules_(rules), rule_(rule) {
    for (std::uint32_t i = 0; i < rules_.size(); ++i) ids_.emplace(rules_[i].rule.id, i);
  }

  std::vector<Finding> run() {
    depths();
    std::vector<Finding> out;
    for (const auto* file : index_.files()) {
      for (const auto& function : file->functions) {
        if (!function.is_async) continue;
        for (const auto& call : function.calls) {
          const FunctionSummary* callee = sync_function(call.target);
          if (callee == nullptr) continue;
          auto found = depth_.find(callee);
          if (found == depth_.end()) continue;
          out.push_back(finding(*file, function, call, callee));
        }
      }
    }
    return out;
  }

 private:
  // The function a call's target names, when it is a sync one (once per target: many calls
  // name the same one).
  const FunctionSummary* sync_function(const std::string& target) {
    auto [known, added] = sync_of_.try_emplace(target, nullptr);
    if (added) {
      const FunctionSummary* function = index_.lookup(target);
      known->second = function != nullptr && !function->is_async ? function : nullptr;
    }
    return known->second;
  }

  // Shortest distance of each sync function to a blocking call, level by level up to
  // kMaxDepth: cycles end by themselves, since a function gets its depth once.
  void depths() {
    std::vector<std::pair<const FunctionSummary*, std::vector<const FunctionSummary*>>> pending;
    for (const auto* file : index_.files()) {
      for (const auto& function : file->functions) {
        if (function.is_async) continue;
        if (!function.blocks.empty()) {
          depth_[&function] = Step{1, -1};
          continue;
        }
        std::vector<const FunctionSummary*> callees;
        for (const auto& call : function.calls) callees.push_back(sync_function(call.target));
        pending.emplace_back(&function, std::move(callees));
      }
    }
    for (int depth = 2; depth <= kMaxDepth; ++depth) {
      std::vector<std::pair<const FunctionSummary*, Step>> found;
      for (const auto& [function, callees] : pending) {
        if (depth_.count(function) != 0) continue;
        for (std::size_t i = 0; i < callees.size(); ++i) {
          auto it = callees[i] == nullptr ? depth_.end() : depth_.find(callees[i]);
          if (it != depth_.end() && it->second.depth == depth - 1) {
            found.emplace_back(function, Step{depth, static_cast<std::int32_t>(i)});
            break;
          }
        }
      }
      if (found.empty()) break;
      for (const auto& [function, step] : found) depth_.emplace(function, step);
    }
  }

  Finding finding(const FileSummary& file, const FunctionSummary& caller, const CallSite& call,
                  const FunctionSummary* callee) {
    Finding finding;
    finding.rule = rule_;
    finding.path = file.path;
    finding.line = finding.end_line = call.line;
    finding.column = call.column;
    finding.end_column = call.end_column;
    finding.offset = call.offset;
    finding.end_offset = call.end_offset;
    finding.text = call.line_text;
    Features& features = finding.features.edit();
    features.analyzed = true;
    features.async_line = caller.line;
    features.async_name = caller.name;
    features.test_file = file.test;
    features.suppressed_by = call.suppressed_by;
    // Down the chain: each function's step, to the blocking call.
    const FunctionSummary* current = callee;
    std::string chain;
    rules::Severity leaf = rules::Severity::medium;
    bool leaf_by_name = false;
    for (int hops = 0; current != nullptr && hops < kMaxDepth; ++hops) {
      const FileSummary* where = &index_.file_of(current);
      const Step& step = depth_.at(current);
      ChainStep link;
      link.path = where->path;
      link.function = FunctionIndex::qualify(*where, current->name);
      if (step.call < 0) {
        const BlockingSite& block = current->blocks.front();
        link.line = block.line;
        link.call = block.text;
        link.rule = block.rule;
        if (auto id = ids_.find(block.rule); id != ids_.end())
          leaf = rules_[id->second].rule.severity;
        leaf_by_name = block.rule == "ASW112";
        current = nullptr;
      } else {
        const CallSite& next = current->calls[static_cast<std::size_t>(step.call)];
        link.line = next.line;
        link.call = next.text;
        current = sync_function(next.target);
      }
      chain += fmt::format("{}{}:{} `{}()`", chain.empty() ? "" : " -> ", link.path, link.line,
                           link.call);
      if (!link.rule.empty()) chain += fmt::format(" ({})", link.rule);
      features.chain.push_back(std::move(link));
    }
    const int depth = depth_.at(callee).depth;
    finding.score = kWeights.one_call_away - kWeights.per_more_call * (depth - 1) +
                    (leaf == rules::Severity::high  ? kWeights.leaf_high
                     : leaf == rules::Severity::low ? kWeights.leaf_low
                                                    : 0) +
                    (leaf_by_name ? kWeights.leaf_method_name : 0) +
                    (file.test ? kWeights.in_test_code : 0);
    finding.score = std::clamp(finding.score, 0, 100);
    finding.reasons.push_back(
        fmt::format("`{}()` (line {}) blocks: {}", call.text, call.line, chain));
    finding.reasons.push_back(depth == 1
                                  ? std::string("the project's sync function blocks itself")
                                  : fmt::format("the blocking call is {} calls away", depth));
    if (leaf_by_name)
      finding.reasons.push_back(
          "the blocking call is matched by its method name only: the receiver may be a str");
    return finding;
  }

  struct Step {
    int depth = 0;
    std::int32_t call = -1;  // the call that leads on, or -1: the function's first blocking call
  };

  FunctionIndex index_;
  const search::RuleSet& rules_;
  std::uint32_t rule_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::unordered_map<const FunctionSummary*, Step> depth_;
  std::unordered_map<std::string_view, const FunctionSummary*> sync_of_;  // by call target
};

}  // namespace

std::optional<std::uint32_t> calls_blocking_rule(const search::RuleSet& rules) {
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rule.check == rules::Check::calls_blocking) return i;
  }
  return std::nullopt;
}

std::vector<Finding> join(std::vector<const FileSummary*> files, const search::RuleSet& rules,
                          std::uint32_t rule) {
  return Join(std::move(files), rules, rule).run();
}

void join_into(SweepResult& result, const std::vector<FileSummary>& summaries,
               const search::RuleSet& rules, bool triaged) {
  const std::optional<std::uint32_t> rule = calls_blocking_rule(rules);
  if (!rule || summaries.empty()) return;
  std::vector<const FileSummary*> files;
  files.reserve(summaries.size());
  for (const auto& summary : summaries) files.push_back(&summary);
  std::vector<Finding> findings = join(files, rules, *rule);
  if (findings.empty()) return;
  if (!triaged) {
    std::move(findings.begin(), findings.end(), std::back_inserter(result.findings));
    sort_findings(result.findings, rules.order(), FindingOrder::location);
    return;
  }
  // The findings come in path order: each file's run goes through that file's triage.
  std::sort(files.begin(), files.end(),
            [](const FileSummary* a, const FileSummary* b) { return a->path < b->path; });
  auto summary_of = [&](std::string_view path) -> const FileSummary* {
    auto it = std::lower_bound(
        files.begin(), files.end(), path,
        [](const FileSummary* file, std::string_view p) { return file->path < p; });
    return it != files.end() && (*it)->path == path ? *it : nullptr;
  };
  for (auto first = findings.begin(); first != findings.end();) {
    const std::string_view path = first->path.view();
    auto last = std::find_if(first, findings.end(),
                             [&](const Finding& finding) { return finding.path.view() != path; });
    const FileSummary* file = summary_of(path);
    if (file != nullptr && file->triage) {
      std::vector<Finding> one(std::make_move_iterator(first), std::make_move_iterator(last));
      triage::triage_joined(one, *file->triage, result);
      std::move(one.begin(), one.end(), std::back_inserter(result.findings));
    }
    first = last;
  }
}

}  // namespace asyncsweep::transitive
