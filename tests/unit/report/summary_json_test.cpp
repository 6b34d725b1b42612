// A shard's file summaries go through JSON to `merge` (report/summary_json): what the join and
// its triage read must come back as it was written, and a damaged record must be refused with
// the field named.
#include "report/summary_json.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

using namespace asyncsweep;

namespace {

FileSummary sample() {
  FileSummary summary;
  summary.path = "svc/pkg/handlers.py";
  summary.module = "pkg.handlers";
  summary.test = true;
  summary.partial = true;
  summary.defines = {"helper", "Store"};
  summary.classes.push_back({"Store", {"pkg.base.Base"}});
  FunctionSummary sync;
  sync.name = "helper";
  sync.line = 3;
  sync.blocks.push_back({4, "ASW101", "open"});
  CallSite load;
  load.target = "pkg.util.load";
  load.text = "load";
  load.line = 5;
  sync.calls.push_back(load);
  FunctionSummary coroutine;
  coroutine.name = "handle";
  coroutine.line = 8;
  coroutine.is_async = true;
  CallSite call{"pkg.handlers.helper", "helper", 9, 5, 12, 120, 127, "    helper()",
                "# asyncsweep: ignore"};
  coroutine.calls.push_back(call);
  summary.functions = {sync, coroutine};
  return summary;
}

void check_same(const FileSummary& a, const FileSummary& b) {
  CHECK(a.path == b.path);
  CHECK(a.module == b.module);
  CHECK(a.test == b.test);
  CHECK(a.partial == b.partial);
  CHECK(b.defines == std::vector<std::string>{"Store", "helper"});  // sorted when read
  REQUIRE(b.classes.size() == 1);
  CHECK(b.classes[0].bases == a.classes[0].bases);
  REQUIRE(b.functions.size() == 2);
  CHECK(b.functions[0].blocks[0].text == "open");
  const CallSite& call = b.functions[1].calls.at(0);
  CHECK(call.target == "pkg.handlers.helper");
  CHECK(call.end_offset == 127);
  CHECK(call.line_text == "    helper()");
  CHECK(call.suppressed_by == "# asyncsweep: ignore");
  CHECK(a.triage == b.triage);
}

}  // namespace

TEST_CASE("summary_json: a file summary and its triage come back as written") {
  FileSummary without = sample();
  check_same(without, report::summary_from_json(report::summary_json(without)));
  CHECK_FALSE(report::summary_json(without).contains("triage"));

  FileSummary with = sample();
  with.triage = FileTriage{false, 65, "per-file-ignores in svc/pyproject.toml", true, false, {}};
  const nlohmann::json record = report::summary_json(with);
  CHECK(record.at("triage").at("ignored_by") == "per-file-ignores in svc/pyproject.toml");
  check_same(with, report::summary_from_json(record));
  with.triage->ignored_by.clear();
  check_same(with, report::summary_from_json(report::summary_json(with)));
}

TEST_CASE("summary_json: a damaged triage is refused, naming the field") {
  FileSummary with = sample();
  with.triage = FileTriage{};
  auto refused = [&](const nlohmann::json& record) -> std::string {
    try {
      report::summary_from_json(record);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "accepted";
  };
  nlohmann::json record = report::summary_json(with);
  record["triage"] = 3;
  CHECK(refused(record) == "field 'triage' is not an object");
  record = report::summary_json(with);
  record["triage"]["min_score"] = "high";
  CHECK(refused(record) == "field 'min_score' has the wrong type");
  record = report::summary_json(with);
  record["triage"].erase("runs");
  CHECK(refused(record) == "missing field 'runs'");
}
