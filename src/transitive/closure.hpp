// Which files the transitive join needs beyond those the sweep summarized as it went.
//
// Summarizing a file costs its line model and its tokens: several times what the rest of the
// sweep spends on it (measured: all Python files of the stdlib + Debian's asyncio packages made
// the sweep 9x slower). So the sweep summarizes, as it goes, only the files that define async
// functions (their model is built anyway); after the walk, the modules their calls name are
// read and summarized, then the modules those name, and so on while the chains can still grow.
// That reads the few files on the way to blocking calls, not the tree. A shard does the same
// from its own async files (reading files of other shards where a chain leads), so the union
// of the shards' summaries holds everything the whole sweep's join reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyze/summaries.hpp"
#include "result/summary.hpp"
#include "search/file_reader.hpp"

namespace asyncsweep::transitive {

// Adds to `into` the functions of `from` (a summary of the same file) that it lacks: summaries
// of one file made for different roots (a sweep's, a shard's, a later round's) say the same of
// each function they share.
void merge_summary(FileSummary& into, FileSummary&& from);

// (module name, path) of every Python file the walk met (whatever its shard), sorted by module
// name, one path per module (the first in path order): looked up by views of a dotted name's
// prefixes. A sorted vector: the walk's thousands of files make no map nodes.
using ModuleFiles = std::vector<std::pair<std::string, std::string>>;

// `modules`: the walk's ModuleFiles.
// Adds to `summaries` those of the files their calls and base classes lead to, up to the join's
// depth; keeps `summaries` sorted by path. Unreadable files are passed over. The files of one
// round are read on `threads` threads (0: all cores), each with one of `readers` while there
// are some, else a new one.
struct Reader {
  analyze::BlockingNames blocking;  // `rules`' (a cache of the names asked)
  search::ReadBuffer buffer;
};
void complete(std::vector<FileSummary>& summaries, const ModuleFiles& modules,
              const search::RuleSet& rules, std::string_view rule_id, std::uint64_t max_filesize,
              int threads, std::vector<Reader> readers = {});

}  // namespace asyncsweep::transitive
