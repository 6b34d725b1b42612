// Turns the rg detection commands of a Markdown scan document into a rule pack skeleton, so
// that the next document of the family becomes a pack in minutes. Commands sharing one regex
// become one rule; pipeline stages become fields (| grep -v → exclude_line, -A/-B | grep -L
// → unless_within, | wc -l → kind = "inventory", file operands → globs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::rules {

struct ImportedCommand {
  std::string command;   // verbatim line
  std::string comment;   // the `# ...` line above it, if any
  std::string section;   // nearest ## or ### heading
  std::size_t line = 0;  // 1-based line in the document
};

// The detection commands: lines starting with `rg ` or `echo ` inside ```bash blocks.
std::vector<ImportedCommand> extract_commands(std::string_view markdown);

// A TOML pack skeleton for the document. `document_name` is recorded in [pack].
// Throws RuleError naming the document line for a command it cannot parse.
std::string import_document(std::string_view markdown, const std::string& document_name);

// Shell words of a command line: single quotes literal, double quotes with \" \\ \$ \`
// escapes, `|` and `&&` as their own words. Throws std::invalid_argument on an open quote.
std::vector<std::string> shell_words(std::string_view line);

}  // namespace asyncsweep::rules
