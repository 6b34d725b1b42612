#include "cli/command_spec.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace asyncsweep;

namespace {

const cli::OptionSpec& find(const cli::CommandSpec& command, const std::string& long_name) {
  for (const auto& option : command.options) {
    for (const auto& name : option.long_names) {
      if (name == long_name) return option;
    }
  }
  FAIL("no option --" << long_name);
  throw;
}

// A small app with each kind of definition args.cpp uses.
struct Fixture {
  CLI::App app{"tool"};
  std::string format = "text";
  std::string file;
  bool flag = false;
  std::vector<std::string> list;
  std::vector<std::string> paths;
  int hidden = 0;
  Fixture() {
    app.add_option("paths", paths, "Files")->type_name("PATH");
    app.add_option("-f,--format,--output-format", format, "Output format")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    app.add_option("--config", file, "A file")->type_name("FILE");
    app.add_option("--rules", list, "Packs")->check(CLI::ExistingFile)->allow_extra_args(false);
    app.add_flag("--quiet", flag, "Say nothing");
    app.add_option("--bench", hidden, "hidden")->group("");
    CLI::App* sub = app.add_subcommand("merge", "Merge outputs");
    sub->add_option("files", list, "Outputs")->required();
  }
};

}  // namespace

TEST_CASE("describe reads names, values, choices and paths from the CLI11 definitions") {
  Fixture fixture;
  const cli::CommandSpec spec = cli::describe(fixture.app, "tool");

  const cli::OptionSpec& format = find(spec, "format");
  CHECK(format.short_names == std::vector<std::string>{"f"});
  CHECK(format.long_names == std::vector<std::string>{"format", "output-format"});
  CHECK(format.choices == std::vector<std::string>{"text", "json", "sarif"});
  CHECK_FALSE(format.takes_path);
  CHECK(format.value_name == "TEXT");

  CHECK(find(spec, "config").takes_path);
  CHECK(find(spec, "rules").takes_path);  // ExistingFile
  CHECK(find(spec, "rules").repeatable);
  CHECK(find(spec, "quiet").value_name.empty());  // a flag
  CHECK(find(spec, "quiet").choices.empty());
  for (const auto& option : spec.options) {
    CHECK(option.long_names != std::vector<std::string>{"bench"});  // group "": hidden
  }

  REQUIRE(spec.positionals.size() == 1);
  CHECK(spec.positionals[0].name == "paths");
  CHECK(spec.positionals[0].takes_path);
  CHECK_FALSE(spec.positionals[0].required);
  REQUIRE(spec.subcommands.size() == 1);
  CHECK(spec.subcommands[0].name == "merge");
  REQUIRE(spec.subcommands[0].positionals.size() == 1);
  CHECK(spec.subcommands[0].positionals[0].required);
}

TEST_CASE("the man page escapes hyphens and fills every placeholder") {
  Fixture fixture;
  const std::string page = cli::generate(cli::describe(fixture.app, "tool"), cli::Generated::man);
  CHECK(
      page.find("\\fB\\-f\\fR, \\fB\\-\\-format\\fR, \\fB\\-\\-output\\-format\\fR \\fITEXT\\fR") !=
      std::string::npos);
  CHECK(page.find("Values: \\fBtext\\fR, \\fBjson\\fR, \\fBsarif\\fR.") != std::string::npos);
  CHECK(page.find(".B tool merge\n[\\fIOPTIONS\\fR] \\fIfiles\\fR...") != std::string::npos);
  CHECK(page.find('@') == std::string::npos);  // no placeholder left
}

TEST_CASE("the completion scripts offer choices for the option that has them") {
  Fixture fixture;
  const cli::CommandSpec spec = cli::describe(fixture.app, "tool");
  CHECK(cli::generate(spec, cli::Generated::complete_bash)
            .find("-f|--format|--output-format) COMPREPLY=($(compgen -W 'text json sarif'") !=
        std::string::npos);
  CHECK(cli::generate(spec, cli::Generated::complete_zsh)
            .find("'--format=[Output format]:TEXT:(text json sarif)'") != std::string::npos);
  CHECK(cli::generate(spec, cli::Generated::complete_fish)
            .find("-s f -l format -l output-format -x -a 'text json sarif'") != std::string::npos);
}
