// The command line, turned once into an immutable Config. Nothing here scans anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sweep/sweep.hpp"

namespace asyncsweep::cli {

enum class Command { sweep, rules, type_list, import_doc, inventory, merge };
enum class Format { text, json, sarif, github, markdown };
enum class ColorMode { automatic, always, never };

struct Config {
  Command command = Command::sweep;
  Format format = Format::text;
  ColorMode color = ColorMode::automatic;
  std::vector<std::string> rule_files;  // empty: the embedded default pack
  std::vector<std::string> select;      // rule ids or categories; empty: all
  std::vector<std::string> ignore;
  bool stats = false;
  std::string document;  // import-doc: the Markdown scan document
  std::string output;          // --output FILE; empty: stdout
  std::string baseline;        // --baseline FILE: hide findings it knows
  std::string write_baseline;  // --write-baseline FILE
  int min_score = 30;          // --min-score
  bool min_score_given = false;
  bool isolated = false;       // --isolated: ignore [tool.asyncsweep] in pyproject.toml
  std::size_t top = 0;         // --top
  bool sort_by_path = false;   // --sort path
  std::vector<std::string> merge_files;  // merge: shard outputs (JSON Lines; "-": stdin)
  sweep::SweepConfig sweep;
};

struct ParseOutcome {
  std::optional<Config> config;  // set when the program should go on
  int exit_code = 0;             // otherwise: --help, --version or a usage error (already printed)
};

ParseOutcome parse_command_line(int argc, const char* const* argv);

// "1024", "10K", "64M", "2G" → bytes. Throws std::invalid_argument.
std::uint64_t parse_size(const std::string& text);

}  // namespace asyncsweep::cli
