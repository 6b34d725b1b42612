// Printers: turn a finished sweep into text or JSON Lines. They write into a std::string so
// that the caller decides where bytes go (stdout, a file) and how a closed pipe ends.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "result/sweep_result.hpp"
#include "search/rule_set.hpp"

namespace asyncsweep::report {

struct TextStyle {
  bool color = false;
  bool show_summary = true;
};

// Takes each piece of a report in order; false stops the printing (the write failed).
using PieceWriter = std::function<bool(std::string_view)>;

void print_text(const SweepResult& result, const search::RuleSet& rules, const TextStyle& style,
                std::string& out);
// The same, handed to `write` about a megabyte at a time. False: `write` failed.
bool print_text(const SweepResult& result, const search::RuleSet& rules, const TextStyle& style,
                const PieceWriter& write);
void print_json(const SweepResult& result, const search::RuleSet& rules, std::string& out);
// The same text handed to `write` in pieces as it is formatted: thousands of findings are
// formatted in blocks on up to `threads` threads (0: all cores), a few megabytes at a time, so
// that neither a copy into one string nor the whole report is ever held. False: `write` failed.
bool print_json(const SweepResult& result, const search::RuleSet& rules, const PieceWriter& write, int threads);
// The summary record alone (what --stats prints on stderr).
void print_summary_json(const SweepResult& result, const search::RuleSet& rules, std::string& out);
// `asyncsweep inventory`: per file and total counts of async constructs (code only).
void print_inventory_text(const SweepResult& result, std::string& out);
void print_inventory_json(const SweepResult& result, std::string& out);
// `asyncsweep rules`
void print_rules_text(const search::RuleSet& rules, std::string& out);
void print_rules_json(const search::RuleSet& rules, std::string& out);
// `asyncsweep explain ID --format json`: the rule's fields as `rules` lists them, and whether it is fixable.
void print_explain_json(const rules::Rule& rule, std::string& out);

// Base64 (RFC 4648, standard alphabet, padded), as rg --json uses for non-UTF-8 data.
std::string base64(std::string_view bytes);
bool valid_utf8(std::string_view bytes);

}  // namespace asyncsweep::report
