// The rule model: one detection command of a scan document, plus what its shell pipeline
// meant (exclusions, proximity conditions, counting) as explicit fields.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace asyncsweep::rules {

// What a rule's matches are for.
enum class Kind : std::uint8_t {
  candidate,  // a finding for a reviewer
  inventory,  // Step 0 style: counted (and listed by `inventory`), not a finding
  config,     // facts about project configuration that other rules consult
};

enum class Severity : std::uint8_t { info, low, medium, high };

// Where a match must be to be a candidate at all.
enum class Scope : std::uint8_t { any, async };
// The document's `async def.*\n.*\n.*open\(` patterns end at the call; ours start at it.
enum class Anchor : std::uint8_t { start, end };
// Structural checks the regex alone cannot express.
enum class Check : std::uint8_t {
  none,
  finally_closes,       // a `finally:` whose block calls .close()/.aclose()
  nonblocking_absent,   // no O_NONBLOCK/set_blocking/setblocking(False) in the enclosing function
  calls_blocking,       // a call of the project's own sync function that blocks (transitive/):
                        // located by the join after the walk, never by the regex
  receiver_kind,        // `.wait(`, `.read(`, ...: only on a receiver of the kind (Popen, file) they name
};

std::string_view to_string(Kind kind);
std::string_view to_string(Severity severity);
std::string_view to_string(Scope scope);
std::string_view to_string(Anchor anchor);
std::string_view to_string(Check check);

// The categories a rule may declare; anything else is a load error.
const std::vector<std::string_view>& known_categories();

struct Rule {
  std::string id;        // stable, e.g. "ASW101"
  std::string title;
  std::string category;  // one of known_categories()
  std::string section;   // heading of the document section the rule comes from
  std::vector<std::string> source;  // the document's command(s), verbatim
  std::string regex;     // PCRE2 pattern, byte for byte as in the command
  bool multiline = false;           // rg -U: matches may span lines
  std::vector<std::string> types;   // rg --type names, e.g. "py"
  std::vector<std::string> globs;   // rg -g basename globs (config files), e.g. "pyproject.toml"
  int before = 0;                   // rg -B
  int after = 0;                    // rg -A
  std::vector<std::string> exclude_line;  // `| grep -v X`: drop matches whose line matches X
  std::vector<std::string> exclude_path;  // `| grep -v X` where X can only be the path part
  std::vector<std::string> unless_within;  // `-A/-B | grep -L X`: drop when X is in the window
  Severity severity = Severity::medium;
  Kind kind = Kind::candidate;
  std::string fix;
  std::string rationale;
  std::string example_bad;   // a few lines that the rule flags, for `asyncsweep explain`
  std::string example_good;  // the same code written the way the fix advice says
  std::vector<std::string> literals;  // prefilter: at least one must occur in a file
  // Python-aware semantics (rules beyond the document's commands):
  Scope scope = Scope::any;           // async: only calls lexically inside an `async def` body
  Anchor anchor = Anchor::start;      // which end of the match is the call the features describe
  Check check = Check::none;          // a structural post-condition implemented in C++
  std::vector<std::string> ruff;      // Ruff/flake8-async codes this rule covers (`# noqa: ASYNC230`)
  std::string origin;                 // the pack file the rule was loaded from
  bool preview = false;  // not yet stable: runs only with --preview or when named by its exact id
};

struct RulePack {
  std::vector<Rule> rules;
};

// A rule pack that could not be loaded. The message names the file, and the line and
// column or the regex offset where one applies.
class RuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses and validates a pack. `origin` names it in error messages.
RulePack parse_pack(std::string_view toml_text, const std::string& origin);
RulePack load_pack_file(const std::string& path);
// The pack compiled into the binary (patterns/asyncio.toml at build time).
RulePack load_default_pack();
std::string_view default_pack_text();

// Concatenates packs, rejecting an id that occurs twice.
RulePack merge_packs(std::vector<RulePack> packs);

// Whether `name` names `rule` as --select, --ignore and per-file-ignores read it: its id or
// category in any case (Ruff's codes are case-insensitive), or a prefix of its id such as
// `ASW1` (as Ruff's `--select ASYNC2` selects every ASYNC2xx).
bool rule_named(const Rule& rule, std::string_view name);
// Whether a suppression comment's `id` (Ruff compares codes in any case) is the rule's id or
// one of its Ruff codes. No prefixes here: a comment names the findings it silences.
bool suppression_names(const Rule& rule, std::string_view id);

// Which preview rules may run: every one with --preview (`all`), otherwise those named by their
// exact id in `ids` (a select or extend-select); a category or id prefix never enables one.
struct Preview {
  bool all = false;
  std::vector<std::string> ids;
};
bool preview_allows(const Rule& rule, const Preview& preview);

// Keeps the rules named (by id, id prefix or category) in `select` (all when empty), minus those named
// in `ignore` and the preview rules `preview` does not allow. An unknown name is an error: a typo
// must not silently run nothing.
RulePack select_rules(RulePack pack, const std::vector<std::string>& select,
                      const std::vector<std::string>& ignore, const Preview& preview = {});

}  // namespace asyncsweep::rules
