#include "transitive/closure.hpp"

#include <fcntl.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <optional>
#include <set>
#include <unordered_map>

#include "search/file_reader.hpp"
#include "transitive/function_index.hpp"
#include "transitive/join.hpp"

namespace asyncsweep::transitive {

namespace {

// The file of the longest module prefix of a dotted name: "pkg.store.Store.load" -> pkg/store.py.
const std::string* module_file(const std::map<std::string, std::string>& modules,
                               std::string_view name) {
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
    for (std::size_t at = text.find(name); at != std::string_view::npos;
         at = text.find(name, at + 1)) {
      std::size_t before = text.find_last_not_of(" \t", at == 0 ? 0 : at - 1);
      if (at == 0 || before == std::string_view::npos) continue;
      std::string_view word = text.substr(0, before + 1);
      if (word.ends_with("def") || word.ends_with("class")) return true;
    }
  }
  return false;
}

// The names that the functions a chain can pass through call, and that nothing summarized yet
// defines: breadth first from the calls in async functions, each function at its shortest
// distance, no further than the join looks. Only those functions' calls lead to more files:
// a module's other functions never make a chain.
std::set<std::string> unresolved(const std::vector<FileSummary>& summaries) {
  std::vector<const FileSummary*> files;
  for (const auto& summary : summaries) files.push_back(&summary);
  const FunctionIndex index(std::move(files));
  std::vector<std::string> missing;
  std::unordered_map<const FunctionSummary*, int> level;
  std::deque<const FunctionSummary*> queue;
  auto follow = [&](const FunctionSummary& function, int depth) {
    for (const auto& call : function.calls) {
      const FunctionSummary* callee = index.lookup(call.target, &missing);
      if (callee == nullptr || callee->is_async) continue;
      if (level.try_emplace(callee, depth).second && depth < kMaxDepth) queue.push_back(callee);
    }
  };
  for (const auto* file : index.files()) {
    for (const auto& function : file->functions) {
      if (function.is_async) follow(function, 1);
    }
  }
  while (!queue.empty()) {
    const FunctionSummary* function = queue.front();
    queue.pop_front();
    follow(*function, level.at(function) + 1);
  }
  return std::set<std::string>(missing.begin(), missing.end());
}

}  // namespace

bool wants_whole(const FileSummary& partial, std::string_view text) {
  if (partial.module.empty()) return false;
  const std::string prefix = partial.module + ".";
  std::set<std::string> async_names;
  for (const auto& function : partial.functions) async_names.insert(function.name);
  std::set<std::string> names;
  for (const auto& function : partial.functions) {
    for (const auto& call : function.calls) {
      if (!call.target.starts_with(prefix)) continue;
      const std::string within = call.target.substr(prefix.size());
      if (async_names.count(within) != 0) continue;  // resolved by the partial summary
      const std::size_t dot = within.rfind('.');
      names.insert(dot == std::string::npos ? within : within.substr(dot + 1));
    }
  }
  return !names.empty() && defines_any(text, names);
}

void complete(std::vector<FileSummary>& summaries,
              const std::map<std::string, std::string>& modules, const search::RuleSet& rules,
              std::string_view rule_id, std::uint64_t max_filesize, int threads) {
  std::map<std::string, std::string> module_of;  // path -> module
  for (const auto& [module, path] : modules) module_of.emplace(path, module);
  std::set<std::string> seen;  // summarized whole
  for (const auto& summary : summaries) {
    if (!summary.partial) seen.insert(summary.path);
  }
  struct Reader {
    analyze::BlockingNames blocking;
    search::ReadBuffer buffer;
  };
  tbb::enumerable_thread_specific<Reader> readers([&rules] {
    return Reader{analyze::BlockingNames(rules), {}};
  });
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  // path -> names a read found no def or class of: a later round that wants only those need
  // not read the file again (most modules a round wants do not define the name: a re-export,
  // a constant's method).
  std::map<std::string, std::set<std::string>> absent;
  // Each round reaches one call further; base classes may need a few more.
  for (int round = 0; round < 2 * kMaxDepth; ++round) {
    std::map<std::string, std::set<std::string>> wanted;  // path -> the names the calls want
    for (const std::string& name : unresolved(summaries)) {
      const std::string* path = module_file(modules, name);
      if (path == nullptr || seen.count(*path) != 0) continue;
      const std::size_t dot = name.rfind('.');
      std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
      if (auto known = absent.find(*path); known != absent.end() && known->second.count(last) != 0)
        continue;
      wanted[*path].insert(std::move(last));
    }
    if (wanted.empty()) break;
    const std::vector<std::pair<std::string, std::set<std::string>>> work(wanted.begin(),
                                                                          wanted.end());
    std::vector<std::optional<FileSummary>> read_whole(work.size());  // in `work`'s order
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, work.size(), [&](std::size_t i) {
        Reader& reader = readers.local();
        const auto& [path, names] = work[i];
        search::ReadResult read =
            search::read_file(AT_FDCWD, path.c_str(), max_filesize, reader.buffer);
        if (read.status != search::ReadStatus::ok) return;
        // Most calls into a module are of functions that do not block, or not of a function
        // at all (a constant's method, a re-export): read whole only a module that defines
        // one of the names wanted.
        if (!defines_any(read.text, names)) return;
        const python::LineModel model = python::LineModel::build(read.text);
        read_whole[i] =
            analyze::summarize(path, module_of.at(path), model, reader.blocking, rule_id);
      });
    });
    std::vector<FileSummary> fresh;
    for (std::size_t i = 0; i < work.size(); ++i) {
      if (!read_whole[i]) {
        absent[work[i].first].insert(work[i].second.begin(), work[i].second.end());
        continue;
      }
      seen.insert(work[i].first);
      if (!read_whole[i]->empty()) fresh.push_back(std::move(*read_whole[i]));
    }
    // A file's whole summary replaces the partial one the sweep made.
    std::erase_if(summaries,
                  [&](const FileSummary& s) { return s.partial && seen.count(s.path) != 0; });
    std::move(fresh.begin(), fresh.end(), std::back_inserter(summaries));
  }
  std::sort(summaries.begin(), summaries.end(),
            [](const FileSummary& a, const FileSummary& b) { return a.path < b.path; });
}

}  // namespace asyncsweep::transitive
