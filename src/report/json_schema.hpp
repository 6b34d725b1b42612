// The JSON Lines records of `--format json`, named once: report/json_output.cpp writes them and
// report/merge.cpp reads them back (a merged result must be what one sweep would print).
#pragma once

namespace asyncsweep::report {

// Each record's "type".
namespace record_type {
inline constexpr const char* finding = "finding";
inline constexpr const char* config = "config";          // a config rule's match
inline constexpr const char* suppressed = "suppressed";  // hidden by a comment or per-file-ignores
inline constexpr const char* unused_suppression = "unused_suppression";
inline constexpr const char* file = "file";        // --files
inline constexpr const char* summary = "summary";  // ends every output
inline constexpr const char* file_summary = "file_summary";  // a shard's: one file's functions (#20)
}  // namespace record_type

// A text field whose bytes are not UTF-8 also comes exactly, in base64, as "<field>_base64".
inline constexpr const char* kBase64Suffix = "_base64";

namespace json_key {
inline constexpr const char* type = "type";
// finding, config and suppressed records (and path, line for the others)
inline constexpr const char* rule = "rule";
inline constexpr const char* path = "path";
inline constexpr const char* line = "line";
inline constexpr const char* end_line = "end_line";
inline constexpr const char* column = "column";
inline constexpr const char* end_column = "end_column";
inline constexpr const char* score = "score";
inline constexpr const char* lines = "lines";
inline constexpr const char* reasons = "reasons";
inline constexpr const char* context_before = "context_before";
inline constexpr const char* context_after = "context_after";
inline constexpr const char* category = "category";
inline constexpr const char* severity = "severity";
inline constexpr const char* test = "test";  // the finding is in test code
inline constexpr const char* title = "title";
inline constexpr const char* suppressed_by = "suppressed_by";
inline constexpr const char* comment = "comment";  // unused_suppression
inline constexpr const char* chain = "chain";      // calls-blocking: the functions down to the blocking call
inline constexpr const char* triage = "triage";  // file_summary: how its findings are shown
// summary
inline constexpr const char* files_walked = "files_walked";
inline constexpr const char* files_scanned = "files_scanned";
inline constexpr const char* files_skipped = "files_skipped";
inline constexpr const char* skipped = "skipped";
inline constexpr const char* files_errored = "files_errored";
inline constexpr const char* files_incomplete = "files_incomplete";
inline constexpr const char* files_other_shards = "files_other_shards";
inline constexpr const char* shard = "shard";
inline constexpr const char* index = "index";
inline constexpr const char* count = "count";
inline constexpr const char* shards_merged = "shards_merged";
inline constexpr const char* ignored_files = "ignored_files";
inline constexpr const char* ignored_dirs = "ignored_dirs";
inline constexpr const char* no_rule = "no_rule";  // in ignored_files
inline constexpr const char* bytes_scanned = "bytes_scanned";
inline constexpr const char* rules_run = "rules_run";
inline constexpr const char* findings = "findings";
inline constexpr const char* suppressed = "suppressed";
inline constexpr const char* baselined = "baselined";
inline constexpr const char* below_min_score = "below_min_score";
inline constexpr const char* beyond_top = "beyond_top";
inline constexpr const char* excluded_tests = "excluded_tests";
inline constexpr const char* outside_change = "outside_change";
inline constexpr const char* fixed = "fixed";      // summary: fixes --fix wrote
inline constexpr const char* fixable = "fixable";  // summary: fixes not written (yet)
// A finding's safe fix, in Ruff's shape: {"applicability": "safe", "message", "edits":
// [{"content", "location": {"row", "column"}, "end_location": {...}}]} (byte columns, 1-based).
inline constexpr const char* fix = "fix";
inline constexpr const char* applicability = "applicability";
inline constexpr const char* edits = "edits";
inline constexpr const char* content = "content";
inline constexpr const char* location = "location";
inline constexpr const char* end_location = "end_location";
inline constexpr const char* row = "row";
inline constexpr const char* unused_suppressions = "unused_suppressions";
inline constexpr const char* findings_by_score_band = "findings_by_score_band";
inline constexpr const char* findings_by_rule = "findings_by_rule";
inline constexpr const char* inventory_lines = "inventory_lines";
inline constexpr const char* errors = "errors";
inline constexpr const char* message = "message";
inline constexpr const char* elapsed_seconds = "elapsed_seconds";
}  // namespace json_key

}  // namespace asyncsweep::report
