// The JSON of the transitive join's data: a shard's file summaries (record type file_summary,
// read back by `merge`) and a finding's chain (field `chain` of its record).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "result/finding.hpp"
#include "result/summary.hpp"

namespace asyncsweep::report {

// {"type": "file_summary", "path": ..., "module": ..., "functions": [...], ...}
nlohmann::json summary_json(const FileSummary& summary);
// The inverse; throws std::runtime_error naming the field that is missing or of the wrong type.
FileSummary summary_from_json(const nlohmann::json& record);

// [{"path": ..., "line": N, "function": ..., "call": ..., "rule": ...}, ...] (rule: last step only)
nlohmann::json chain_json(const std::vector<ChainStep>& chain);

}  // namespace asyncsweep::report
