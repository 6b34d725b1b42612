#include "search/searcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace asyncsweep::search {

void FileOutcome::clear() {
  findings.clear();
  errors.clear();
  config_hits.clear();
  std::fill(counts.begin(), counts.end(), 0);
}

Searcher::Searcher(const RuleSet& rules, const SearchOptions& options)
    : rules_(rules), options_(options), scratch_(options.limits) {}

namespace {

std::size_t end_of_line(std::string_view text, std::size_t from) {
  if (from >= text.size()) return text.size();
  const void* hit = std::memchr(text.data() + from, '\n', text.size() - from);
  return hit == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(hit) - text.data()) + 1;
}

std::size_t start_of_line(std::string_view text, std::size_t at) {
  while (at > 0 && text[at - 1] != '\n') --at;
  return at;
}

// Text of [begin, end) without the final "\n" (and "\r" of a CRLF line).
std::string_view strip_terminator(std::string_view text, std::size_t begin, std::size_t end) {
  if (end > begin && text[end - 1] == '\n') --end;
  if (end > begin && text[end - 1] == '\r') --end;
  return text.substr(begin, end - begin);
}

}  // namespace

void Searcher::search(std::string_view path, std::string_view text,
                      const std::vector<std::uint32_t>& rule_indices, FileOutcome& out,
                      const AsyncRegions& async_regions) {
  bool regions_asked = false;
  const std::vector<TextRange>* regions = nullptr;
  if (out.counts.size() != rules_.size()) out.counts.assign(rules_.size(), 0);
  lines_.reset(text);
  if (rules_.has_prefilter()) rules_.literals().scan(text, present_);
  secondary_.assign(rules_.secondary_literals().size(), 0);
  region_presence_known_ = false;
  for (std::uint32_t index : rule_indices) {
    const CompiledRule& rule = rules_[index];
    if (rule.rule.check == rules::Check::calls_blocking) continue;  // the transitive join's
    bool possible = std::all_of(rule.requirements.begin(), rule.requirements.end(), [&](const auto& alternatives) {
      return std::any_of(alternatives.begin(), alternatives.end(), [&](std::uint32_t i) { return present_[i] != 0; });
    });
    possible = possible && std::all_of(rule.secondary.begin(), rule.secondary.end(), [&](const auto& alternatives) {
      return std::any_of(alternatives.begin(), alternatives.end(),
                         [&](std::uint32_t i) { return secondary_present(i, text); });
    });
    if (!possible) continue;
    spans_.clear();
    regex::MatchResult failure;
    bool complete = true;
    if (rule.rule.scope == rules::Scope::async && !rule.rule.multiline && async_regions) {
      if (!regions_asked) {
        regions = async_regions();
        regions_asked = true;
      }
    }
    if (rule.rule.scope == rules::Scope::async && !rule.rule.multiline && regions != nullptr) {
      // Lines are searched alone either way (rg's line mode), so searching only the lines of
      // async bodies finds exactly the lines a whole-file search would keep.
      for (std::size_t r = 0; r < regions->size(); ++r) {
        const TextRange& range = (*regions)[r];
        // Every match holds one of the literals, and a region's matches lie within it.
        if (rule.region_literals && !rule.region_literals->contains_any(
                                        text.substr(range.begin, range.end - range.begin))) {
          continue;
        }
        const bool shared_pass = !rule.region_line_ids.empty();
        if (shared_pass) absent_in_region(index, text, *regions, r);
        if (!run_line_mode(rule, text, spans_, failure, range, shared_pass ? &absent_ : nullptr)) {
          complete = false;
          break;
        }
      }
    } else {
      complete = run_rule(rule, text, spans_, failure);
    }
    if (!complete) {
      // Keep what was found before the limit; say plainly that the rest is unknown.
      out.errors.push_back(SweepError{
          std::string(path), rule.rule.id,
          fmt::format("{} at byte {} (search of this rule in this file is incomplete; "
                      "raise --match-limit or --jit-stack-size)",
                      regex::to_string(failure.status), failure.start)});
    }
    for (const LineSpan& span : spans_) {
      if (!options_.seed_exact && !passes_pipeline(rule, path, text, span)) continue;
      if (!options_.seed_exact && rule.rule.kind != rules::Kind::candidate) {
        if (!rule.rule.multiline) {
          ++out.counts[index];  // a line-mode span is one line: no need to number it
        } else {
          std::uint32_t first = lines_.line_of(span.begin);
          std::uint32_t last = lines_.line_of(span.end > span.begin ? span.end - 1 : span.begin);
          out.counts[index] += last - first + 1;
        }
        if (rule.rule.kind == rules::Kind::config) {
          make_site(index, rule, path, text, span, out.config_hits.emplace_back());
        }
        continue;
      }
      make_site(index, rule, path, text, span, out.findings.emplace_back());
    }
  }
}

void Searcher::absent_in_region(std::uint32_t index, std::string_view text,
                                const std::vector<TextRange>& regions, std::size_t region) {
  const LiteralSet& set = rules_.region_line_literals();
  const std::size_t size = set.size();
  if (!region_presence_known_) {
    region_presence_.clear();
    for (const TextRange& range : regions) {
      set.scan(text.substr(range.begin, range.end - range.begin), found_);
      region_presence_.insert(region_presence_.end(), found_.begin(), found_.end());
    }
    region_presence_known_ = true;
  }
  const std::vector<std::uint32_t>& ids = rules_[index].region_line_ids;
  absent_.resize(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    absent_[i] = region_presence_[region * size + ids[i]] == 0;
}

bool Searcher::secondary_present(std::uint32_t literal, std::string_view text) {
  if (secondary_[literal] == 0) {
    secondary_[literal] = rules_.secondary_literals()[literal].find(text) != std::string_view::npos ? 2 : 1;
  }
  return secondary_[literal] == 2;
}

bool Searcher::run_rule(const CompiledRule& rule, std::string_view text, std::vector<LineSpan>& spans,
                        regex::MatchResult& failure) {
  return rule.rule.multiline ? run_multiline(rule, text, spans, failure)
                             : run_line_mode(rule, text, spans, failure, TextRange{0, text.size()});
}

// rg without -U searches line by line. Matching the whole buffer at once is much faster, so
// we do that and only fall back to a single line when a match crossed a line boundary
// (possible with \s or [^x] classes), in which case the line alone decides.
// `range` starts at a line start and ends after a line break (or at the end of the text).
bool Searcher::run_line_mode(const CompiledRule& rule, std::string_view text,
                             std::vector<LineSpan>& spans, regex::MatchResult& failure,
                             TextRange range, const std::vector<std::uint8_t>* absent) {
  std::size_t pos = range.begin;
  // Next occurrence of each line literal at or after pos (npos: none left).
  const std::vector<LiteralFinder>& literals = rule.line_literals;
  next_literal_.assign(literals.size(), 0);
  bool first = true;
  std::size_t line_end = range.end;  // of the line the last literal found is on
  while (pos <= range.end) {
    if (!literals.empty()) {
      // No line before the next literal can hold a match: start at that literal's line.
      std::size_t next = std::string_view::npos;
      for (std::size_t i = 0; i < literals.size(); ++i) {
        if (first && absent != nullptr && (*absent)[i] != 0) {
          // A literal the range lacks has no occurrence in it: its finder need not look.
          next_literal_[i] = std::string_view::npos;
        } else if (first ||
                   (next_literal_[i] != std::string_view::npos && next_literal_[i] < pos)) {
          next_literal_[i] = literals[i].find(text.substr(0, range.end), pos);
        }
        next = std::min(next, next_literal_[i]);
      }
      first = false;
      if (next == std::string_view::npos) return true;
      pos = start_of_line(text, next);
      line_end = end_of_line(text, next);
    }
    // With literals, only a match that starts on the literal's line (its "\n" included) can
    // be kept: one starting later belongs to a later line, which the next literal leads to,
    // and one crossing from a line without a literal is dropped by the line-alone check.
    // Bounding the start spares PCRE2 the bytes up to the next literal.
    regex::MatchResult m =
        literals.empty()
            ? scratch_.find(rule.regex, text, pos, range.end)
            : scratch_.find_starting_by(rule.regex, text, pos, range.end,
                                        text[line_end - 1] == '\n' ? line_end - 1 : line_end);
    if (m.status == regex::MatchStatus::no_match) {
      if (literals.empty() || line_end >= range.end) return true;
      pos = line_end;
      continue;
    }
    if (m.status != regex::MatchStatus::match) {
      failure = m;
      failure.start = pos;
      return false;
    }
    // An empty match at the start of the line after the range: not the range's line.
    if (m.start == range.end && range.end < text.size()) return true;
    std::size_t begin = start_of_line(text, m.start);
    std::size_t end = end_of_line(text, m.start);
    // A match that starts exactly at the end of a text without a final newline is an empty
    // match on a line that does not exist for rg.
    if (m.start == text.size() && begin == text.size() && (text.empty() || text.back() == '\n')) {
      return true;
    }
    std::size_t content_end = (end > begin && text[end - 1] == '\n') ? end - 1 : end;
    if (m.end <= content_end) {
      spans.push_back({begin, end, m.start, m.end});
    } else {
      regex::MatchResult within = scratch_.find(rule.regex, text, begin, content_end);
      if (within.status == regex::MatchStatus::match) {
        spans.push_back({begin, end, within.start, within.end});
      } else if (within.status != regex::MatchStatus::no_match) {
        failure = within;
        failure.start = begin;
        return false;
      }
    }
    if (end >= range.end) return true;
    pos = end;
  }
  return true;
}

// rg -U: find a match, widen it to whole lines, merge with the previous range when it
// starts on or before the line where that one ended; continue from the match end.
bool Searcher::run_multiline(const CompiledRule& rule, std::string_view text,
                             std::vector<LineSpan>& spans, regex::MatchResult& failure) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    regex::MatchResult m = scratch_.find(rule.regex, text, pos);
    if (m.status == regex::MatchStatus::no_match) return true;
    if (m.status != regex::MatchStatus::match) {
      failure = m;
      failure.start = pos;
      return false;
    }
    if (m.start == text.size() && !text.empty() && text.back() == '\n') return true;
    std::size_t begin = start_of_line(text, m.start);
    std::size_t end = (m.end > begin && text[m.end - 1] == '\n') ? m.end : end_of_line(text, m.end);
    if (!spans.empty() && spans.back().end >= begin) {
      spans.back().end = std::max(spans.back().end, end);
    } else {
      spans.push_back({begin, end, m.start, m.end});
    }
    pos = m.end > m.start ? m.end : m.end + 1;
  }
  return true;
}

bool Searcher::any_line_matches(const std::vector<regex::Regex>& patterns, std::string_view text,
                                std::size_t begin, std::size_t end) {
  // Line by line, as grep sees rg's output lines.
  std::size_t line = begin;
  while (line < end) {
    std::size_t stop = std::min(end_of_line(text, line), end);
    std::size_t content_end = (stop > line && text[stop - 1] == '\n') ? stop - 1 : stop;
    for (const auto& pattern : patterns) {
      regex::MatchResult m = scratch_.find(pattern, text, line, content_end);
      if (m.status == regex::MatchStatus::match) return true;
    }
    if (stop == line) break;
    line = stop;
  }
  return false;
}

bool Searcher::passes_pipeline(const CompiledRule& rule, std::string_view path, std::string_view text,
                               const LineSpan& span) {
  if (!rule.exclude_path.empty()) {
    for (const auto& pattern : rule.exclude_path) {
      if (scratch_.find(pattern, path, 0).status == regex::MatchStatus::match) return false;
    }
  }
  if (!rule.exclude_line.empty() && any_line_matches(rule.exclude_line, text, span.begin, span.end)) {
    return false;
  }
  if (!rule.unless_within.empty()) {
    // The window rg -B/-A would print around the match.
    std::uint32_t first = lines_.line_of(span.begin);
    std::uint32_t from = first > static_cast<std::uint32_t>(rule.rule.before) ? first - rule.rule.before : 1;
    std::size_t window_begin = 0;
    std::size_t ignored = 0;
    lines_.line_range(from, window_begin, ignored);
    std::size_t window_end = span.end;
    for (int i = 0; i < rule.rule.after && window_end < text.size(); ++i) {
      window_end = end_of_line(text, window_end);
    }
    if (any_line_matches(rule.unless_within, text, window_begin, window_end)) return false;
  }
  return true;
}

void Searcher::make_site(std::uint32_t rule_index, const CompiledRule& rule, std::string_view path,
                         std::string_view text, const LineSpan& span, MatchSite& finding) {
  finding.rule = rule_index;
  finding.path = std::string(path);
  finding.line = lines_.line_of(span.begin);
  std::size_t last_byte = span.end > span.begin ? span.end - 1 : span.begin;
  finding.end_line = lines_.line_of(last_byte);
  finding.column = static_cast<std::uint32_t>(span.match_begin - span.begin + 1);
  std::size_t match_end_line_start = start_of_line(text, span.match_end > span.match_begin ? span.match_end - 1 : span.match_begin);
  finding.end_column = static_cast<std::uint32_t>(span.match_end - match_end_line_start + 1);
  finding.offset = span.match_begin;
  finding.end_offset = span.match_end;
  std::string_view body = text.substr(span.begin, span.end - span.begin);
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  finding.text = std::string(body);

  int before = options_.context_before >= 0 ? options_.context_before : rule.rule.before;
  int after = options_.context_after >= 0 ? options_.context_after : rule.rule.after;
  for (int i = before; i >= 1; --i) {
    if (finding.line <= static_cast<std::uint32_t>(i)) continue;
    std::size_t b = 0, e = 0;
    if (lines_.line_range(finding.line - i, b, e))
      finding.context.add_before(strip_terminator(text, b, e));
  }
  for (int i = 1; i <= after; ++i) {
    std::size_t b = 0, e = 0;
    if (!lines_.line_range(finding.end_line + i, b, e)) break;
    finding.context.add_after(strip_terminator(text, b, e));
  }
}

bool Searcher::finding_at(std::uint32_t rule_index, std::string_view path, std::string_view text,
                          std::size_t match_begin, std::size_t match_end, MatchSite& out) {
  const CompiledRule& rule = rules_[rule_index];
  LineSpan span{lines_.line_start(match_begin), lines_.line_end(match_end > match_begin ? match_end - 1 : match_begin),
                match_begin, match_end};
  if (!passes_pipeline(rule, path, text, span)) return false;
  out = MatchSite{};
  make_site(rule_index, rule, path, text, span, out);
  return true;
}

}  // namespace asyncsweep::search
