#include "transitive/function_index.hpp"

#include <algorithm>
#include <tuple>

namespace asyncsweep::transitive {

FunctionIndex::FunctionIndex(std::vector<const FileSummary*> files) : files_(std::move(files)) {
  std::sort(files_.begin(), files_.end(),
            [](const auto* a, const auto* b) { return a->path < b->path; });
  // Sized once: the closure builds the index anew each round.
  std::size_t functions = 0;
  std::size_t classes = 0;
  for (const auto* file : files_) {
    functions += file->functions.size();
    classes += file->classes.size();
  }
  functions_.reserve(functions);
  file_of_.reserve(functions);
  classes_.reserve(classes);
  for (const auto* file : files_) {
    for (const auto& function : file->functions) {
      functions_.try_emplace(qualify(*file, function.name), &function);
      file_of_.emplace(&function, file);
    }
    for (const auto& klass : file->classes)
      classes_.try_emplace(qualify(*file, klass.name), Class{&klass.bases, file});
    add_reexports(file);
  }
}

void FunctionIndex::add_reexports(const FileSummary* file) {
  for (const auto& [local, target] : file->reexports) {
    auto& under = reexports_[qualify(*file, local)];
    under.push_back(Reexport{&target, file});
    // In path order, as everything here: a name two files re-export is the first path's.
    std::sort(under.begin(), under.end(), [](const Reexport& a, const Reexport& b) {
      return std::tie(a.file->path, *a.target) < std::tie(b.file->path, *b.target);
    });
  }
}

void FunctionIndex::add(const FileSummary* file) {
  auto by_path = [](const FileSummary* a, const FileSummary* b) { return a->path < b->path; };
  files_.insert(std::upper_bound(files_.begin(), files_.end(), file, by_path), file);
  // A name two files define is the first path's, as in the constructor.
  for (const auto& function : file->functions) {
    auto [it, added] = functions_.try_emplace(qualify(*file, function.name), &function);
    if (!added && file->path < file_of_.at(it->second)->path) it->second = &function;
    file_of_.emplace(&function, file);
  }
  for (const auto& klass : file->classes) {
    auto [it, added] = classes_.try_emplace(qualify(*file, klass.name), Class{&klass.bases, file});
    if (!added && file->path < it->second.file->path) it->second = Class{&klass.bases, file};
  }
  add_reexports(file);
}

void FunctionIndex::remove(const FileSummary* file) {
  std::erase(files_, file);
  for (const auto& function : file->functions) {
    if (auto it = functions_.find(qualify(*file, function.name));
        it != functions_.end() && it->second == &function)
      functions_.erase(it);
    file_of_.erase(&function);
  }
  for (const auto& klass : file->classes) {
    if (auto it = classes_.find(qualify(*file, klass.name));
        it != classes_.end() && it->second.file == file)
      classes_.erase(it);
  }
  for (const auto& [local, target] : file->reexports) {
    auto it = reexports_.find(qualify(*file, local));
    if (it == reexports_.end()) continue;
    std::erase_if(it->second, [file](const Reexport& r) { return r.file == file; });
    if (it->second.empty()) reexports_.erase(it);
  }
}

std::string FunctionIndex::qualify(const FileSummary& file, const std::string& name) {
  if (file.module.empty()) return name;
  std::string qualified;  // one allocation: the index makes one per function, every round
  qualified.reserve(file.module.size() + 1 + name.size());
  qualified.append(file.module).append(1, '.').append(name);
  return qualified;
}

const FunctionSummary* FunctionIndex::lookup(const std::string& target,
                                             std::vector<std::string>* missing) const {
  return find(target, missing, 0);
}

const FunctionSummary* FunctionIndex::find(const std::string& target,
                                           std::vector<std::string>* missing, int reexports) const {
  if (auto it = functions_.find(target); it != functions_.end()) return it->second;
  if (classes_.contains(target)) return method(target, "__init__", missing);
  const std::size_t dot = target.rfind('.');
  const std::string_view view = target;
  if (dot != std::string::npos && classes_.contains(view.substr(0, dot)))
    return method(view.substr(0, dot), view.substr(dot + 1), missing);
  if (reexports < kMaxReexports && !reexports_.empty())
    return through_reexports(target, missing, reexports);
  if (missing != nullptr) missing->push_back(target);
  return nullptr;
}

// `target`, or a prefix of it ("pkg.Store" of "pkg.Store.load"), re-exported: looked up as
// what it refers to. The longest prefix first, as Python resolves the dotted name's head.
const FunctionSummary* FunctionIndex::through_reexports(const std::string& target,
                                                        std::vector<std::string>* missing,
                                                        int reexports) const {
  const std::string_view view = target;
  for (std::size_t end = view.size(); end != std::string_view::npos && end > 0;
       end = view.rfind('.', end - 1)) {
    const std::string_view prefix = view.substr(0, end);
    const std::string_view rest = view.substr(end);
    if (auto it = reexports_.find(prefix); it != reexports_.end())
      return find(*it->second.front().target + std::string(rest), missing, reexports + 1);
  }
  if (missing != nullptr) missing->push_back(target);
  return nullptr;
}

// Depth first through the bases, each class once (Python's MRO differs only for diamonds).
const FunctionSummary* FunctionIndex::method(std::string_view klass, std::string_view name,
                                             std::vector<std::string>* missing) const {
  // Views of the target and of the summaries' bases, which outlive the lookup.
  std::vector<std::string_view> stack{klass};
  // A class and its bases are a handful: a linear look beats building a hash set per lookup.
  std::vector<std::string_view> seen;
  std::string qualified;
  while (!stack.empty()) {
    const std::string_view current = stack.back();
    stack.pop_back();
    if (std::find(seen.begin(), seen.end(), current) != seen.end()) continue;
    seen.push_back(current);
    qualified.assign(current).append(1, '.').append(name);
    if (auto it = functions_.find(qualified); it != functions_.end()) return it->second;
    auto found = classes_.find(current);
    if (found == classes_.end()) {
      if (missing != nullptr && current != klass) missing->emplace_back(current);
      continue;
    }
    if (missing != nullptr && found->second.file->may_add(std::string(name)))
      missing->push_back(qualified);
    const std::vector<std::string>& bases = *found->second.bases;
    for (auto base = bases.rbegin(); base != bases.rend(); ++base) stack.push_back(*base);
  }
  return nullptr;
}

}  // namespace asyncsweep::transitive
