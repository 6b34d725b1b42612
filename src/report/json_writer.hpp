// One JSON object written as nlohmann::json prints it (keys in std::map order, compact, UTF-8
// kept, control characters escaped), without building a tree of allocations per record: the
// JSON Lines output of a sweep with many thousands of findings spent most of its time there.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result/reasons.hpp"

namespace asyncsweep::report {

// Appends `value` as a JSON string literal, exactly as nlohmann::json::dump would with
// ensure_ascii off and invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view value);

class JsonRecord {
 public:
  // Keys must outlive the record's next append_line_to (string literals do).
  void string(std::string_view key, std::string_view value);
  // A text field: the string, plus "<key>_base64" with the exact bytes when they are not UTF-8.
  void text(std::string_view key, std::string_view value);
  void number(std::string_view key, std::int64_t value);
  void boolean(std::string_view key, bool value);
  void strings(std::string_view key, const std::vector<std::string>& values);
  void strings(std::string_view key, const Reasons& values);
  // A value serialized already (an array or object as nlohmann::json::dump writes it).
  void raw(std::string_view key, std::string_view encoded);
  // Writes the object and a newline.
  void append_line_to(std::string& out);

 private:
  template <typename Strings>
  void string_array(std::string_view key, const Strings& values);
  struct Field {
    std::string_view key;
    std::size_t begin, end;  // the serialized value in values_
  };
  std::vector<Field> fields_;
  std::string values_;
  std::deque<std::string> made_keys_;  // "<key>_base64" (a deque: references stay valid)
};

}  // namespace asyncsweep::report
