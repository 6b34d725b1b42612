#include "report/json_writer.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "report/output.hpp"

namespace asyncsweep::report {

void append_json_string(std::string& out, std::string_view value) {
  if (!valid_utf8(value)) {
    // nlohmann's replacement of invalid sequences, byte for byte: rare enough to delegate.
    out += nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(value.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(value.data() + run, value.size() - run);
  out += '"';
}

void JsonRecord::string(std::string_view key, std::string_view value) {
  std::size_t begin = values_.size();
  append_json_string(values_, value);
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::text(std::string_view key, std::string_view value) {
  string(key, value);
  if (!valid_utf8(value)) string(made_keys_.emplace_back(std::string(key) + "_base64"), base64(value));
}

void JsonRecord::number(std::string_view key, std::int64_t value) {
  std::size_t begin = values_.size();
  values_ += std::to_string(value);
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::strings(std::string_view key, const std::vector<std::string>& values) {
  std::size_t begin = values_.size();
  values_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) values_ += ',';
    append_json_string(values_, values[i]);
  }
  values_ += ']';
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::append_line_to(std::string& out) {
  // std::map order, as nlohmann::json keeps its keys; a later field of the same key wins.
  std::stable_sort(fields_.begin(), fields_.end(), [](const Field& a, const Field& b) { return a.key < b.key; });
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (i + 1 < fields_.size() && fields_[i + 1].key == fields_[i].key) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, fields_[i].key);
    out += ':';
    out.append(values_, fields_[i].begin, fields_[i].end - fields_[i].begin);
  }
  out += "}\n";
  fields_.clear();
  values_.clear();
  made_keys_.clear();
}

}  // namespace asyncsweep::report
