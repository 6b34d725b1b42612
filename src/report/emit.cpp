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

namespace {

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

namespace {

// Where a report goes: the -o file, opened before the first piece (so that a large report is
// written as it is formatted, never held whole), or stdout.
class ReportOutput {
 public:
  explicit ReportOutput(const std::string& path) : path_(path) {
    if (path_.empty()) return;
    fd_ = io::FileDescriptor(::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd_) throw std::runtime_error(path_ + ": cannot open for writing: " + std::strerror(errno));
  }

  bool write(std::string_view data) {
    if (error_ == 0 && !write_all(path_.empty() ? STDOUT_FILENO : fd_.get(), data)) error_ = errno;
    return error_ == 0;
  }

  // False when stdout's reader went away (`| head`): the caller ends quietly. Otherwise a failed
  // write throws naming the file: a full disk must not pass for a short report.
  bool finish() {
    if (!path_.empty()) {
      // close() can be where a full disk shows: checked, but a write error is the one to tell.
      const int close_error = fd_.close();
      if (error_ != 0 || close_error != 0)
        throw std::runtime_error(path_ + ": write failed: " + std::strerror(error_ != 0 ? error_ : close_error));
      return true;
    }
    if (error_ == 0) return true;
    if (error_ != EPIPE) throw std::runtime_error(std::string("<stdout>: write failed: ") + std::strerror(error_));
    return false;
  }

 private:
  std::string path_;  // empty: stdout
  io::FileDescriptor fd_;
  int error_ = 0;     // errno of the first failed write
};

}  // namespace

void write_file(const std::string& path, const std::vector<std::string>& pieces) {
  ReportOutput output(path);
  for (const auto& piece : pieces) {
    if (!output.write(piece)) break;
  }
  output.finish();
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
  ReportOutput output(options.path);
  const PieceWriter write = [&output](std::string_view piece) { return output.write(piece); };
  std::string out;
  if (options.listing != Listing::report) {
    print_listing(result, rules, options.listing, out);
  } else {
    switch (options.format) {
      case Format::json:
        print_json(result, rules, write, options.threads);
        break;
      case Format::sarif: {
        SarifOptions sarif;
        sarif.tool_version = options.tool_version;
        print_sarif(result, rules, write, sarif);
        break;
      }
      case Format::github:
        print_github(result, rules, write);
        break;
      case Format::markdown:
        print_markdown(result, rules, write);
        break;
      case Format::rg:
        print_rg_lines(result, false, out);
        break;
      case Format::text:
        if (options.list_files || !result.files.empty()) {  // merged --files outputs too
          for (const auto& file : result.files) out += file + "\n";
        } else {
          print_text(result, rules, TextStyle{options.color, true}, write);
        }
        break;
    }
  }
  if (!out.empty()) output.write(out);
  if (!output.finish()) return false;
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
