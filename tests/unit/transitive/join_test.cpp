// The transitive join on hand-made summaries: shortest chains, the depth limit, cycles,
// methods found through bases, constructors, async callees and unresolved names; the function
// index the closure grows round by round.
#include "transitive/join.hpp"
#include "transitive/closure.hpp"
#include "transitive/function_index.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "rules/rule.hpp"

using namespace asyncsweep;

namespace {

const search::RuleSet& default_rules() {
  static const search::RuleSet rules(rules::load_default_pack());
  return rules;
}

FunctionSummary sync_fn(std::string name, std::vector<std::string> calls, bool blocks = false) {
  FunctionSummary f;
  f.name = std::move(name);
  f.line = 1;
  std::uint32_t line = 2;
  for (auto& target : calls) {
    CallSite call;
    call.target = call.text = target;
    call.line = line++;
    f.calls.push_back(std::move(call));
  }
  if (blocks) {
    BlockingSite block;
    block.line = line;
    block.rule = "ASW101";
    block.text = "open";
    f.blocks.push_back(std::move(block));
  }
  return f;
}

FunctionSummary async_fn(std::string name, std::vector<std::string> calls) {
  FunctionSummary f = sync_fn(std::move(name), std::move(calls));
  f.is_async = true;
  return f;
}

// The callee chain (functions) of each finding, by the call's text.
std::vector<std::pair<std::string, std::vector<std::string>>> chains(
    const std::vector<FileSummary>& files) {
  std::vector<const FileSummary*> pointers;
  for (const auto& f : files) pointers.push_back(&f);
  auto rule = transitive::calls_blocking_rule(default_rules());
  REQUIRE(rule);
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const Finding& finding : transitive::join(pointers, default_rules(), *rule)) {
    std::vector<std::string> functions;
    for (const auto& step : finding.features->chain) functions.push_back(step.function);
    out.emplace_back(finding.reasons.front().substr(0, finding.reasons.front().find('(')),
                     functions);
  }
  return out;
}

}  // namespace

TEST_CASE("the shortest chain, within four functions, cycles included", "[transitive]") {
  FileSummary file;
  file.path = "mod.py";
  file.module = "mod";
  file.functions = {
      sync_fn("leaf", {}, true),
      sync_fn("a", {"mod.b", "mod.leaf"}),  // depth 2 through leaf, not 3 through b
      sync_fn("b", {"mod.a"}),              // a cycle with a: depth 3
      sync_fn("d2", {"mod.leaf"}),
      sync_fn("d3", {"mod.d2"}),
      sync_fn("d4", {"mod.d3"}),
      sync_fn("d5", {"mod.d4"}),
      sync_fn("loop1", {"mod.loop2"}),
      sync_fn("loop2", {"mod.loop1"}),  // a cycle that never blocks
      async_fn("coro", {}),
      async_fn("main",
               {"mod.a", "mod.b", "mod.d4", "mod.d5", "mod.loop1", "mod.coro", "elsewhere.f"}),
  };
  const auto found = chains({file});
  REQUIRE(found.size() == 3);
  CHECK(found[0].second == std::vector<std::string>{"mod.a", "mod.leaf"});
  CHECK(found[1].second == std::vector<std::string>{"mod.b", "mod.a", "mod.leaf"});
  CHECK(found[2].second == std::vector<std::string>{"mod.d4", "mod.d3", "mod.d2", "mod.leaf"});
}

TEST_CASE("methods through the bases, in another module; constructors run __init__",
          "[transitive]") {
  FileSummary base;
  base.path = "pkg/base.py";
  base.module = "pkg.base";
  base.classes = {ClassSummary{"Base", {}}, ClassSummary{"Mixin", {}}};
  base.functions = {sync_fn("Base._read", {}, true), sync_fn("Mixin._read", {}),
                    sync_fn("Base.__init__", {"pkg.base.Base._read"})};
  FileSummary store;
  store.path = "pkg/store.py";
  store.module = "pkg.store";
  store.classes = {ClassSummary{"Store", {"pkg.base.Base", "pkg.base.Mixin"}}};
  store.functions = {async_fn("Store.get", {"pkg.store.Store._read", "pkg.store.Store"})};
  const auto found = chains({store, base});
  REQUIRE(found.size() == 2);
  CHECK(found[0].second == std::vector<std::string>{"pkg.base.Base._read"});
  CHECK(found[1].second ==
        std::vector<std::string>{"pkg.base.Base.__init__", "pkg.base.Base._read"});
}

TEST_CASE("summaries of one file merge by function name", "[transitive]") {
  FileSummary into;
  into.path = "pkg/mod.py";
  into.module = "pkg.mod";
  into.partial = true;
  into.defines = {"a_helper", "b_helper", "c_helper"};
  // Short names (kept inside the string object) and more functions than the vector has room
  // for: the merge must not hold views of names that move when it grows.
  for (const char* name : {"f", "g", "h"}) {
    into.functions.push_back(sync_fn(name, {}, true));
    into.functions.back().line = static_cast<std::uint32_t>(into.functions.size() * 10);
  }
  into.functions.shrink_to_fit();
  FileSummary from = into;
  from.functions.clear();
  from.defines = {"b_helper", "c_helper", "d_helper"};
  for (const char* name : {"g", "a", "k", "z"}) {
    from.functions.push_back(sync_fn(name, {"pkg.mod.f"}));
    from.functions.back().line = static_cast<std::uint32_t>(5 + from.functions.size() * 10);
  }
  transitive::merge_summary(into, std::move(from));
  std::vector<std::string> names;
  for (const auto& f : into.functions) names.push_back(f.name);
  // By line; `g` is kept as it was (its calls stay empty), the others are added.
  CHECK(names == std::vector<std::string>{"f", "g", "a", "h", "k", "z"});
  CHECK(into.functions[1].calls.empty());
  // Still uncovered: what neither summary covers.
  CHECK(into.defines == std::vector<std::string>{"b_helper", "c_helper"});
  CHECK(into.partial);
}

TEST_CASE("an index grown file by file answers as one built at once", "[transitive]") {
  // Two paths define pkg.mod.helper (the first path's wins); a class is looked up through a
  // base in the other file; one file is removed, merged into and added again.
  FileSummary first;
  first.path = "a/pkg/mod.py";
  first.module = "pkg.mod";
  first.functions = {sync_fn("helper", {}, true)};
  FileSummary second;
  second.path = "b/pkg/mod.py";
  second.module = "pkg.mod";
  second.functions = {sync_fn("helper", {}), sync_fn("other", {})};
  FileSummary sub;
  sub.path = "pkg/sub.py";
  sub.module = "pkg.sub";
  sub.classes = {ClassSummary{"Sub", {"pkg.base.Base"}}};
  sub.functions = {sync_fn("Sub.run", {"pkg.mod.helper"})};
  FileSummary base;
  base.path = "pkg/base.py";
  base.module = "pkg.base";
  base.partial = true;
  base.defines = {"load"};
  base.classes = {ClassSummary{"Base", {}}};
  base.functions = {sync_fn("Base.__init__", {"pkg.mod.other"})};

  transitive::FunctionIndex grown({&sub});
  grown.add(&second);
  grown.add(&base);
  grown.add(&first);
  FileSummary more;
  more.path = base.path;
  more.module = base.module;
  more.partial = true;
  more.classes = base.classes;
  more.functions = {sync_fn("Base.load", {}, true)};
  grown.remove(&base);
  transitive::merge_summary(base, std::move(more));
  grown.add(&base);

  const transitive::FunctionIndex built({&base, &second, &sub, &first});
  for (const char* target : {"pkg.mod.helper", "pkg.mod.other", "pkg.sub.Sub", "pkg.sub.Sub.load",
                             "pkg.sub.Sub.run", "pkg.base.Base.load", "pkg.mod.none"}) {
    INFO(target);
    std::vector<std::string> missing_grown;
    std::vector<std::string> missing_built;
    const FunctionSummary* found = grown.lookup(target, &missing_grown);
    CHECK(found == built.lookup(target, &missing_built));
    CHECK(missing_grown == missing_built);
  }
  CHECK(grown.lookup("pkg.mod.helper") == &first.functions.front());
  CHECK(grown.lookup("pkg.sub.Sub.load") == &base.functions.back());
  CHECK(&grown.file_of(grown.lookup("pkg.mod.other")) == &second);
  CHECK(grown.files() == built.files());
}

TEST_CASE("a name a module re-exports is looked up as what it refers to", "[transitive]") {
  // pkg/__init__.py: `from .store import Store, load` and `from .api import fetch`;
  // pkg/api.py: `from .http import fetch` (a re-export of a re-export); two modules that
  // re-export each other's name (a loop) end the lookup.
  FileSummary init;
  init.path = "pkg/__init__.py";
  init.module = "pkg";
  init.reexports = {
      {"Store", "pkg.store.Store"}, {"fetch", "pkg.api.fetch"}, {"load", "pkg.store.load"}};
  FileSummary api;
  api.path = "pkg/api.py";
  api.module = "pkg.api";
  api.reexports = {{"fetch", "pkg.http.fetch"}};
  FileSummary http;
  http.path = "pkg/http.py";
  http.module = "pkg.http";
  http.functions = {sync_fn("fetch", {}, true)};
  FileSummary store;
  store.path = "pkg/store.py";
  store.module = "pkg.store";
  store.classes = {ClassSummary{"Store", {}}};
  store.functions = {sync_fn("load", {}, true), sync_fn("Store.get", {"pkg.store.load"})};
  FileSummary a;
  a.path = "loop/a.py";
  a.module = "loop.a";
  a.reexports = {{"f", "loop.b.f"}};
  FileSummary b;
  b.path = "loop/b.py";
  b.module = "loop.b";
  b.reexports = {{"f", "loop.a.f"}};
  FileSummary app;
  app.path = "app.py";
  app.module = "app";
  app.functions = {
      async_fn("main", {"pkg.load", "pkg.Store.get", "pkg.fetch", "pkg.store.load", "loop.a.f"})};

  const transitive::FunctionIndex index({&init, &api, &http, &store, &a, &b, &app});
  CHECK(index.lookup("pkg.load") == &store.functions[0]);
  CHECK(index.lookup("pkg.Store.get") == &store.functions[1]);  // a re-exported class's method
  CHECK(index.lookup("pkg.fetch") == &http.functions[0]);       // two re-exports away
  std::vector<std::string> missing;
  CHECK(index.lookup("loop.a.f", &missing) == nullptr);
  CHECK_FALSE(missing.empty());
  // A module not read yet: what the re-export names is missing, for the closure to read.
  FileSummary only_init = init;
  const transitive::FunctionIndex partial({&only_init, &app});
  missing.clear();
  CHECK(partial.lookup("pkg.load", &missing) == nullptr);
  CHECK(missing == std::vector<std::string>{"pkg.store.load"});

  const auto found = chains({app, init, api, http, store, a, b});
  REQUIRE(found.size() == 4);
  CHECK(found[0].second == std::vector<std::string>{"pkg.store.load"});
  CHECK(found[1].second == std::vector<std::string>{"pkg.store.Store.get", "pkg.store.load"});
  CHECK(found[2].second == std::vector<std::string>{"pkg.http.fetch"});
  CHECK(found[3].second == std::vector<std::string>{"pkg.store.load"});

  // Grown, removed and added again, the index answers as before.
  transitive::FunctionIndex grown({&app, &store});
  grown.add(&init);
  grown.add(&http);
  grown.add(&api);
  grown.remove(&init);
  CHECK(grown.lookup("pkg.load") == nullptr);
  grown.add(&init);
  CHECK(grown.lookup("pkg.load") == &store.functions[0]);
  CHECK(grown.lookup("pkg.fetch") == &http.functions[0]);
}
