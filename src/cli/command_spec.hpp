// The program's command line as plain data, read from the very CLI11 definitions that parse it
// (cli/args.cpp), so that the man page and the shell completions made from it (cli/man_page,
// cli/completions: `--generate KIND`) can never drift from the flags.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace asyncsweep::cli {

struct OptionSpec {
  std::vector<std::string> short_names;  // "A" for -A
  std::vector<std::string> long_names;   // "after-context" for --after-context
  std::string value_name;                // "INT", "FILE"...; empty for a flag
  std::vector<std::string> choices;      // the values IsMember allows, in its order
  bool takes_path = false;               // its value is a file or directory
  bool repeatable = false;               // a list: each use adds to it
  std::string help;
};

struct PositionalSpec {
  std::string name;
  std::string value_name;
  bool takes_path = false;
  bool required = false;
  bool repeatable = false;
  std::string help;
};

struct CommandSpec {
  std::string name;  // "asyncsweep", or a subcommand's name
  std::string help;
  std::vector<OptionSpec> options;  // hidden ones (CLI11 group "") left out
  std::vector<PositionalSpec> positionals;
  std::vector<CommandSpec> subcommands;
};

CommandSpec describe(const CLI::App& app, const std::string& name);

// What --generate KIND prints: the man page (roff) or a completion script.
enum class Generated { man, complete_bash, complete_zsh, complete_fish };
inline constexpr const char* kGeneratedNames[] = {"man", "complete-bash", "complete-zsh",
                                                  "complete-fish"};
std::string generate(const CommandSpec& program, Generated kind);

}  // namespace asyncsweep::cli
