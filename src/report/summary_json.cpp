#include "report/summary_json.hpp"

#include <algorithm>

namespace asyncsweep::report {

using nlohmann::json;

namespace {

const json& field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) throw std::runtime_error(std::string("missing field '") + key + "'");
  return *it;
}

template <typename T>
T get(const json& object, const char* key) {
  const json& value = field(object, key);
  try {
    return value.get<T>();
  } catch (const json::exception&) {
    throw std::runtime_error(std::string("field '") + key + "' has the wrong type");
  }
}

// Optional fields of a call: written only for async functions' calls.
template <typename T>
T get_or(const json& object, const char* key, T fallback) {
  return object.contains(key) ? get<T>(object, key) : fallback;
}

const json& array(const json& object, const char* key) {
  const json& value = field(object, key);
  if (!value.is_array()) throw std::runtime_error(std::string("field '") + key + "' is not a list");
  return value;
}

}  // namespace

json summary_json(const FileSummary& summary) {
  json classes = json::array();
  for (const auto& klass : summary.classes)
    classes.push_back({{"name", klass.name}, {"bases", klass.bases}});
  json functions = json::array();
  for (const auto& function : summary.functions) {
    json blocks = json::array();
    for (const auto& block : function.blocks)
      blocks.push_back({{"line", block.line}, {"rule", block.rule}, {"call", block.text}});
    json calls = json::array();
    for (const auto& call : function.calls) {
      json c = {{"target", call.target}, {"call", call.text}, {"line", call.line}};
      if (function.is_async) {
        c["column"] = call.column;
        c["end_column"] = call.end_column;
        c["offset"] = call.offset;
        c["end_offset"] = call.end_offset;
        c["lines"] = call.line_text;
        if (!call.suppressed_by.empty()) c["suppressed_by"] = call.suppressed_by;
      }
      calls.push_back(std::move(c));
    }
    functions.push_back({{"name", function.name},
                         {"line", function.line},
                         {"async", function.is_async},
                         {"blocks", std::move(blocks)},
                         {"calls", std::move(calls)}});
  }
  json out = {{"type", "file_summary"},     {"path", summary.path},
              {"module", summary.module},   {"test", summary.test},
              {"partial", summary.partial}, {"classes", std::move(classes)},
              {"defines", summary.defines}, {"functions", std::move(functions)}};
  if (!summary.reexports.empty()) out["reexports"] = summary.reexports;  // [[local, target], ...]
  if (summary.triage) {
    const FileTriage& triage = *summary.triage;
    // No changed lines: --shard refuses a change.
    json t = {{"runs", triage.runs},
              {"min_score", triage.min_score},
              {"exclude_tests", triage.exclude_tests}};
    if (!triage.ignored_by.empty()) t["ignored_by"] = triage.ignored_by;
    out["triage"] = std::move(t);
  }
  return out;
}

FileSummary summary_from_json(const json& record) {
  FileSummary summary;
  summary.path = get<std::string>(record, "path");
  summary.module = get<std::string>(record, "module");
  summary.test = get<bool>(record, "test");
  summary.partial = get<bool>(record, "partial");
  summary.defines = get_or<std::vector<std::string>>(record, "defines", {});
  if (!std::is_sorted(summary.defines.begin(), summary.defines.end()))
    std::sort(summary.defines.begin(), summary.defines.end());
  summary.reexports =
      get_or<std::vector<std::pair<std::string, std::string>>>(record, "reexports", {});
  std::sort(summary.reexports.begin(), summary.reexports.end());
  for (const auto& klass : array(record, "classes"))
    summary.classes.push_back(
        {get<std::string>(klass, "name"), get<std::vector<std::string>>(klass, "bases")});
  for (const auto& f : array(record, "functions")) {
    FunctionSummary function;
    function.name = get<std::string>(f, "name");
    function.line = get<std::uint32_t>(f, "line");
    function.is_async = get<bool>(f, "async");
    for (const auto& b : array(f, "blocks"))
      function.blocks.push_back({get<std::uint32_t>(b, "line"), get<std::string>(b, "rule"),
                                 get<std::string>(b, "call")});
    for (const auto& c : array(f, "calls")) {
      CallSite call;
      call.target = get<std::string>(c, "target");
      call.text = get<std::string>(c, "call");
      call.line = get<std::uint32_t>(c, "line");
      call.column = get_or<std::uint32_t>(c, "column", 0);
      call.end_column = get_or<std::uint32_t>(c, "end_column", 0);
      call.offset = get_or<std::uint64_t>(c, "offset", 0);
      call.end_offset = get_or<std::uint64_t>(c, "end_offset", 0);
      call.line_text = get_or<std::string>(c, "lines", "");
      call.suppressed_by = get_or<std::string>(c, "suppressed_by", "");
      function.calls.push_back(std::move(call));
    }
    summary.functions.push_back(std::move(function));
  }
  if (record.contains("triage")) {
    const json& t = record.at("triage");
    if (!t.is_object()) throw std::runtime_error("field 'triage' is not an object");
    FileTriage triage;
    triage.runs = get<bool>(t, "runs");
    triage.min_score = get<int>(t, "min_score");
    triage.exclude_tests = get<bool>(t, "exclude_tests");
    triage.ignored_by = get_or<std::string>(t, "ignored_by", "");
    summary.triage = std::move(triage);
  }
  return summary;
}

json chain_json(const std::vector<ChainStep>& chain) {
  json out = json::array();
  for (const auto& step : chain) {
    json s = {
        {"path", step.path}, {"line", step.line}, {"function", step.function}, {"call", step.call}};
    if (!step.rule.empty()) s["rule"] = step.rule;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace asyncsweep::report
