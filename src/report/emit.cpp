#include "report/emit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "io/file_descriptor.hpp"
#include "report/formats.hpp"
#include "report/listing_output.hpp"
#include "report/output.hpp"
#include "walk/filter.hpp"

namespace asyncsweep::report {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

namespace {

bool write_pieces(int fd, const std::vector<std::string>& pieces) {
  return std::all_of(pieces.begin(), pieces.end(),
                     [fd](const std::string& piece) { return write_all(fd, piece); });
}

void print_listing(const SweepResult& result, const search::RuleSet& rules, Listing listing,
                   std::string& out) {
  switch (listing) {
    case Listing::report:
    case Listing::quiet:  // rg -q: the exit code says it all
      break;
    case Listing::vimgrep:
      print_rg_lines(result, true, out);
      break;
    case Listing::count:
      print_counts(result, out);
      break;
    case Listing::files_with_matches:
      print_files_with_matches(result, out);
      break;
    case Listing::statistics:
      print_statistics(result, rules, out);
      break;
  }
}

}  // namespace

void write_file(const std::string& path, const std::vector<std::string>& pieces) {
  io::FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw std::runtime_error(path + ": cannot open for writing: " + std::strerror(errno));
  const bool written = write_pieces(fd.get(), pieces);
  const int write_error = errno;
  // close() can be where a full disk shows: checked, but a write error is the one to tell.
  const int close_error = fd.close();
  if (!written || close_error != 0) {
    throw std::runtime_error(
        path + ": write failed: " + std::strerror(written ? close_error : write_error));
  }
}

void emit_errors(const SweepResult& result) {
  std::string err;
  for (const auto& error : result.errors) {
    err += "asyncsweep: " + error.path + ": " +
           (error.rule.empty() ? "" : "rule " + error.rule + ": ") + error.message + "\n";
  }
  write_all(STDERR_FILENO, err);
}

bool emit_report(const SweepResult& result, const search::RuleSet& rules,
                 const OutputOptions& options) {
  std::string out;
  std::vector<std::string> pieces;  // JSON: written in the pieces it was formatted in
  if (options.listing != Listing::report) {
    print_listing(result, rules, options.listing, out);
  } else {
    switch (options.format) {
      case Format::json:
        print_json(result, rules, pieces, options.threads);
        break;
      case Format::sarif: {
        SarifOptions sarif;
        sarif.tool_version = options.tool_version;
        print_sarif(result, rules, out, sarif);
        break;
      }
      case Format::github:
        print_github(result, rules, out);
        break;
      case Format::markdown:
        print_markdown(result, rules, out);
        break;
      case Format::rg:
        print_rg_lines(result, false, out);
        break;
      case Format::text:
        if (options.list_files || !result.files.empty()) {  // merged --files outputs too
          for (const auto& file : result.files) out += file + "\n";
        } else {
          print_text(result, rules, TextStyle{options.color, true}, out);
        }
        break;
    }
  }
  if (pieces.empty()) pieces.push_back(std::move(out));
  if (!options.path.empty()) {
    write_file(options.path, pieces);
  } else if (!write_pieces(STDOUT_FILENO, pieces)) {
    // Only a reader that went away (`| head`) ends quietly: a full disk is not a report.
    if (errno != EPIPE)
      throw std::runtime_error(std::string("<stdout>: write failed: ") + std::strerror(errno));
    return false;
  }
  if (options.stats) {
    std::string stats;
    print_summary_json(result, rules, stats);
    write_all(STDERR_FILENO, stats);
  }
  return true;
}

void emit_inventory(const SweepResult& result, const OutputOptions& options) {
  std::string out;
  if (options.format == Format::json)
    print_inventory_json(result, out);
  else
    print_inventory_text(result, out);
  if (!options.path.empty())
    write_file(options.path, {out});
  else
    write_all(STDOUT_FILENO, out);
}

void emit_rules(const search::RuleSet& rules, const OutputOptions& options) {
  std::string out;
  if (options.format == Format::json)
    print_rules_json(rules, out);
  else
    print_rules_text(rules, out);
  write_all(STDOUT_FILENO, out);
}

void emit_type_list() {
  std::string out;
  for (const auto& [name, globs] : walk::Filter::type_table()) {
    out += name + ":";
    for (std::size_t i = 0; i < globs.size(); ++i) out += (i ? ", " : " ") + globs[i];
    out += '\n';
  }
  write_all(STDOUT_FILENO, out);
}

}  // namespace asyncsweep::report
