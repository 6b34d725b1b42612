#include "transitive/closure.hpp"

#include <fcntl.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "search/file_reader.hpp"
#include "transitive/join.hpp"

namespace asyncsweep::transitive {

namespace {

// The file of the longest module prefix of a dotted name: "pkg.store.Store.load" -> pkg/store.py.
const std::string* module_file(const std::map<std::string, std::string>& modules, std::string_view name) {
  for (;;) {
    auto it = modules.find(std::string(name));
    if (it != modules.end()) return &it->second;
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) return nullptr;
    name = name.substr(0, dot);
  }
}

// Whether `text` may define one of `names` by `def NAME` or `class NAME` (a textual look: a
// false answer is proof).
bool defines_any(std::string_view text, const std::set<std::string>& names) {
  for (const auto& name : names) {
    for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      std::size_t before = text.find_last_not_of(" \t", at == 0 ? 0 : at - 1);
      if (at == 0 || before == std::string_view::npos) continue;
      std::string_view word = text.substr(0, before + 1);
      if (word.ends_with("def") || word.ends_with("class")) return true;
    }
  }
  return false;
}

}  // namespace

void complete(std::vector<FileSummary>& summaries, const std::map<std::string, std::string>& modules,
              analyze::BlockingNames& blocking, std::string_view rule_id, std::uint64_t max_filesize) {
  std::set<std::string> seen;  // summarized whole
  for (const auto& summary : summaries) {
    if (!summary.partial) seen.insert(summary.path);
  }
  search::ReadBuffer buffer;
  std::size_t from = 0;  // summaries not looked through yet
  // Each round reaches one call further; base classes may need a few more.
  for (int round = 0; round < 2 * kMaxDepth && from < summaries.size(); ++round) {
    std::map<std::string, std::set<std::string>> wanted;  // path -> the names the calls want
    auto want = [&](const std::string& name) {
      const std::string* path = module_file(modules, name);
      if (path == nullptr || seen.count(*path) != 0) return;
      const std::size_t dot = name.rfind('.');
      wanted[*path].insert(dot == std::string::npos ? name : name.substr(dot + 1));
    };
    for (std::size_t i = from; i < summaries.size(); ++i) {
      for (const auto& klass : summaries[i].classes) {
        for (const auto& base : klass.bases) want(base);
      }
      for (const auto& function : summaries[i].functions) {
        for (const auto& call : function.calls) want(call.target);
      }
    }
    std::vector<FileSummary> fresh;
    for (const auto& [path, names] : wanted) {
      search::ReadResult read = search::read_file(AT_FDCWD, path.c_str(), max_filesize, buffer);
      if (read.status != search::ReadStatus::ok) continue;
      // Most calls into a module are of functions that do not block, or not of a function at
      // all (a constant's method, a re-export): read whole only a module that defines one of
      // the names wanted, or a class (whose bases may).
      if (!defines_any(read.text, names)) continue;
      seen.insert(path);
      const python::LineModel model = python::LineModel::build(read.text);
      std::string module;
      for (const auto& [name, file] : modules) {
        if (file == path) module = name;
      }
      FileSummary summary = analyze::summarize(path, std::move(module), model, blocking, rule_id);
      if (!summary.empty()) fresh.push_back(std::move(summary));
    }
    // A file's whole summary replaces the partial one the sweep made.
    std::erase_if(summaries, [&](const FileSummary& s) { return s.partial && seen.count(s.path) != 0; });
    from = summaries.size();
    std::move(fresh.begin(), fresh.end(), std::back_inserter(summaries));
  }
  std::sort(summaries.begin(), summaries.end(), [](const FileSummary& a, const FileSummary& b) { return a.path < b.path; });
}

}  // namespace asyncsweep::transitive
