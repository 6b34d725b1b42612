#include "report/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <nlohmann/json.hpp>

#include "report/json_schema.hpp"
#include "report/output.hpp"

namespace asyncsweep::report {

namespace {

// Length of the leading run of bytes that JSON copies as they are and that need no UTF-8
// check: printable ASCII other than '"' and '\\'. Source lines are mostly that.
std::size_t plain_ascii_prefix(std::string_view value) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= value.size(); i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(value.data() + i));
    // A signed compare: bytes >= 0x80 are negative, so "below space" catches them too.
    __m128i special =
        _mm_or_si128(_mm_cmplt_epi8(bytes, space),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i;
}

// append_json_string, saying whether the value was valid UTF-8 (text() needs to know).
bool append_json_string_checked(std::string& out, std::string_view value) {
  std::size_t i = plain_ascii_prefix(value);
  // An ASCII prefix cannot change whether the rest is valid UTF-8.
  if (i < value.size() && !valid_utf8(value.substr(i))) {
    // nlohmann's replacement of invalid sequences, byte for byte: rare enough to delegate.
    out += nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return false;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  while (i < value.size()) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80 || (c >= 0x20 && c != '"' && c != '\\')) {  // validated above: copied as is
      ++i;
      i += plain_ascii_prefix(value.substr(i));
      continue;
    }
    out.append(value.data() + run, i - run);
    run = ++i;
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
  return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view value) {
  append_json_string_checked(out, value);
}

void JsonRecord::string(std::string_view key, std::string_view value) {
  std::size_t begin = values_.size();
  append_json_string(values_, value);
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::text(std::string_view key, std::string_view value) {
  std::size_t begin = values_.size();
  bool valid = append_json_string_checked(values_, value);
  fields_.push_back({key, begin, values_.size()});
  if (!valid) string(made_keys_.emplace_back(std::string(key) + kBase64Suffix), base64(value));
}

void JsonRecord::number(std::string_view key, std::int64_t value) {
  std::size_t begin = values_.size();
  char digits[24];
  auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  values_.append(digits, static_cast<std::size_t>(end - digits));
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::boolean(std::string_view key, bool value) {
  std::size_t begin = values_.size();
  values_ += value ? "true" : "false";
  fields_.push_back({key, begin, values_.size()});
}

template <typename Strings>
void JsonRecord::string_array(std::string_view key, const Strings& values) {
  std::size_t begin = values_.size();
  values_ += '[';
  bool first = true;
  for (std::string_view value : values) {
    if (!first) values_ += ',';
    first = false;
    append_json_string(values_, value);
  }
  values_ += ']';
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::strings(std::string_view key, const std::vector<std::string>& values) { string_array(key, values); }

void JsonRecord::strings(std::string_view key, const Reasons& values) { string_array(key, values); }

void JsonRecord::raw(std::string_view key, std::string_view encoded) {
  std::size_t begin = values_.size();
  values_ += encoded;
  fields_.push_back({key, begin, values_.size()});
}

void JsonRecord::append_line_to(std::string& out) {
  // std::map order, as nlohmann::json keeps its keys; a later field of the same key wins.
  auto by_key = [](const Field& a, const Field& b) { return a.key < b.key; };
  // Writers add their fields in key order where they can: then there is nothing to sort.
  if (!std::is_sorted(fields_.begin(), fields_.end(), by_key))
    std::stable_sort(fields_.begin(), fields_.end(), by_key);
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
