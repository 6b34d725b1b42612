// The project's functions and classes by qualified name, over a set of file summaries: what a
// call's target names (a function, a method found through the class's bases, a class's
// __init__), for the join and for the closure that decides which files to summarize.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "result/summary.hpp"

namespace asyncsweep::transitive {

class FunctionIndex {
 public:
  // `files` in any order; a name two files define is the first path's.
  explicit FunctionIndex(std::vector<const FileSummary*> files);

  const std::vector<const FileSummary*>& files() const { return files_; }
  // The closure's rounds keep one index: a file read is added, a file merged into is removed
  // before the merge (its functions move) and added again after. Either way the index is the
  // one the constructor would build of the files now in it.
  void add(const FileSummary* file);
  void remove(const FileSummary* file);
  static std::string qualify(const FileSummary& file, const std::string& name);

  // The function `target` names, or nullptr. When given, `missing` gets the names whose
  // modules could still define it: the target itself when nothing here knows it, the bases
  // of its class that nothing here defines, and the method itself in each class on the way
  // whose file was summarized in part. A name no file defines but a module re-exports
  // (FileSummary::reexports: `pkg.load` for `from .store import load` in pkg/__init__.py) is
  // looked up as what it refers to, up to kMaxReexports times over.
  const FunctionSummary* lookup(const std::string& target,
                                std::vector<std::string>* missing = nullptr) const;
  static constexpr int kMaxReexports = 4;
  const FileSummary& file_of(const FunctionSummary* function) const {
    return *file_of_.at(function);
  }

 private:
  const FunctionSummary* method(std::string_view klass, std::string_view name,
                                std::vector<std::string>* missing) const;
  const FunctionSummary* find(const std::string& target, std::vector<std::string>* missing,
                              int reexports) const;
  const FunctionSummary* through_reexports(const std::string& target,
                                           std::vector<std::string>* missing, int reexports) const;
  void add_reexports(const FileSummary* file);

  std::vector<const FileSummary*> files_;  // by path
  std::unordered_map<std::string, const FunctionSummary*> functions_;
  struct Class {
    const std::vector<std::string>* bases;
    const FileSummary* file;  // a partial summary may lack a method its file defines
  };
  // Looked up by views (of a target's prefix, of a class's bases): no string made for them.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  std::unordered_map<std::string, Class, NameHash, std::equal_to<>> classes_;
  std::unordered_map<const FunctionSummary*, const FileSummary*> file_of_;
  // Re-exports by qualified name ("pkg.load" -> "pkg.store.load"), in path order: the first
  // path's counts.
  struct Reexport {
    const std::string* target;
    const FileSummary* file;
  };
  std::unordered_map<std::string, std::vector<Reexport>, NameHash, std::equal_to<>> reexports_;
};

}  // namespace asyncsweep::transitive
