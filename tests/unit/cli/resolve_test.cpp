#include "cli/resolve.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "result/finding.hpp"

using namespace asyncsweep;

namespace {

// An environment holding exactly `variables`.
cli::Environment fake_environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

cli::Args isolated_args() {
  cli::Args args;
  args.isolated = true;  // no [tool.asyncsweep] from wherever the test runs
  return args;
}

}  // namespace

TEST_CASE("resolve: git's global config is located from the environment it is given") {
  const cli::Options options = cli::resolve(
      isolated_args(),
      fake_environment(
          {{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/xdg"}, {"GIT_CONFIG_GLOBAL", "/g/config"}}));
  const walk::GitEnvironment& git = options.sweep.filter.git_env;
  CHECK(git.home == "/home/u");
  CHECK(git.xdg_config_home == "/xdg");
  CHECK(git.git_config_global == "/g/config");

  const cli::Options bare = cli::resolve(isolated_args(), fake_environment({}));
  CHECK(bare.sweep.filter.git_env.home.empty());
  CHECK(bare.sweep.filter.git_env.xdg_config_home.empty());
  CHECK(bare.sweep.filter.git_env.git_config_global.empty());
}

TEST_CASE(
    "resolve: --max-filesize is clamped to the largest file a finding's 32-bit offsets reach") {
  cli::Args args = isolated_args();
  args.max_filesize = "2M";
  CHECK(cli::resolve(args, fake_environment({})).sweep.max_filesize == 2ull << 20);
  args.max_filesize = "8G";
  CHECK(cli::resolve(args, fake_environment({})).sweep.max_filesize == kLargestFile);
  args.max_filesize = "4294967295";
  CHECK(cli::resolve(args, fake_environment({})).sweep.max_filesize == 0xFFFFFFFFull);
}
