#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <toml++/toml.h>
#include <unordered_set>

#include "io/whole_file.hpp"
#include "regex/pcre.hpp"
#include "rules/rule.hpp"
#include "text/suggest.hpp"
#include "walk/glob.hpp"

namespace asyncsweep::rules {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::candidate: return "candidate";
    case Kind::inventory: return "inventory";
    case Kind::config: return "config";
  }
  return "candidate";
}

std::string_view to_string(Scope scope) { return scope == Scope::async ? "async" : "any"; }
std::string_view to_string(Anchor anchor) { return anchor == Anchor::end ? "end" : "start"; }
std::string_view to_string(Check check) {
  switch (check) {
    case Check::none: return "none";
    case Check::finally_closes: return "finally-closes";
    case Check::nonblocking_absent: return "nonblocking-absent";
    case Check::calls_blocking: return "calls-blocking";
    case Check::receiver_kind: return "receiver-kind";
  }
  return "none";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
  }
  return "medium";
}

const std::vector<std::string_view>& known_categories() {
  static const std::vector<std::string_view> categories = {
      "blocking-io",         "deprecated-api",  "nested-run",          "nonblocking-fd",
      "gather-vs-taskgroup", "context-manager", "pytest-asyncio-mark", "inventory",
      "config",              "transitive"};
  return categories;
}

namespace {

// Reports problems as "origin:line:col: rule ID: message" so that an editor can jump there.
class RuleReader {
 public:
  RuleReader(const toml::table& table, const std::string& origin, std::string id, bool check_regexes)
      : table_(table), origin_(origin), id_(std::move(id)), check_regexes_(check_regexes) {}

  bool check_regexes() const { return check_regexes_; }

  [[noreturn]] void fail(const toml::node* node, std::string_view message) const {
    std::string where = origin_;
    if (node != nullptr && node->source().begin) {
      where += fmt::format(":{}:{}", node->source().begin.line, node->source().begin.column);
    } else if (table_.source().begin) {
      where += fmt::format(":{}:{}", table_.source().begin.line, table_.source().begin.column);
    }
    throw RuleError(fmt::format("{}: rule {}: {}", where, id_.empty() ? "?" : id_, message));
  }

  std::string string(std::string_view key, bool required) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) fail(nullptr, fmt::format("missing required key '{}'", key));
      return {};
    }
    if (!node->is_string()) fail(node, fmt::format("'{}' must be a string", key));
    return std::string(node->as_string()->get());
  }

  // Accepts a string or an array of strings.
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = table_.get(key);
    if (node == nullptr) return out;
    if (node->is_string()) {
      out.emplace_back(node->as_string()->get());
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) fail(node, fmt::format("'{}' must be a string or an array of strings", key));
    for (const toml::node& element : *array) {
      if (!element.is_string()) fail(&element, fmt::format("'{}' must hold only strings", key));
      out.emplace_back(element.as_string()->get());
    }
    return out;
  }

  bool boolean(std::string_view key, bool fallback) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return fallback;
    if (!node->is_boolean()) fail(node, fmt::format("'{}' must be true or false", key));
    return node->as_boolean()->get();
  }

  int integer(std::string_view key, int fallback, int max) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return fallback;
    if (!node->is_integer()) fail(node, fmt::format("'{}' must be an integer", key));
    std::int64_t value = node->as_integer()->get();
    if (value < 0 || value > max) fail(node, fmt::format("'{}' must be between 0 and {}", key, max));
    return static_cast<int>(value);
  }

  const toml::node* node(std::string_view key) const { return table_.get(key); }

 private:
  const toml::table& table_;
  const std::string& origin_;
  std::string id_;
  bool check_regexes_;
};

const std::set<std::string, std::less<>> kRuleKeys = {
    "id",           "title",         "category", "section",  "source",    "regex",
    "multiline",    "types",         "globs",    "before",   "after",     "exclude_line",
    "exclude_path", "unless_within", "severity", "kind",     "fix",       "rationale",
    "literals",     "scope",         "anchor",   "check",    "ruff",      "preview",
    "example_bad",  "example_good"};

void check_regex(const RuleReader& reader, std::string_view key, const std::string& pattern) {
  if (!reader.check_regexes()) return;
  regex::CompileError error;
  regex::CompileOptions syntax_only;
  syntax_only.jit = false;  // the rule set JIT-compiles it once the pack is loaded
  if (!regex::Regex::compile(pattern, syntax_only, &error)) {
    reader.fail(reader.node(key), fmt::format("invalid regex in '{}' at offset {}: {} (pattern: {})",
                                              key, error.offset, error.message, pattern));
  }
}

Rule read_rule(const toml::table& table, const std::string& origin, bool check_regexes) {
  std::string id;
  if (const toml::node* node = table.get("id"); node != nullptr && node->is_string()) {
    id = node->as_string()->get();
  }
  RuleReader reader(table, origin, id, check_regexes);
  for (const auto& [key, value] : table) {
    if (!kRuleKeys.contains(key.str())) {
      reader.fail(&value, fmt::format("unknown key '{}'", key.str()));
    }
  }
  Rule rule;
  rule.id = reader.string("id", true);
  if (rule.id.empty()) reader.fail(reader.node("id"), "'id' must not be empty");
  rule.title = reader.string("title", true);
  rule.category = reader.string("category", true);
  const auto& categories = known_categories();
  if (std::find(categories.begin(), categories.end(), rule.category) == categories.end()) {
    std::string allowed;
    for (auto category : categories) allowed += fmt::format("{}{}", allowed.empty() ? "" : ", ", category);
    reader.fail(reader.node("category"),
                fmt::format("unknown category '{}' (one of: {})", rule.category, allowed));
  }
  rule.section = reader.string("section", false);
  rule.source = reader.strings("source");
  rule.regex = reader.string("regex", true);
  check_regex(reader, "regex", rule.regex);
  rule.multiline = reader.boolean("multiline", false);
  rule.types = reader.strings("types");
  rule.globs = reader.strings("globs");
  for (const auto& glob : rule.globs) {
    if (glob.find('/') != std::string::npos) {
      reader.fail(reader.node("globs"), fmt::format("glob '{}' must be a file name glob (no '/')", glob));
    }
    // rg's glob syntax (the sweep matches with walk::Glob): a bad one fails here, not mid-sweep.
    try {
      walk::Glob::compile(glob);
    } catch (const walk::GlobError& error) {
      reader.fail(reader.node("globs"), fmt::format("invalid glob '{}': {}", glob, error.what()));
    }
  }
  rule.before = reader.integer("before", 0, 1000);
  rule.after = reader.integer("after", 0, 1000);
  rule.exclude_line = reader.strings("exclude_line");
  for (const auto& pattern : rule.exclude_line) check_regex(reader, "exclude_line", pattern);
  rule.exclude_path = reader.strings("exclude_path");
  for (const auto& pattern : rule.exclude_path) check_regex(reader, "exclude_path", pattern);
  rule.unless_within = reader.strings("unless_within");
  for (const auto& pattern : rule.unless_within) check_regex(reader, "unless_within", pattern);
  if (!rule.unless_within.empty() && rule.before == 0 && rule.after == 0) {
    reader.fail(reader.node("unless_within"), "'unless_within' needs a window: set 'before' and/or 'after'");
  }
  std::string severity = reader.string("severity", true);
  if (severity == "info") rule.severity = Severity::info;
  else if (severity == "low") rule.severity = Severity::low;
  else if (severity == "medium") rule.severity = Severity::medium;
  else if (severity == "high") rule.severity = Severity::high;
  else reader.fail(reader.node("severity"), fmt::format("unknown severity '{}' (info, low, medium, high)", severity));
  std::string kind = reader.string("kind", false);
  if (kind.empty() || kind == "candidate") rule.kind = Kind::candidate;
  else if (kind == "inventory") rule.kind = Kind::inventory;
  else if (kind == "config") rule.kind = Kind::config;
  else reader.fail(reader.node("kind"), fmt::format("unknown kind '{}' (candidate, inventory, config)", kind));
  rule.fix = reader.string("fix", false);
  rule.rationale = reader.string("rationale", false);
  rule.example_bad = reader.string("example_bad", false);
  rule.example_good = reader.string("example_good", false);
  rule.literals = reader.strings("literals");
  for (const auto& literal : rule.literals) {
    if (literal.empty()) reader.fail(reader.node("literals"), "'literals' must not hold an empty string");
  }
  std::string scope = reader.string("scope", false);
  if (scope.empty() || scope == "any") rule.scope = Scope::any;
  else if (scope == "async") rule.scope = Scope::async;
  else reader.fail(reader.node("scope"), fmt::format("unknown scope '{}' (any, async)", scope));
  std::string anchor = reader.string("anchor", false);
  if (anchor.empty() || anchor == "start") rule.anchor = Anchor::start;
  else if (anchor == "end") rule.anchor = Anchor::end;
  else reader.fail(reader.node("anchor"), fmt::format("unknown anchor '{}' (start, end)", anchor));
  std::string check = reader.string("check", false);
  if (check.empty() || check == "none") rule.check = Check::none;
  else if (check == "finally-closes") rule.check = Check::finally_closes;
  else if (check == "nonblocking-absent") rule.check = Check::nonblocking_absent;
  else if (check == "calls-blocking") rule.check = Check::calls_blocking;
  else if (check == "receiver-kind") rule.check = Check::receiver_kind;
  else reader.fail(reader.node("check"), fmt::format("unknown check '{}' (finally-closes, nonblocking-absent, receiver-kind, calls-blocking)", check));
  rule.ruff = reader.strings("ruff");
  rule.preview = reader.boolean("preview", false);
  rule.origin = origin;
  return rule;
}

RulePack parse_pack_checked(std::string_view toml_text, const std::string& origin, bool check_regexes) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& error) {
    throw RuleError(fmt::format("{}:{}:{}: invalid TOML: {}", origin, error.source().begin.line,
                                error.source().begin.column, error.description()));
  }
  for (const auto& [key, value] : root) {
    if (key.str() != "rule" && key.str() != "pack") {
      throw RuleError(fmt::format("{}:{}:{}: unknown top-level key '{}' (expected [pack] and [[rule]])",
                                  origin, value.source().begin.line, value.source().begin.column,
                                  key.str()));
    }
  }
  RulePack pack;
  const toml::node* rules = root.get("rule");
  if (rules == nullptr) return pack;
  const toml::array* array = rules->as_array();
  if (array == nullptr) {
    throw RuleError(fmt::format("{}:{}:{}: 'rule' must be an array of tables ([[rule]])", origin,
                                rules->source().begin.line, rules->source().begin.column));
  }
  std::unordered_set<std::string> seen;
  for (const toml::node& element : *array) {
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      throw RuleError(fmt::format("{}:{}:{}: each rule must be a table", origin,
                                  element.source().begin.line, element.source().begin.column));
    }
    Rule rule = read_rule(*table, origin, check_regexes);
    if (!seen.insert(rule.id).second) {
      throw RuleError(fmt::format("{}:{}:{}: duplicate rule id '{}'", origin,
                                  table->source().begin.line, table->source().begin.column, rule.id));
    }
    pack.rules.push_back(std::move(rule));
  }
  return pack;
}

}  // namespace

RulePack parse_pack(std::string_view toml_text, const std::string& origin) {
  return parse_pack_checked(toml_text, origin, true);
}

RulePack load_pack_file(const std::string& path) {
  io::WholeFile file = io::read_whole_file(path);
  if (!file) throw RuleError(fmt::format("{}: cannot read rule pack", path));
  return parse_pack(file.bytes, path);
}

// The built-in pack's regexes compile (its tests compile every one), and search::RuleSet
// compiles them again anyway: checking them here too was 5% of a sweep's start (1.3 M of
// 25.3 M instructions, callgrind of a sweep of an empty directory).
RulePack load_default_pack() {
  return parse_pack_checked(default_pack_text(), "<builtin>/patterns/asyncio.toml", false);
}

RulePack merge_packs(std::vector<RulePack> packs) {
  RulePack merged;
  std::unordered_set<std::string> seen;
  for (auto& pack : packs) {
    for (auto& rule : pack.rules) {
      if (!seen.insert(rule.id).second) {
        throw RuleError(fmt::format("{}: duplicate rule id '{}' (already defined by another pack)",
                                    rule.origin, rule.id));
      }
      merged.rules.push_back(std::move(rule));
    }
  }
  return merged;
}

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// "; did you mean 'ASW105'?" for a near miss among the pack's ids and the categories, else "".
std::string did_you_mean(const RulePack& pack, const std::string& name) {
  std::vector<std::string> known;
  for (const auto& rule : pack.rules) known.push_back(rule.id);
  for (const auto& category : known_categories()) known.emplace_back(category);
  auto near = text::nearest_name(name, known);
  return near ? fmt::format("; did you mean '{}'?", *near) : std::string();
}

}  // namespace

bool rule_named(const Rule& rule, std::string_view name) {
  // A prefix must reach past "ASW": a bare `A` or `AS` selecting everything would hide a typo.
  const bool prefix = name.size() > 3 && name.size() <= rule.id.size() &&
                      iequals(name.substr(0, 3), "ASW") && iequals(std::string_view(rule.id).substr(0, name.size()), name);
  return prefix || iequals(rule.id, name) || iequals(rule.category, name);
}

bool suppression_names(const Rule& rule, std::string_view id) {
  return iequals(rule.id, id) ||
         std::any_of(rule.ruff.begin(), rule.ruff.end(), [&](const std::string& code) { return iequals(code, id); });
}

bool preview_allows(const Rule& rule, const Preview& preview) {
  return !rule.preview || preview.all ||
         std::any_of(preview.ids.begin(), preview.ids.end(), [&](const std::string& id) { return iequals(rule.id, id); });
}

RulePack select_rules(RulePack pack, const std::vector<std::string>& select,
                      const std::vector<std::string>& ignore, const Preview& preview) {
  auto names = [](const Rule& rule, const std::string& name) { return rule_named(rule, name); };
  for (const auto* list : {&select, &ignore}) {
    for (const auto& name : *list) {
      bool known = std::any_of(pack.rules.begin(), pack.rules.end(), [&](const Rule& r) { return names(r, name); });
      const auto& categories = known_categories();
      known = known || std::any_of(categories.begin(), categories.end(),
                                   [&](std::string_view c) { return iequals(c, name); });
      if (!known) throw RuleError(fmt::format("unknown rule id or category '{}'{} (see `asyncsweep rules`)", name, did_you_mean(pack, name)));
    }
  }
  RulePack out;
  for (auto& rule : pack.rules) {
    bool selected = select.empty() ||
                    std::any_of(select.begin(), select.end(), [&](const std::string& n) { return names(rule, n); });
    bool ignored = std::any_of(ignore.begin(), ignore.end(), [&](const std::string& n) { return names(rule, n); });
    if (selected && !ignored && preview_allows(rule, preview)) out.rules.push_back(std::move(rule));
  }
  return out;
}

}  // namespace asyncsweep::rules
