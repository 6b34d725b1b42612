#include "cli/show_settings.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace asyncsweep::cli {

namespace {

std::string quoted(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", items[i]);
  return out + "]";
}

// One per-file setting: the command line's value when it was given, else the file's.
template <typename T>
std::string line(std::string_view key, bool given, const T& cli_value, bool in_config,
                 const T& config_value, const std::string& origin) {
  if (given) return fmt::format("{} = {}  # command line\n", key, cli_value);
  if (in_config) return fmt::format("{} = {}  # {}\n", key, config_value, origin);
  return fmt::format("{} = {}  # default\n", key, cli_value);
}

}  // namespace

std::string show_settings(const Args& args, const Options& options) {
  const std::string& path = options.show_settings;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw std::runtime_error(path + ": --show-settings: no such file or directory");
  std::shared_ptr<const pyconfig::LoadedConfig> loaded;
  if (options.configs) {
    pyconfig::ConfigLookup lookup = std::filesystem::is_directory(path, ec)
                                        ? options.configs->for_directory(path)
                                        : options.configs->for_file(path);
    if (!lookup.error.empty()) throw std::runtime_error(lookup.error);
    loaded = lookup.config;
  }
  const pyconfig::ProjectConfig empty;
  const pyconfig::ProjectConfig& config = loaded ? loaded->config : empty;
  const std::string origin = loaded ? config.path : "";

  std::string out = fmt::format("# settings for {}\n", path);
  if (args.isolated) {
    out += "# configuration: none (--isolated)\n";
  } else if (!args.config.empty()) {
    out += fmt::format("# configuration: {} (--config)\n", config.path);
  } else {
    out += fmt::format("# configuration: {}\n", loaded ? config.path : "none found (defaults)");
  }
  out += "\n# per file: from the file's nearest configuration unless given on the command line\n";
  out += line("select", !options.rules.select.empty(), quoted(options.rules.select),
              !config.select.empty(), quoted(config.select), origin);
  out += line("ignore", !options.rules.ignore.empty(), quoted(options.rules.ignore),
              !config.ignore.empty(), quoted(config.ignore), origin);
  out +=
      line("exclude", false, quoted({}), !config.exclude.empty(), quoted(config.exclude), origin);
  out += line("min-score", args.min_score_given, args.min_score, config.min_score.has_value(),
              config.min_score.value_or(0), origin);
  std::string ignores = "{";
  for (const auto& [glob, ids] : config.per_file_ignores) {
    ignores += fmt::format("{}\"{}\" = {}", ignores.size() == 1 ? "" : ", ", glob, quoted(ids));
  }
  ignores += "}";
  out += line("per-file-ignores", false, std::string("{}"), !config.per_file_ignores.empty(),
              ignores, origin);
  if (loaded && !std::filesystem::is_directory(path, ec)) {
    out += fmt::format("# excluded: {}\n",
                       pyconfig::ConfigTree::excludes(*loaded, path) ? "yes" : "no");
  }
  out += "\n# global: for the whole run, from the command line only\n";
  out += fmt::format("format = \"{}\"\n", args.format);
  out += fmt::format("output = \"{}\"\n", args.output.empty() ? "-" : args.output);
  out += fmt::format("threads = {}  # 0: one per core\n", args.threads);
  out += fmt::format("top = {}\n", args.top);
  out += fmt::format("sort = \"{}\"\n", args.sort);
  out += fmt::format("baseline = \"{}\"\n", args.baseline);
  return out;
}

}  // namespace asyncsweep::cli
