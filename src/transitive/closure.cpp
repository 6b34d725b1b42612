#include "transitive/closure.hpp"

#include <fcntl.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "search/file_reader.hpp"
#include "transitive/function_index.hpp"
#include "transitive/join.hpp"

namespace asyncsweep::transitive {

namespace {

// The longest module prefix of a dotted name, with its file: "pkg.store.Store.load" ->
// pkg.store, pkg/store.py.
const ModuleFiles::value_type* module_file(const ModuleFiles& modules, std::string_view name) {
  for (;;) {
    auto it =
        std::lower_bound(modules.begin(), modules.end(), name,
                         [](const auto& entry, std::string_view n) { return entry.first < n; });
    if (it != modules.end() && it->first == name) return &*it;
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

bool word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether `text` may bind one of `names` by importing it from its own package `top`
// (`from .store import load`, also in a parenthesized list; `from top.store import load`,
// `import top.store as load`): a module that re-exports what is wanted of it, as
// analyze/summaries records them. A textual look, as defines_any's: a false answer is proof.
bool imports_any(std::string_view text, const std::set<std::string>& names, std::string_view top) {
  for (std::size_t at = text.find("import"); at != std::string_view::npos;
       at = text.find("import", at + 6)) {
    if ((at > 0 && word_byte(text[at - 1])) || (at + 6 < text.size() && word_byte(text[at + 6])))
      continue;
    // The statement's head, from its line's start: `from SOURCE` or nothing.
    const std::size_t line =
        text.rfind('\n', at) == std::string_view::npos ? 0 : text.rfind('\n', at) + 1;
    std::string_view head = text.substr(line, at - line);
    head.remove_prefix(std::min(head.find_first_not_of(" \t"), head.size()));
    std::size_t begin = text.find_first_not_of(" \t", at + 6);
    if (begin == std::string_view::npos) return false;
    std::string_view source;
    if (head.starts_with("from") && head.size() > 4 &&
        (head[4] == ' ' || head[4] == '\t' || head[4] == '.')) {
      source = head.substr(4);
      source.remove_prefix(std::min(source.find_first_not_of(" \t"), source.size()));
    } else if (!head.empty()) {
      continue;  // `import` inside some other statement or text
    } else {
      source = text.substr(begin);  // `import top.mod as name`
    }
    const bool own =
        source.starts_with('.') ||
        (source.starts_with(top) && source.size() > top.size() &&
         (source[top.size()] == '.' || source[top.size()] == ' ' || source[top.size()] == '\t'));
    if (!own) continue;
    const std::size_t end = text[begin] == '(' ? text.find(')', begin) : text.find('\n', begin);
    const std::string_view list =
        text.substr(begin, end == std::string_view::npos ? end : end - begin);
    for (const auto& name : names) {
      for (std::size_t n = list.find(name); n != std::string_view::npos;
           n = list.find(name, n + 1)) {
        const std::size_t after = n + name.size();
        if ((n == 0 || !word_byte(list[n - 1])) &&
            (after == list.size() || !word_byte(list[after])))
          return true;
      }
    }
  }
  return false;
}

// The names that the functions a chain can pass through call, and that nothing summarized yet
// defines: breadth first from the calls in async functions, each function at its shortest
// distance, no further than the join looks. Only those functions' calls lead to more files:
// a module's other functions never make a chain.
std::set<std::string> unresolved(const FunctionIndex& index) {
  std::vector<std::string> missing;
  std::unordered_map<const FunctionSummary*, int> level;
  std::deque<const FunctionSummary*> queue;
  // Many calls name the same target: it is looked up once (what it adds to `missing` is there
  // already).
  std::unordered_map<std::string_view, const FunctionSummary*> callee_of;
  auto follow = [&](const FunctionSummary& function, int depth) {
    for (const auto& call : function.calls) {
      auto [known, added] = callee_of.try_emplace(call.target, nullptr);
      if (added) known->second = index.lookup(call.target, &missing);
      const FunctionSummary* callee = known->second;
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

void merge_summary(FileSummary& into, FileSummary&& from) {
  std::set<std::string> known;  // copies: push_back below may move the names
  for (const auto& function : into.functions) known.insert(function.name);
  const std::size_t before = into.functions.size();
  for (auto& function : from.functions) {
    if (known.count(function.name) == 0) into.functions.push_back(std::move(function));
  }
  if (into.functions.size() != before) {
    std::stable_sort(
        into.functions.begin(), into.functions.end(),
        [](const FunctionSummary& a, const FunctionSummary& b) { return a.line < b.line; });
  }
  if (into.classes.empty()) into.classes = std::move(from.classes);
  if (into.reexports.empty()) into.reexports = std::move(from.reexports);  // the same in both
  if (!into.triage) into.triage = std::move(from.triage);  // the sweep that swept the file set it
  // Still to be covered: what neither covers.
  std::vector<std::string> open;
  std::set_intersection(into.defines.begin(), into.defines.end(), from.defines.begin(),
                        from.defines.end(), std::back_inserter(open));
  into.defines = std::move(open);
  into.partial = into.partial && from.partial;
  if (!into.partial) into.defines.clear();
}

void complete(std::vector<FileSummary>& summaries, const ModuleFiles& modules,
              const search::RuleSet& rules, std::string_view rule_id, std::uint64_t max_filesize,
              int threads, std::vector<Reader> readers) {
  std::map<std::string, std::size_t> index_of;  // path -> index into summaries
  for (std::size_t i = 0; i < summaries.size(); ++i) index_of.emplace(summaries[i].path, i);
  // The index points into `summaries`, kept across rounds: no push_back below may move them.
  // Each one adds a file of `modules` that index_of did not hold, so this is enough.
  summaries.reserve(summaries.size() + modules.size());
  std::vector<const FileSummary*> files;
  files.reserve(summaries.size());
  for (const auto& summary : summaries) files.push_back(&summary);
  FunctionIndex index(std::move(files));
  std::mutex readers_lock;  // a thread takes one of `readers` for its first file
  tbb::enumerable_thread_specific<Reader> local([&] {
    const std::lock_guard<std::mutex> lock(readers_lock);
    if (readers.empty()) return Reader{analyze::BlockingNames(rules), {}};
    Reader reader = std::move(readers.back());
    readers.pop_back();
    return reader;
  });
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  // path -> the names a round already asked of it: a name it did not summarize then (not
  // defined there: a re-export, a constant's method) is not asked again.
  std::map<std::string, std::set<std::string>> asked;
  // Each round reaches one call further; base classes may need a few more.
  for (int round = 0; round < 2 * kMaxDepth; ++round) {
    struct Wanted {
      const std::string* module;
      std::set<std::string> names;  // what the calls want of it
      // The names right after the module's ("Store" of pkg.Store.load): what a re-export binds.
      std::set<std::string> heads;
    };
    std::map<std::string, Wanted> wanted;  // by path
    for (const std::string& name : unresolved(index)) {
      const ModuleFiles::value_type* entry = module_file(modules, name);
      if (entry == nullptr) continue;
      const std::string* path = &entry->second;
      const std::size_t dot = name.rfind('.');
      std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
      if (auto it = index_of.find(*path);
          it != index_of.end() && !summaries[it->second].may_add(last))
        continue;
      if (!asked[*path].insert(last).second) continue;
      auto& want = wanted.try_emplace(*path, Wanted{&entry->first, {}, {}}).first->second;
      want.names.insert(std::move(last));
      const std::size_t head = entry->first.size() + 1;  // past "module."
      if (head < name.size()) want.heads.emplace(name.substr(head, name.find('.', head) - head));
    }
    if (wanted.empty()) break;
    const std::vector<std::pair<std::string, Wanted>> work(wanted.begin(), wanted.end());
    std::vector<std::optional<FileSummary>> read(work.size());  // in `work`'s order
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, work.size(), [&](std::size_t i) {
        Reader& reader = local.local();
        const auto& [path, want] = work[i];
        const std::set<std::string>& names = want.names;
        search::ReadResult file =
            search::read_file(AT_FDCWD, path.c_str(), max_filesize, reader.buffer);
        if (file.status != search::ReadStatus::ok) return;
        // Most calls into a module are of functions that do not block, or not of a function
        // at all (a constant's method): model only a module that may define one of the names
        // wanted, or re-export one, and summarize only what they reach.
        if (!defines_any(file.text, names) &&
            !imports_any(file.text, want.heads,
                         std::string_view(*want.module).substr(0, want.module->find('.'))))
          return;
        const python::LineModel model = python::LineModel::build(file.text);
        // Constructors too, as the sweep's summaries have them: other files call them most, and
        // a later round would otherwise model the file again for them.
        std::set<std::string> roots = names;
        roots.insert("__init__");
        read[i] = analyze::summarize(path, *want.module, model, reader.blocking, rule_id,
                                     analyze::Coverage::of_names(std::move(roots)));
      });
    });
    for (std::size_t i = 0; i < work.size(); ++i) {
      if (!read[i] || read[i]->empty()) continue;
      const std::string& path = work[i].first;
      if (auto it = index_of.find(path); it != index_of.end()) {
        FileSummary& into = summaries[it->second];
        index.remove(&into);
        merge_summary(into, std::move(*read[i]));
        index.add(&into);
      } else {
        index_of.emplace(path, summaries.size());
        summaries.push_back(std::move(*read[i]));
        index.add(&summaries.back());
      }
    }
  }
  std::sort(summaries.begin(), summaries.end(),
            [](const FileSummary& a, const FileSummary& b) { return a.path < b.path; });
}

}  // namespace asyncsweep::transitive
