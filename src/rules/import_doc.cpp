#include "rules/import_doc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "rules/rule.hpp"

namespace asyncsweep::rules {

std::vector<std::string> shell_words(std::string_view line) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  std::size_t i = 0;
  auto flush = [&] {
    if (in_word) words.push_back(current);
    current.clear();
    in_word = false;
  };
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      flush();
      ++i;
    } else if (c == '\'') {
      std::size_t close = line.find('\'', i + 1);
      if (close == std::string_view::npos) throw std::invalid_argument("unterminated single quote");
      current.append(line.substr(i + 1, close - i - 1));
      in_word = true;
      i = close + 1;
    } else if (c == '"') {
      ++i;
      in_word = true;
      bool closed = false;
      while (i < line.size()) {
        char d = line[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < line.size() && std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos) {
          current += line[i + 1];
          i += 2;
          continue;
        }
        current += d;
        ++i;
      }
      if (!closed) throw std::invalid_argument("unterminated double quote");
    } else if (c == '\\' && i + 1 < line.size()) {
      current += line[i + 1];
      in_word = true;
      i += 2;
    } else if (c == '|' || (c == '&' && i + 1 < line.size() && line[i + 1] == '&')) {
      flush();
      words.emplace_back(c == '|' ? "|" : "&&");
      i += c == '|' ? 1 : 2;
    } else if (c == '#' && !in_word) {
      break;  // a trailing shell comment
    } else {
      current += c;
      in_word = true;
      ++i;
    }
  }
  flush();
  return words;
}

std::vector<ImportedCommand> extract_commands(std::string_view markdown) {
  std::vector<ImportedCommand> commands;
  std::string section;
  std::string comment;
  bool in_bash = false;
  bool in_other_fence = false;
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos <= markdown.size()) {
    std::size_t nl = markdown.find('\n', pos);
    std::string_view line = markdown.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    if (trimmed.starts_with("```")) {
      if (in_bash || in_other_fence) {
        in_bash = in_other_fence = false;
      } else {
        std::string_view lang = trimmed.substr(3);
        in_bash = lang == "bash" || lang == "sh" || lang == "shell" || lang == "console";
        in_other_fence = !in_bash;
        comment.clear();
      }
    } else if (in_bash) {
      if (trimmed.starts_with("#")) {
        std::string_view text = trimmed.substr(1);
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        comment = std::string(text);
      } else if (trimmed.starts_with("rg ") || trimmed.starts_with("echo ")) {
        commands.push_back({std::string(trimmed), comment, section, number});
      } else if (trimmed.empty()) {
        comment.clear();
      }
    } else if (!in_other_fence && (line.starts_with("## ") || line.starts_with("### "))) {
      section = std::string(line.substr(line.find(' ') + 1));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return commands;
}

namespace {

struct Draft {
  std::string regex;
  std::string title;
  std::string section;
  std::vector<std::string> sources;
  std::vector<std::string> types;
  std::vector<std::string> globs;
  std::vector<std::string> exclude_line;
  std::vector<std::string> unless_within;
  bool multiline = false;
  int before = 0;
  int after = 0;
  bool inventory = false;
};

int parse_count(const std::string& text, std::size_t line) {
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  throw RuleError(fmt::format("line {}: not a line count: '{}'", line, text));
}

// Reads one command into `draft` (fields merge when several commands share a regex).
void read_command(const ImportedCommand& command, Draft& draft) {
  std::vector<std::string> words;
  try {
    words = shell_words(command.command);
  } catch (const std::invalid_argument& error) {
    throw RuleError(fmt::format("line {}: {}: {}", command.line, error.what(), command.command));
  }
  auto rg = std::find(words.begin(), words.end(), "rg");
  if (rg == words.end()) throw RuleError(fmt::format("line {}: no rg command in: {}", command.line, command.command));
  auto pipe = std::find(rg, words.end(), "|");
  std::string pattern;
  bool have_pattern = false;
  for (auto it = rg + 1; it != pipe; ++it) {
    const std::string& word = *it;
    auto value = [&](std::string_view flag) -> std::string {
      if (word.size() > flag.size()) return word.substr(flag.size());
      if (it + 1 == pipe) throw RuleError(fmt::format("line {}: {} needs a value", command.line, flag));
      return *++it;
    };
    if (word == "--type" || word == "-t") {
      std::string type = value(word);
      if (std::find(draft.types.begin(), draft.types.end(), type) == draft.types.end()) draft.types.push_back(type);
    } else if (word == "-U" || word == "--multiline") {
      draft.multiline = true;
    } else if (word.starts_with("-A")) {
      draft.after = std::max(draft.after, parse_count(value("-A"), command.line));
    } else if (word.starts_with("-B")) {
      draft.before = std::max(draft.before, parse_count(value("-B"), command.line));
    } else if (word.starts_with("-C")) {
      int n = parse_count(value("-C"), command.line);
      draft.before = std::max(draft.before, n);
      draft.after = std::max(draft.after, n);
    } else if (word == "-g" || word == "--glob") {
      draft.globs.push_back(value(word));
    } else if (word == "--line-number" || word == "-n" || word == "--no-heading") {
      // Presentation only.
    } else if (word.starts_with("-")) {
      throw RuleError(fmt::format("line {}: unsupported rg flag '{}' in: {}", command.line, word, command.command));
    } else if (!have_pattern) {
      pattern = word;
      have_pattern = true;
    } else if (std::find(draft.globs.begin(), draft.globs.end(), word) == draft.globs.end()) {
      // A file operand (pyproject.toml): where pytest looks, i.e. that name anywhere in the tree.
      std::size_t slash = word.find_last_of('/');
      draft.globs.push_back(slash == std::string::npos ? word : word.substr(slash + 1));
    }
  }
  if (!have_pattern) throw RuleError(fmt::format("line {}: no pattern in: {}", command.line, command.command));
  draft.regex = pattern;
  // Pipeline stages after rg.
  for (auto it = pipe; it != words.end(); ++it) {
    if (*it != "|") continue;
    auto stage = it + 1;
    if (stage == words.end()) break;
    if (*stage == "wc") {
      draft.inventory = true;
    } else if (*stage == "grep") {
      bool invert = false;
      bool list_without = false;
      std::string what;
      for (auto arg = stage + 1; arg != words.end() && *arg != "|"; ++arg) {
        if (*arg == "-v") invert = true;
        else if (*arg == "-L") list_without = true;
        else if (!arg->starts_with("-")) what = *arg;
      }
      if (invert && !what.empty()) draft.exclude_line.push_back(what);
      if (list_without && !what.empty() &&
          std::find(draft.unless_within.begin(), draft.unless_within.end(), what) == draft.unless_within.end()) {
        draft.unless_within.push_back(what);
      }
    }
  }
}

std::string quote(std::string_view text) {
  // A TOML literal string keeps regexes byte for byte; fall back to a basic string.
  if (text.find('\'') == std::string_view::npos && text.find('\n') == std::string_view::npos) {
    return fmt::format("'{}'", text);
  }
  if (text.find("'''") == std::string_view::npos && text.find('\n') == std::string_view::npos &&
      text.back() != '\'') {
    return fmt::format("'''{}'''", text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string quote_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote(items[i]);
  return out + "]";
}

std::string guess_category(const Draft& draft) {
  std::string s = draft.section + " " + draft.title;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!draft.globs.empty() && draft.types != std::vector<std::string>{"py"}) return "config";
  if (draft.inventory || s.find("detection strategy") != std::string::npos) return "inventory";
  if (s.find("pytest") != std::string::npos) return "pytest-asyncio-mark";
  if (s.find("gather") != std::string::npos) return "gather-vs-taskgroup";
  if (s.find("context manager") != std::string::npos) return "context-manager";
  if (s.find("deprecated") != std::string::npos && draft.regex.find("run") != std::string::npos &&
      draft.regex.find("get_event_loop") == std::string::npos) {
    return "nested-run";
  }
  if (s.find("deprecated") != std::string::npos) return "deprecated-api";
  if (s.find("fd") != std::string::npos || s.find("pipe") != std::string::npos) return "nonblocking-fd";
  return "blocking-io";
}

}  // namespace

std::string import_document(std::string_view markdown, const std::string& document_name) {
  std::vector<ImportedCommand> commands = extract_commands(markdown);
  std::vector<Draft> drafts;
  for (const auto& command : commands) {
    Draft probe;
    read_command(command, probe);
    auto same = std::find_if(drafts.begin(), drafts.end(), [&](const Draft& d) { return d.regex == probe.regex; });
    if (same == drafts.end()) {
      Draft draft;
      draft.section = command.section;
      draft.title = command.comment.empty() ? probe.regex : command.comment;
      drafts.push_back(std::move(draft));
      same = drafts.end() - 1;
    }
    same->sources.push_back(command.command);
    read_command(command, *same);
  }
  std::string out = fmt::format(
      "# Rule pack skeleton imported from {} by `asyncsweep import-doc`.\n"
      "# Review ids, titles, categories, severities, fix and rationale before use.\n\n"
      "[pack]\nname = {}\ndocument = {}\n",
      document_name, quote(document_name), quote(document_name));
  int number = 0;
  for (const auto& draft : drafts) {
    ++number;
    std::string category = guess_category(draft);
    bool config = category == "config";
    bool inventory = category == "inventory";
    out += fmt::format("\n[[rule]]\nid = \"IMP{:03}\"\ntitle = {}\ncategory = \"{}\"\nsection = {}\n", number,
                       quote(draft.title), category, quote(draft.section));
    if (draft.sources.size() == 1) out += fmt::format("source = {}\n", quote(draft.sources[0]));
    else {
      out += "source = [\n";
      for (const auto& source : draft.sources) out += fmt::format("  {},\n", quote(source));
      out += "]\n";
    }
    out += fmt::format("regex = {}\n", quote(draft.regex));
    if (draft.multiline) out += "multiline = true\n";
    if (!draft.types.empty()) out += fmt::format("types = {}\n", quote_list(draft.types));
    if (!draft.globs.empty()) out += fmt::format("globs = {}\n", quote_list(draft.globs));
    if (draft.before > 0) out += fmt::format("before = {}\n", draft.before);
    if (draft.after > 0) out += fmt::format("after = {}\n", draft.after);
    if (!draft.exclude_line.empty()) out += fmt::format("exclude_line = {}\n", quote_list(draft.exclude_line));
    if (!draft.unless_within.empty()) out += fmt::format("unless_within = {}\n", quote_list(draft.unless_within));
    if (config) out += "kind = \"config\"\n";
    else if (inventory) out += "kind = \"inventory\"\n";
    out += fmt::format("severity = \"{}\"\n", config || inventory ? "info" : "medium");
  }
  // The skeleton must itself be a valid pack.
  parse_pack(out, document_name + " (imported)");
  return out;
}

}  // namespace asyncsweep::rules
