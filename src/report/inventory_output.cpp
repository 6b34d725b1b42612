#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/output.hpp"

namespace asyncsweep::report {

namespace {

python::Inventory totals(const SweepResult& result) {
  python::Inventory sum;
  for (const auto& file : result.inventories) {
    sum.async_defs += file.counts.async_defs;
    sum.awaits += file.counts.awaits;
    sum.gather_calls += file.counts.gather_calls;
    sum.task_group_calls += file.counts.task_group_calls;
    sum.create_task_calls += file.counts.create_task_calls;
    sum.async_fors += file.counts.async_fors;
    sum.async_withs += file.counts.async_withs;
  }
  return sum;
}

bool any(const python::Inventory& c) {
  return c.async_defs || c.awaits || c.gather_calls || c.task_group_calls || c.create_task_calls || c.async_fors ||
         c.async_withs;
}

nlohmann::json counts_json(const python::Inventory& c) {
  return {{"async_functions", c.async_defs}, {"awaits", c.awaits},         {"gather", c.gather_calls},
          {"task_groups", c.task_group_calls}, {"create_task", c.create_task_calls},
          {"async_for", c.async_fors},         {"async_with", c.async_withs}};
}

}  // namespace

void print_inventory_text(const SweepResult& result, std::string& out) {
  out += fmt::format("{:>6} {:>6} {:>6} {:>9} {:>11}  {}\n", "async", "await", "gather", "TaskGroup", "create_task",
                     "file");
  for (const auto& file : result.inventories) {
    const auto& c = file.counts;
    if (!any(c)) continue;
    out += fmt::format("{:>6} {:>6} {:>6} {:>9} {:>11}  {}\n", c.async_defs, c.awaits, c.gather_calls,
                       c.task_group_calls, c.create_task_calls, file.path);
  }
  python::Inventory sum = totals(result);
  out += fmt::format("{:>6} {:>6} {:>6} {:>9} {:>11}  total ({} Python files scanned)\n", sum.async_defs, sum.awaits,
                     sum.gather_calls, sum.task_group_calls, sum.create_task_calls, result.stats.files_scanned);
}

void print_inventory_json(const SweepResult& result, std::string& out) {
  for (const auto& file : result.inventories) {
    if (!any(file.counts)) continue;
    nlohmann::json record = counts_json(file.counts);
    record["type"] = "file";
    record["path"] = file.path;
    out += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  nlohmann::json summary;
  summary["type"] = "summary";
  summary["totals"] = counts_json(totals(result));
  summary["files_scanned"] = result.stats.files_scanned;
  summary["files_walked"] = result.stats.files_walked;
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& error : result.errors) errors.push_back({{"path", error.path}, {"message", error.message}});
  summary["errors"] = errors;
  out += summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += '\n';
}

}  // namespace asyncsweep::report
