#include "cli/command_spec.hpp"

#include <CLI/CLI.hpp>

#include "cli/completions.hpp"
#include "cli/man_page.hpp"

namespace asyncsweep::cli {

namespace {

// CLI11's type name joins the type and each validator's description with ':': "TEXT:{a,b}",
// "FILE:FILE", "INT:INT in [0 - 1000]". The part in braces is IsMember's set.
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

struct ValueType {
  std::string name;
  std::vector<std::string> choices;
  bool path = false;
};

ValueType value_type(const CLI::Option& option) {
  ValueType type;
  for (const std::string& part : split(option.get_type_name(), ':')) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      type.choices = split(part.substr(1, part.size() - 2), ',');
    } else if (type.name.empty()) {
      type.name = part;
    }
    // ExistingFile's description is FILE; a type_name of FILE or PATH says the same.
    if (part == "FILE" || part == "PATH" || part == "DIR") type.path = true;
  }
  return type;
}

}  // namespace

CommandSpec describe(const CLI::App& app, const std::string& name) {
  CommandSpec command{name, app.get_description(), {}, {}, {}};
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    ValueType type = value_type(*option);
    if (!option->nonpositional()) {
      command.positionals.push_back({option->get_name(), type.name, type.path,
                                     option->get_required(), option->get_items_expected_max() > 1,
                                     option->get_description()});
      continue;
    }
    OptionSpec spec;
    spec.short_names = option->get_snames();
    spec.long_names = option->get_lnames();
    spec.help = option->get_description();
    if (option->get_type_size_max() > 0) {
      spec.value_name = type.name;
      spec.choices = std::move(type.choices);
      spec.takes_path = type.path;
      spec.repeatable = option->get_items_expected_max() > 1;
    }
    command.options.push_back(std::move(spec));
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    command.subcommands.push_back(describe(*sub, sub->get_name()));
  }
  return command;
}

std::string generate(const CommandSpec& program, Generated kind) {
  switch (kind) {
    case Generated::man:
      return man_page(program);
    case Generated::complete_bash:
      return bash_completion(program);
    case Generated::complete_zsh:
      return zsh_completion(program);
    case Generated::complete_fish:
      return fish_completion(program);
  }
  return {};
}

}  // namespace asyncsweep::cli
