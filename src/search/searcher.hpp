// Runs compiled rules over one file's bytes and turns matches into findings, with rg's
// line semantics: without `multiline` a match lies within one line; with it, matches are
// widened to whole lines and overlapping or adjacent ranges are merged (ripgrep #1311).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "regex/pcre.hpp"
#include "result/finding.hpp"
#include "search/line_index.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::search {

struct SearchOptions {
  // Only the rg stage of each rule: no exclude_line/exclude_path/unless_within, and every
  // kind of rule yields findings (inventory and config included).
  bool seed_exact = false;
  int context_before = -1;  // -1: use the rule's own `before`
  int context_after = -1;
  regex::MatchLimits limits;
};

// What one file contributed.
struct FileOutcome {
  std::vector<Finding> findings;
  std::vector<SweepError> errors;  // PCRE2 limits hit: the file was searched incompletely
  // Per rule index: matched lines of inventory rules (what `rg ... | wc -l` counts) and
  // config rules, in default mode.
  std::vector<std::uint32_t> counts;
  std::vector<Finding> config_hits;  // config rule matches, in default mode
  void clear();
};

// Byte range [begin, end) of a text.
struct TextRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where rules with scope = "async" can report in the file being searched: whole lines that
// cover every async function body, sorted and disjoint. The searcher asks at most once per
// file, and only when such a rule passes the prefilter, since the answer costs a parse.
// An empty function, or one returning nullptr, means anywhere (not Python, or --seed-exact).
using AsyncRegions = std::function<const std::vector<TextRange>*()>;

// Per-thread: owns the PCRE2 scratch and the line index. Not thread-safe.
class Searcher {
 public:
  Searcher(const RuleSet& rules, const SearchOptions& options);

  // Searches `text` with the rules listed in `rule_indices` and appends to `out` findings with
  // their MatchSite filled in (the rest is the later stages'). Async-scope rules search only
  // `async_regions` when given: they report nothing elsewhere.
  void search(std::string_view path, std::string_view text,
              const std::vector<std::uint32_t>& rule_indices, FileOutcome& out,
              const AsyncRegions& async_regions = {});

  // The match site of rule `rule_index` for the match [match_begin, match_end) in `text`, the
  // file last searched, as search() would make it (lines, context, the rule's exclude_path,
  // exclude_line and unless_within filters): for matches another stage locates. False when a
  // filter drops it.
  bool finding_at(std::uint32_t rule_index, std::string_view path, std::string_view text,
                  std::size_t match_begin, std::size_t match_end, MatchSite& out);

 private:
  struct LineSpan {
    std::size_t begin;   // start of first line
    std::size_t end;     // just past the last line's terminator (or end of text)
    std::size_t match_begin;
    std::size_t match_end;
  };

  bool run_rule(const CompiledRule& rule, std::string_view text, std::vector<LineSpan>& spans,
                regex::MatchResult& failure);
  // `absent`, when given, flags the rule's line literals that `range` does not hold.
  bool run_line_mode(const CompiledRule& rule, std::string_view text, std::vector<LineSpan>& spans,
                     regex::MatchResult& failure, TextRange range,
                     const std::vector<std::uint8_t>* absent = nullptr);
  // Flags in absent_ the line literals of rule `index` that region `region` lacks.
  void absent_in_region(std::uint32_t index, std::string_view text,
                        const std::vector<TextRange>& regions, std::size_t region);
  bool run_multiline(const CompiledRule& rule, std::string_view text, std::vector<LineSpan>& spans,
                     regex::MatchResult& failure);
  bool passes_pipeline(const CompiledRule& rule, std::string_view path, std::string_view text,
                       const LineSpan& span);
  bool any_line_matches(const std::vector<regex::Regex>& patterns, std::string_view text,
                        std::size_t begin, std::size_t end);
  // Fills in a fresh finding's MatchSite: the searcher's part of every finding.
  void make_site(std::uint32_t rule_index, const CompiledRule& rule, std::string_view path,
                 std::string_view text, const LineSpan& span, MatchSite& finding);

  const RuleSet& rules_;
  SearchOptions options_;
  regex::MatchScratch scratch_;
  LineIndex lines_;
  std::vector<LineSpan> spans_;
  bool secondary_present(std::uint32_t literal, std::string_view text);

  std::vector<std::size_t> next_literal_;  // run_line_mode: next occurrence of each line literal
  // Per async region of the current file, which of RuleSet::region_line_literals() it holds
  // (regions x set size), found when a rule first asks.
  std::vector<std::uint8_t> region_presence_;
  bool region_presence_known_ = false;
  std::vector<std::uint8_t> found_;
  std::vector<std::uint8_t> absent_;
  std::vector<std::uint8_t> present_;  // prefilter literals found in the current file
  // Secondary literals of the current file: 0 not looked up yet, 1 absent, 2 present.
  std::vector<std::uint8_t> secondary_;
};

}  // namespace asyncsweep::search
