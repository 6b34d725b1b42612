// Baselines: adopt the scanner on a tree with known findings and report only new ones.
// A finding's identity is its rule, its path and a hash of its normalised text, never its line
// number, so editing code above a known finding keeps it known; `count` says how many findings
// share an identity, so a second copy of a known line is still reported as new.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "result/finding.hpp"
#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

struct BaselineKey {
  std::string rule;  // rule id
  std::string path;  // relative to the base dir when below it, '/' separated (see BaseDir)
  std::string hash;  // finding_text_hash()
  bool operator<(const BaselineKey& other) const {
    return std::tie(path, rule, hash) < std::tie(other.path, other.rule, other.hash);
  }
};

// Version 2 keys paths on the project root (cli/project_root.hpp); version 1 files, written
// before that, keyed them on the directory they were written from and are still read that way.
inline constexpr int kBaselineVersion = 2;

struct Baseline {
  std::string origin;                          // the file it was loaded from
  int version = kBaselineVersion;
  std::map<BaselineKey, std::uint64_t> counts;  // identity → how many findings it covers
};

// Each line stripped of leading/trailing whitespace, internal whitespace runs collapsed to
// one space, lines joined with '\n': reindenting or reformatting spaces keeps identity.
std::string normalise_finding_text(std::string_view text);
// 16 lowercase hex digits: FNV-1a 64 of normalise_finding_text(). Not cryptographic; it only
// has to tell apart findings of one rule in one file.
std::string finding_text_hash(const Finding& finding);

// JSON, sorted by path, rule, hash, one entry per line:
//   {"version": 2, "findings": [{"rule": ..., "path": ..., "hash": ..., "count": N}, ...]}
// `base_dir` (the project root; empty: the current directory): paths under it are stored
// relative, so "./a.py", "repo/a.py" and "$PWD/a.py" are the same file.
std::string write_baseline(const SweepResult& result, const search::RuleSet& rules,
                           const std::string& base_dir = "");

// Throws std::runtime_error naming the file (and line:column for a JSON syntax error) when it
// cannot be read, is not JSON, or does not have the shape above.
Baseline load_baseline(const std::string& path);

// The directory `baseline`'s paths are relative to: `project_root` for version 2, the current
// directory for version 1.
std::string baseline_base_dir(const Baseline& baseline, const std::string& project_root);

// Removes the findings the baseline knows (at most `count` per identity, the first ones in
// path/line order) from result.findings and adds how many to result.baselined.
void apply_baseline(SweepResult& result, const search::RuleSet& rules, const Baseline& baseline,
                    const std::string& base_dir = "");

}  // namespace asyncsweep::report
