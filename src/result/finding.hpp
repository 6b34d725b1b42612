// A finding, stage by stage: each stage of a sweep fills in one part, and its interface names
// the part it fills in:
//   MatchSite    the searcher (search/searcher.hpp): where a rule matched, and the text there
//   Analysis     the Python-aware stage (analyze/python_features.hpp): the position's Features
//   Assessment   the scorer (score/scorer.hpp): score and reasons
//   Fingerprint  the sweep, for SARIF only (report/fingerprint.hpp): the line hash
// Triage (triage/triage.hpp) adds no part: it decides which list of the SweepResult a finding
// ends up in and counts the rest (Features::suppressed_by says which comment or ignore hid one).
// A Finding is all of them at once, so that it flows from the searcher to the printers as one
// value, moved, never converted; code that reads a finding's fields reads them as before
// (`finding.line`, `finding.score`, `finding.features->awaited`).
//
// result/ holds what a sweep produces, below every layer that reads it (score, triage, report,
// cli, sweep). Its types live in namespace asyncsweep itself: every layer speaks them, and
// `result` names too many variables to be a namespace as well.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result/reasons.hpp"
#include "result/shared_string.hpp"

namespace asyncsweep {

// One function on the way from a call in an async def to the blocking call it leads to
// (rule check calls-blocking): the function, and the call in it that blocks or goes on.
struct ChainStep {
  std::string path;      // as displayed
  std::uint32_t line = 0;  // of the call
  std::string function;  // qualified: "pkg.store.Store._load_file"
  std::string call;      // as written: "path.open", "self._read"
  std::string rule;      // the last step: the blocking-io rule that matches the call
};

// What a call's receiver is, as analyze/object_kinds infers it from where the name was bound.
enum class ReceiverKind : std::uint8_t {
  unknown,
  socket,          // socket.socket(), socketpair(), accept(), create_connection(), wrap_socket()
  popen,           // subprocess.Popen(...)
  file,            // open(), Path.open(), os.fdopen(), a parameter annotated IO/BinaryIO, ...
  path,            // pathlib.Path(...), `/` joins, pytest's tmp_path/tmpdir
  memory,          // io.BytesIO/StringIO, and tar/zip archives opened on them
  async_io,        // anyio.Path, trio.Path, aiofiles/anyio files: awaited APIs
  http_connection, // http.client.HTTPConnection/HTTPSConnection
};

// What the Python line model says about a finding's position; the scorer turns these into
// a score and reasons. Filled only for Python files.
struct Features {
  bool analyzed = false;
  enum class Region : std::uint8_t { code, comment, string } region = Region::code;
  bool docstring = false;
  std::uint32_t async_line = 0;       // nearest enclosing `async def` (0: none)
  std::string async_name;
  enum class Nested : std::uint8_t { none, def, lambda, klass } nested = Nested::none;
  std::uint32_t nested_line = 0;      // a sync def/lambda/class between the call and the async def
  std::string nested_name;
  std::uint32_t nested_called_line = 0;  // a nested def that the async body calls directly: there
  bool awaited = false;               // `await <call chain>`: an async API
  std::uint32_t awaited_line = 0;     // `r = x.open()` ... `await r` on this line: awaited later
  bool called = true;                 // false: a function reference (`to_thread(path.read_text)`)
  std::string offload_call;           // evaluated as an argument of to_thread/run_in_executor/...
  std::string receiver;               // `sock` in `self.sock.recv(`: what a method is called on
  bool nonblocking_in_function = false;  // O_NONBLOCK / set_blocking / setblocking(False) nearby
  bool test_file = false;
  bool imports_async = false;         // the module imports asyncio, anyio or trio
  bool main_guard = false;            // inside `if __name__ == "__main__":` (or a __main__.py)
  std::uint32_t finally_close_line = 0;  // check finally-closes: the line of the close call
  bool return_exceptions = false;     // gather(..., return_exceptions=True): failures are collected
  std::string suppressed_by;          // the inline comment that suppresses the finding
  std::string resolved_import;        // found through an import: "`sleep` is time.sleep (imported on line 4)"
  std::vector<ChainStep> chain;       // calls-blocking: callee first, the blocking call last
  // analyze/object_kinds: the receiver's (or, for archives, the opened object's) inferred kind.
  ReceiverKind receiver_kind = ReceiverKind::unknown;
  std::string receiver_origin;        // "`sock` is created by socket.socketpair() on line 12"
  std::uint32_t receiver_nonblocking_line = 0;  // where it is set non-blocking (0: never)
  bool receiver_datagram = false;     // a UDP socket
  bool async_iterated = false;        // `async for x in p.glob(...)`: the call returns an async iterator
  bool numeric_lookup = false;        // getaddrinfo/getnameinfo with numeric-only flags: no lookup
};

// A finding's Features, kept out of line: a Finding is moved twice on its way to the report
// (into its thread's blocks, then into the result), each time into fresh memory, and most
// findings of a seed-exact run or of a non-Python file have no features at all. Reading an
// empty box gives default Features; edit() creates them. Copies are deep. One word: the
// Features' address, or (none kept) whether a slimmed finding is in a test file.
class FeaturesBox {
 public:
  FeaturesBox() = default;
  FeaturesBox(const FeaturesBox& other)
      : bits_(other.features() ? reinterpret_cast<std::uintptr_t>(new Features(*other.features()))
                               : other.bits_) {}
  FeaturesBox& operator=(const FeaturesBox& other) {
    if (this != &other) *this = FeaturesBox(other);
    return *this;
  }
  FeaturesBox(FeaturesBox&& other) noexcept : bits_(std::exchange(other.bits_, 0)) {}
  FeaturesBox& operator=(FeaturesBox&& other) noexcept {
    if (this != &other) {
      delete features();
      bits_ = std::exchange(other.bits_, 0);
    }
    return *this;
  }
  ~FeaturesBox() { delete features(); }

  Features& edit() {
    if (features() == nullptr) {
      auto* fresh = new Features();
      fresh->test_file = bits_ == kTestFile;
      bits_ = reinterpret_cast<std::uintptr_t>(fresh);
    }
    return *features();
  }
  const Features& operator*() const {
    if (const Features* kept = features()) return *kept;
    return bits_ == kTestFile ? kTestFileFeatures : kNone;
  }
  const Features* operator->() const { return &**this; }

  // Once a file's stages (analysis, score, triage, fixes) are done, a finding is read only for
  // test_file (the global triage, the printers), a chain and suppressed_by: a finding kept for
  // the global sort without the last two drops the rest (300 bytes, a third of a kept finding).
  void slim() {
    Features* kept = features();
    if (kept == nullptr || !kept->chain.empty() || !kept->suppressed_by.empty()) return;
    const bool test_file = kept->test_file;
    delete kept;
    bits_ = test_file ? kTestFile : 0;
  }

 private:
  static_assert(alignof(Features) > 1, "the low bit of a Features* tells a slimmed test file");
  static constexpr std::uintptr_t kTestFile = 1;  // none kept, a test file's
  Features* features() const {
    return (bits_ & kTestFile) != 0 ? nullptr : reinterpret_cast<Features*>(bits_);
  }
  static inline const Features kNone{};
  static inline const Features kTestFileFeatures = [] {
    Features features;
    features.test_file = true;
    return features;
  }();
  std::uintptr_t bits_ = 0;
};

// Context lines (-A/-B/-C, a rule's before/after), the lines before and after a match, out of
// line in one box: most findings have none, and a vector is 24 bytes in each of them (a box
// each, 8). Reads like the two vectors it boxes; copies are deep.
class ContextLines {
 public:
  ContextLines() = default;
  ContextLines(std::vector<std::string> before, std::vector<std::string> after) {
    if (before.empty() && after.empty()) return;
    lines_ = std::make_unique<Lines>(Lines{std::move(before), std::move(after)});
  }
  ContextLines(const ContextLines& other)
      : lines_(other.lines_ ? std::make_unique<Lines>(*other.lines_) : nullptr) {}
  ContextLines& operator=(const ContextLines& other) {
    if (this != &other) *this = ContextLines(other);
    return *this;
  }
  ContextLines(ContextLines&&) noexcept = default;
  ContextLines& operator=(ContextLines&&) noexcept = default;

  bool empty() const { return !lines_; }  // no line before, none after
  const std::vector<std::string>& before() const { return lines_ ? lines_->before : kNone; }
  const std::vector<std::string>& after() const { return lines_ ? lines_->after : kNone; }
  void add_before(std::string_view line) { edit().before.emplace_back(line); }
  void add_after(std::string_view line) { edit().after.emplace_back(line); }
  friend bool operator==(const ContextLines& a, const ContextLines& b) {
    return a.before() == b.before() && a.after() == b.after();
  }

 private:
  struct Lines {
    std::vector<std::string> before, after;
  };
  Lines& edit() {
    if (!lines_) lines_ = std::make_unique<Lines>();
    return *lines_;
  }
  static inline const std::vector<std::string> kNone{};
  std::unique_ptr<Lines> lines_;
};

// The largest file a sweep reads (--max-filesize is clamped to it; a larger file is skipped as
// too large): a finding's offsets, like its lines and columns, are 32-bit, and a SharedString
// holds at most as many bytes. 8 bytes less in every finding kept, for Python sources of 4 GiB.
inline constexpr std::uint64_t kLargestFile = 0xFFFFFFFFull;

// The searcher's part: where a rule matched and what the file says there. Strings are
// SharedStrings (8 bytes each; a file's findings share one path).
struct MatchSite {
  std::uint32_t rule = 0;      // index into the compiled rule set
  std::uint32_t line = 0;      // 1-based, first line of the match
  std::uint32_t end_line = 0;  // 1-based, last line of the (merged) match
  std::uint32_t column = 0;    // 1-based byte column of the match start
  std::uint32_t end_column = 0;  // 1-based byte column just past the match end, on end_line
  std::uint32_t offset = 0;      // byte offset of the match start (kLargestFile: 32 bits do)
  std::uint32_t end_offset = 0;  // byte offset just past the match
  SharedString path;             // as displayed (root as given + relative path)
  SharedString text;           // the matched lines, without the final line terminator
  ContextLines context;        // the lines around the match (-A/-B/-C, the rule's before/after)
};

// The Python-aware stage's part (analyze/), and where inline suppressions and per-file-ignores
// note what hid a finding (Features::suppressed_by).
struct Analysis {
  FeaturesBox features;
};

// The scorer's part.
struct Assessment {
  int score = 0;  // 0..100
  Reasons reasons;
};

// What the sweep computes from the file while it is in memory, for a printer that cannot see
// it any more: only when a SARIF report is asked for (SweepConfig::line_hashes).
struct Fingerprint {
  SharedString line_hash;  // GitHub's primaryLocationLineHash of `line`; empty: none
};

struct Finding : MatchSite, Analysis, Assessment, Fingerprint {};

// A problem that made the sweep incomplete. `rule` is empty for file-level errors.
struct SweepError {
  std::string path;
  std::string rule;
  std::string message;
};

}  // namespace asyncsweep
