#include "score/scorer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "pyconfig/pytest_config.hpp"

namespace asyncsweep::score {

namespace {


// The weights, in one place. A score is the calibrated likelihood, 0-100, that a candidate is a
// real instance of its rule's problem, by the labelling rules eval/devset/README.md sums up. The
// values are fitted on the labelled development set (eval/devset, 1,176 sites read by hand in 39
// Debian packages; `scripts/eval-ranking` measures them): the comment beside each weight gives
// the share of real sites in the group it scores. Scores are absolute: one weight per situation.
struct Weights {
  // Rule severity -> score of a plain hit where nothing else is known (not Python, seed-exact).
  int severity_high = 70;
  int severity_medium = 55;
  int severity_low = 35;
  int severity_info = 15;
  // A blocking call directly in an async def body, by the rule's severity: 176 of 180 real.
  // Test code counts like production code (it blocks that test's loop); the severity only
  // orders the ties.
  int blocking_high = 97;
  int blocking_medium = 95;
  int blocking_low = 93;
  // Positions that are not the event loop's code.
  int in_comment_or_string = 3;  // 0 of 28
  int awaited = 4;             // `await x.read_text()`: an async API (anyio.Path, aiofiles): 0 of 241
  // What the call's receiver was bound to (analyze/object_kinds), where the function shows it.
  int receiver_known_blocking = 95;  // a blocking socket/Popen/file/http.client object used on the loop: 3 of 3
  int receiver_in_memory = 3;        // BytesIO/StringIO, or a tar/zip archive opened on one: no I/O
  int receiver_async_api = 4;        // anyio.Path/trio.Path/aiofiles object: its methods are awaited APIs
  int datagram_connect = 5;          // connect() on a UDP socket only records the peer
  int async_iterated = 4;            // `async for x in p.glob(...)`: the call returns an async iterator
  int numeric_lookup = 5;            // getaddrinfo/getnameinfo with numeric-only flags, no lookup: 0 of 1
  int nested_sync_body = 15;   // nested def/lambda/class not called by the async body: 2 of 31
  int outside_async = 15;      // the document's "near an async def" regexes, call not inside one
  int covered_elsewhere = 5;   // a document regex hit that a scope-aware rule already reports
  int not_a_socket = 4;        // `.send(` on a transport, writer, generator, ...: 0 of 19
  int unknown_receiver = 8;    // `.send(`/`.connect(` on something we cannot tell: 0 of 65
  int not_a_path = 8;          // `.group()`/`.owner()`/`.walk()` not on a path (re matches): 0 of 1
  int nonblocking_setup = 10;  // O_NONBLOCK / set_blocking / setblocking(False) in the function
  // os.pipe()/os.fdopen() without O_NONBLOCK in the function, and connect_*_pipe() (110 sites).
  int fd_in_async = 65;           // inside a coroutine: 17 of 26 (FdStream/pipe transports set it)
  int fd_in_asyncio_module = 20;  // sync code of a module that imports asyncio/anyio/trio: 2 of 10
  int fd_in_sync_module = 3;      // no event loop in the module: mostly regular files: 1 of 41
  int fd_made_nonblocking = 5;    // (labelling rules: not real)
  int pipe_transport_usage = 5;   // connect_*_pipe(): the transport sets O_NONBLOCK: 0 of 26
  // The document's other checks.
  int event_loop_in_code = 95;   // get_event_loop() in code: 47 of 47 real
  int event_loop_in_async = 97;  // inside a coroutine: get_running_loop()
  int run_in_async = 90;         // asyncio.run() inside async def: RuntimeError
  int run_in_main_guard = 5;     // an entry point: what asyncio.run() is for
  int run_elsewhere = 8;         // sync functions, CLI mains, sync tests: 0 of 16 nested
  int finally_closes = 15;       // try/finally that closes: 17 of 99 a plain `with` would own
  int pytest_mark_redundant = 95;  // @pytest.mark.asyncio under asyncio_mode = auto: 53 of 53
  int pytest_mark_required = 3;    // strict mode (the default) needs the marker: 0 of 134
  int gather_collects_exceptions = 4;  // gather(..., return_exceptions=True): 1 of 12
  int gather_in_test = 80;             // in test code, no return_exceptions: 88 of 108
  int gather_elsewhere = 35;           // in library code, no return_exceptions: 18 of 46
};
constexpr Weights kWeights{};

int base_score(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return kWeights.severity_high;
    case rules::Severity::medium: return kWeights.severity_medium;
    case rules::Severity::low: return kWeights.severity_low;
    case rules::Severity::info: return kWeights.severity_info;
  }
  return kWeights.severity_info;
}

int blocking_score(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::high: return kWeights.blocking_high;
    case rules::Severity::medium: return kWeights.blocking_medium;
    default: return kWeights.blocking_low;
  }
}

std::string_view nested_word(Features::Nested nested) {
  switch (nested) {
    case Features::Nested::def: return "def";
    case Features::Nested::lambda: return "lambda";
    case Features::Nested::klass: return "class";
    case Features::Nested::none: break;
  }
  return "";
}

// Comments and strings end the discussion for every rule: say so and score them out.
bool not_code(const Features& f, Finding& finding) {
  if (!f.analyzed || f.region == Features::Region::code) return false;
  finding.score = kWeights.in_comment_or_string;
  finding.reasons.push_back(f.region == Features::Region::comment ? "inside a comment"
                            : f.docstring                        ? "inside a docstring"
                                                                 : "inside a string literal");
  return true;
}

void context_reasons(const Features& f, Finding& finding) {
  // Reasons only: neither changes how likely the candidate is to be real.
  if (f.test_file) finding.reasons.push_back("test file (it still blocks that test's event loop)");
  if (f.imports_async) finding.reasons.push_back("module imports asyncio/anyio/trio");
}

// What analyze/object_kinds knows about the receiver decides, where it knows: true when it did.
bool score_receiver_kind(const rules::Rule& rule, const Features& f, Finding& finding) {
  switch (f.receiver_kind) {
    case ReceiverKind::unknown:
    case ReceiverKind::path:  // a path's methods are the rule's own business
      return false;
    case ReceiverKind::memory:
      finding.score = kWeights.receiver_in_memory;
      finding.reasons.push_back(fmt::format("{}: no file system is touched", f.receiver_origin));
      return true;
    case ReceiverKind::async_io:
      finding.score = kWeights.receiver_async_api;
      finding.reasons.push_back(fmt::format("{}: its methods are awaited", f.receiver_origin));
      return true;
    case ReceiverKind::socket:
      if (f.receiver_datagram && finding.text.find(".connect(") != std::string::npos) {
        finding.score = kWeights.datagram_connect;
        finding.reasons.push_back(fmt::format("{} (SOCK_DGRAM): a UDP connect() only records the peer", f.receiver_origin));
      } else if (f.receiver_nonblocking_line != 0) {
        finding.score = kWeights.nonblocking_setup;
        finding.reasons.push_back(fmt::format("{} and set non-blocking on line {}", f.receiver_origin, f.receiver_nonblocking_line));
      } else {
        finding.score = kWeights.receiver_known_blocking;
        finding.reasons.push_back(fmt::format("{} and never set non-blocking", f.receiver_origin));
      }
      return true;
    case ReceiverKind::popen:
    case ReceiverKind::file:
    case ReceiverKind::http_connection:
      if (rule.check != rules::Check::receiver_kind) return false;  // e.g. open() of a path
      finding.score = kWeights.receiver_known_blocking;
      finding.reasons.push_back(f.receiver_origin);
      return true;
  }
  return false;
}

bool contains_any(std::string_view name, std::initializer_list<std::string_view> parts) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(parts.begin(), parts.end(), [&](std::string_view p) { return lower.find(p) != std::string::npos; });
}

// `.send(` and `.connect(` are everywhere: what they are called on says whether a socket.
void score_socket_receiver(const std::string& receiver, Finding& finding) {
  if (contains_any(receiver, {"sock"}) || receiver == "s" || receiver == "sk") {
    finding.reasons.push_back(fmt::format("called on `{}`: looks like a socket", receiver));
    return;
  }
  if (contains_any(receiver, {"transport", "writer", "reader", "ws", "websocket", "protocol", "stream", "gen", "coro",
                              "queue", "channel", "chan", "body", "signal", "session", "future", "task"})) {
    finding.score = kWeights.not_a_socket;
    finding.reasons.push_back(fmt::format("called on `{}`: an async transport, stream or generator, not a socket", receiver));
    return;
  }
  finding.score = kWeights.unknown_receiver;
  finding.reasons.push_back(receiver.empty() ? std::string("receiver unknown: check it is a blocking socket")
                                             : fmt::format("called on `{}`: check it is a blocking socket", receiver));
}

// The method a single-line match calls: `group` for a match of `.group()`.
std::string_view matched_method(const Finding& finding) {
  std::string_view text = finding.text;
  std::size_t at = finding.column > 0 ? finding.column - 1 : text.size();
  while (at < text.size() && (text[at] == '.' || text[at] == ' ')) ++at;
  std::size_t end = at;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  return text.substr(std::min(at, text.size()), end - std::min(at, end));
}

// What a method is called on when that is a call itself: `Path` in `Path(p).owner()`,
// `search` in `re.search(...).group()`, "/" for a join such as `(root / name).rename(`.
std::string call_receiver(const Finding& finding) {
  std::string_view text = finding.text;
  std::size_t at = std::min<std::size_t>(finding.column > 0 ? finding.column - 1 : 0, text.size());
  if (at == 0 || text[at - 1] != ')') return {};
  int depth = 0;
  std::size_t open = at - 1;
  for (std::size_t i = at; i-- > 0;) {
    if (text[i] == ')') ++depth;
    if (text[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  std::size_t name = open;
  while (name > 0 &&
         (std::isalnum(static_cast<unsigned char>(text[name - 1])) || text[name - 1] == '_'))
    --name;
  if (name == open)
    return text.substr(open, at - open).find(" / ") != std::string_view::npos ? "/" : "";
  return std::string(text.substr(name, open - name));
}

// pathlib shares these method names with other types: re match objects have `.group()`,
// str and datetime `.replace(`, pandas `.rename(`. The rule's regex already keeps
// rename/replace to one positional argument (str.replace takes two); what the call is made on
// decides the rest.
void score_path_receiver(Finding& finding) {
  std::string_view method = matched_method(finding);
  bool needs_path = method == "owner" || method == "group" || method == "walk";
  if (!needs_path && method != "rename" && method != "replace") return;
  std::string receiver =
      finding.features->receiver.empty() ? call_receiver(finding) : finding.features->receiver;
  std::string shown =
      receiver.empty() ? std::string("an expression") : fmt::format("`{}`", receiver);
  if (receiver == "/" ||
      contains_any(receiver, {"path", "dir", "file", "folder", "tmp", "temp", "dest", "dst",
                              "target", "src", "root", "home", "parent", "resolve", "absolute",
                              "expanduser", "with_name", "with_suffix", "with_stem"}) ||
      receiver == "p") {
    finding.reasons.push_back(fmt::format("called on `{}`: looks like a path", receiver));
    return;
  }
  // `self.rename(name)` is the class's own method (a Path subclass is rare).
  bool other_type = receiver == "dataclasses" || receiver == "copy" || receiver == "self" ||
                    receiver == "cls" || receiver == "super";
  if (needs_path || other_type) {
    finding.score = kWeights.not_a_path;
    finding.reasons.push_back(
        fmt::format("`.{}()` on {}: other types share the name (re match groups, dataclasses, own methods); "
                    "check it is a path",
                    method, shown));
    return;
  }
  finding.reasons.push_back(
      fmt::format("`.{}(` with one argument on {}: check it is a path", method, shown));
}

void score_blocking(const rules::Rule& rule, Finding& finding) {
  const Features& f = *finding.features;
  if (!f.analyzed) {
    finding.score = base_score(rule.severity);
    finding.reasons.push_back("not a Python source: no scope information");
    return;
  }
  if (!f.resolved_import.empty()) finding.reasons.push_back(f.resolved_import);
  if (not_code(f, finding)) return;
  if (f.async_line == 0) {
    finding.score = kWeights.outside_async;
    finding.reasons.push_back("the call is not inside an async def");
    return;
  }
  std::string where = fmt::format("inside `async def {}` (line {})", f.async_name, f.async_line);
  if (f.nested != Features::Nested::none && f.nested_called_line != 0) {
    // The async body calls the def itself: its body runs on the loop, like a direct call.
    finding.reasons.push_back(fmt::format("`{}()` (line {}) is called on the loop at line {}", f.nested_name,
                                          f.nested_line, f.nested_called_line));
  } else if (f.nested != Features::Nested::none) {
    finding.score = kWeights.nested_sync_body;
    finding.reasons.push_back(fmt::format("in a nested sync {} `{}` (line {}): runs off the loop unless called there",
                                          nested_word(f.nested), f.nested_name, f.nested_line));
    finding.reasons.push_back(where);
    return;
  }
  if (f.awaited) {
    finding.score = kWeights.awaited;
    finding.reasons.push_back(f.awaited_line != 0 ? fmt::format("its result is awaited on line {}: an async API", f.awaited_line)
                                                  : std::string("awaited: an async API"));
    return;
  }
  if (!f.called) {
    finding.score = kWeights.awaited;
    finding.reasons.push_back(f.offload_call.empty()
                                  ? std::string("a function reference, not a call")
                                  : fmt::format("function object handed to {}: runs in a thread", f.offload_call));
    return;
  }
  if (f.async_iterated) {
    finding.score = kWeights.async_iterated;
    finding.reasons.push_back("iterated with `async for`: the call returns an async iterator");
    return;
  }
  if (f.numeric_lookup) {
    finding.score = kWeights.numeric_lookup;
    finding.reasons.push_back("numeric-only flags (NUMERICHOST): the resolver does no lookup");
    return;
  }
  finding.score = blocking_score(rule.severity);
  finding.reasons.push_back(where);
  if (score_receiver_kind(rule, f, finding)) {
    context_reasons(f, finding);
    return;
  }
  if (rule.id == "ASW107") score_socket_receiver(f.receiver, finding);
  if (rule.id == "ASW112") score_path_receiver(finding);
  if (!f.offload_call.empty()) {
    finding.reasons.push_back(fmt::format("argument of {}: evaluated on the loop before the thread starts", f.offload_call));
  }
  if (f.nonblocking_in_function) {
    finding.score = std::min(finding.score, kWeights.nonblocking_setup);
    finding.reasons.push_back("an fd or socket is set non-blocking in the same function");
  }
  context_reasons(f, finding);
}

void score_one(const rules::Rule& rule, Finding& finding, pyconfig::PytestConfigResolver& pytest_configs) {
  const Features& f = *finding.features;
  if (rule.category == "blocking-io") {
    score_blocking(rule, finding);
    return;
  }
  if (not_code(f, finding)) return;
  if (rule.category == "deprecated-api") {
    finding.score = f.async_line != 0 ? kWeights.event_loop_in_async : kWeights.event_loop_in_code;
    if (f.async_line != 0) {
      finding.reasons.push_back(fmt::format("inside `async def {}` (line {}): use asyncio.get_running_loop()",
                                            f.async_name, f.async_line));
    } else {
      finding.reasons.push_back("deprecated since Python 3.10 when no loop is running");
    }
    context_reasons(f, finding);
  } else if (rule.category == "nested-run") {
    if (f.async_line != 0 && f.nested == Features::Nested::none) {
      finding.score = kWeights.run_in_async;
      finding.reasons.push_back(fmt::format("inside `async def {}` (line {}): asyncio.run() raises RuntimeError in a running loop",
                                            f.async_name, f.async_line));
    } else if (f.main_guard) {
      finding.score = kWeights.run_in_main_guard;
      finding.reasons.push_back("in a main entry point (`if __name__ == \"__main__\"` or __main__.py)");
    } else {
      finding.score = kWeights.run_elsewhere;
      finding.reasons.push_back("outside a main entry point: nested if its caller runs inside an event loop");
    }
  } else if (rule.category == "nonblocking-fd") {
    // Blocking fds only hurt where an event loop uses them.
    if (rule.check == rules::Check::nonblocking_absent) {
      finding.reasons.push_back("no O_NONBLOCK/set_blocking in the enclosing function");
    }
    if (rule.check == rules::Check::none && rule.unless_within.empty()) {
      // connect_read_pipe()/connect_write_pipe() alone: asyncio's pipe transports make the fd
      // non-blocking themselves (os.set_blocking in _UnixReadPipeTransport), so this is a
      // pointer for the reviewer, not a problem.
      finding.score = kWeights.pipe_transport_usage;
      finding.reasons.push_back("pipe transport usage: asyncio sets the fd non-blocking itself; check where it comes from");
      return;
    }
    if (!f.analyzed) {
      finding.score = base_score(rule.severity);
    } else if (f.nonblocking_in_function) {
      finding.score = kWeights.fd_made_nonblocking;
      finding.reasons.push_back("the enclosing function sets O_NONBLOCK / set_blocking(False)");
    } else if (f.async_line != 0 && f.nested == Features::Nested::none) {
      finding.score = kWeights.fd_in_async;
      finding.reasons.push_back(fmt::format("inside `async def {}` (line {})", f.async_name, f.async_line));
    } else if (f.imports_async) {
      finding.score = kWeights.fd_in_asyncio_module;
      finding.reasons.push_back("module imports asyncio/anyio/trio: check the fd does not reach a pipe transport");
    } else {
      finding.score = kWeights.fd_in_sync_module;
      finding.reasons.push_back("sync code in a module that does not use asyncio");
    }
  } else if (rule.category == "pytest-asyncio-mark") {
    const pyconfig::PytestConfig* config = pytest_configs.governing(finding.path.str());
    if (config != nullptr && config->auto_mode()) {
      finding.score = kWeights.pytest_mark_redundant;
      finding.reasons.push_back(fmt::format("redundant: asyncio_mode = \"auto\" in {}:{}", config->path, config->mode_line));
    } else {
      finding.score = kWeights.pytest_mark_required;
      finding.reasons.push_back(config == nullptr
                                    ? std::string("informational: no pytest config governs this file (strict mode needs the marker)")
                                    : fmt::format("informational: {} sets asyncio_mode = {} (the marker is needed)", config->path,
                                                  config->asyncio_mode.empty() ? "strict (default)" : config->asyncio_mode));
    }
  } else if (rule.category == "gather-vs-taskgroup") {
    if (f.return_exceptions) {
      finding.score = kWeights.gather_collects_exceptions;
      finding.reasons.push_back("return_exceptions=True: failures are collected, not propagated");
    } else if (f.test_file) {
      finding.score = kWeights.gather_in_test;
      finding.reasons.push_back("no return_exceptions: the first failure propagates while the other awaitables run on");
      finding.reasons.push_back("test file: a TaskGroup would cancel the rest when one fails");
    } else {
      finding.score = kWeights.gather_elsewhere;
      finding.reasons.push_back("no return_exceptions: the first failure propagates while the other awaitables run on");
    }
  } else if (rule.check == rules::Check::finally_closes) {
    finding.score = kWeights.finally_closes;
    finding.reasons.push_back(fmt::format("the finally block closes a resource (line {})", f.finally_close_line));
  } else {
    finding.score = base_score(rule.severity);
    finding.reasons.push_back(fmt::format("rule severity {}", rules::to_string(rule.severity)));
  }
}

}  // namespace

struct FileScorer::Caches {
  pyconfig::PytestConfigResolver pytest_configs;
};

FileScorer::FileScorer(const search::RuleSet& rules, const ScoreOptions& options)
    : rules_(rules), options_(options), caches_(std::make_unique<Caches>()) {}
FileScorer::~FileScorer() = default;
FileScorer::FileScorer(FileScorer&&) noexcept = default;

void FileScorer::score_file(std::vector<Finding>& findings) {
  // Lines where a rule beyond the document reports something: the document's own regex hit
  // on the same line and category adds nothing for the reviewer (one item per problem).
  std::map<std::tuple<std::string_view, std::uint32_t, std::string_view>, std::string> covering;
  for (const auto& finding : findings) {
    const auto& rule = rules_[finding.rule].rule;
    if (rule.source.empty()) covering.emplace(std::tuple<std::string_view, std::uint32_t, std::string_view>{finding.path, finding.line, rule.category}, rule.id);
  }
  for (auto& finding : findings) {
    const auto& rule = rules_[finding.rule].rule;
    finding.reasons.clear();
    if (options_.seed_exact) {
      finding.score = base_score(rule.severity);
      finding.reasons.push_back(fmt::format("rule severity {}", rules::to_string(rule.severity)));
      continue;
    }
    score_one(rule, finding, caches_->pytest_configs);
    if (!rule.source.empty()) {
      // The document's multiline patterns end at the call: look at their last line.
      std::uint32_t line = rule.anchor == rules::Anchor::end ? finding.end_line : finding.line;
      auto it = covering.find({finding.path, line, rule.category});
      if (it != covering.end() && finding.score > kWeights.covered_elsewhere) {
        finding.score = kWeights.covered_elsewhere;
        finding.reasons.push_back(fmt::format("the same code is reported by {} (line {})", it->second, line));
      }
    }
    finding.score = std::clamp(finding.score, 0, 100);
  }
}

}  // namespace asyncsweep::score
