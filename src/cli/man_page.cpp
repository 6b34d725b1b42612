#include "cli/man_page.hpp"

#include <fmt/format.h>

#include "cli/version.hpp"

namespace asyncsweep::cli {

namespace {

// Text as roff prints it: a backslash is an escape, a hyphen must be \- to stay one a user can
// copy, and a line may not begin with a control character.
std::string roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_heading(const OptionSpec& option) {
  std::string heading;
  for (const auto& name : option.short_names) {
    heading += fmt::format("{}\\fB\\-{}\\fR", heading.empty() ? "" : ", ", roff(name));
  }
  for (const auto& name : option.long_names) {
    heading += fmt::format("{}\\fB\\-\\-{}\\fR", heading.empty() ? "" : ", ", roff(name));
  }
  if (!option.value_name.empty()) heading += fmt::format(" \\fI{}\\fR", roff(option.value_name));
  return heading;
}

std::string option_list(const CommandSpec& command) {
  std::string out;
  for (const OptionSpec& option : command.options) {
    out += fmt::format(".TP\n{}\n{}\n", option_heading(option), roff(option.help));
    if (!option.choices.empty()) {
      std::string values;
      for (const auto& choice : option.choices) {
        values += fmt::format("{}\\fB{}\\fR", values.empty() ? "" : ", ", roff(choice));
      }
      out += fmt::format(".br\nValues: {}.\n", values);
    }
  }
  return out;
}

std::string usage(const CommandSpec& command, std::string_view prefix) {
  std::string out = fmt::format(".B {}\n[\\fIOPTIONS\\fR]", prefix);
  for (const PositionalSpec& positional : command.positionals) {
    const std::string operand =
        fmt::format("\\fI{}\\fR{}", roff(positional.name), positional.repeatable ? "..." : "");
    out += positional.required ? " " + operand : fmt::format(" [{}]", operand);
  }
  return out + "\n";
}

std::string synopsis(const CommandSpec& program) {
  std::string out = usage(program, program.name);
  for (const CommandSpec& sub : program.subcommands) {
    out += ".br\n" + usage(sub, program.name + " " + sub.name);
  }
  return out;
}

std::string commands(const CommandSpec& program) {
  std::string out;
  for (const CommandSpec& sub : program.subcommands) {
    out += fmt::format(".SS \"{} {}\"\n{}\n", program.name, roff(sub.name), roff(sub.help));
    for (const PositionalSpec& positional : sub.positionals) {
      out += fmt::format(".TP\n\\fI{}\\fR\n{}\n", roff(positional.name), roff(positional.help));
    }
    out += option_list(sub);
  }
  return out;
}

void replace(std::string& text, std::string_view placeholder, const std::string& with) {
  if (auto at = text.find(placeholder); at != std::string::npos) {
    text.replace(at, placeholder.size(), with);
  }
}

}  // namespace

std::string man_page(const CommandSpec& program) {
  std::string page(man_template());
  replace(page, "@VERSION@", std::string(version()));
  replace(page, "@SYNOPSIS@\n", synopsis(program));
  replace(page, "@OPTIONS@\n", option_list(program));
  replace(page, "@COMMANDS@\n", commands(program));
  return page;
}

}  // namespace asyncsweep::cli
