#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "search/rule_set.hpp"

#include "regex/pcre.hpp"
#include "rules/rule.hpp"
#include "search/literal_scan.hpp"
#include "search/literals.hpp"
#include "test_python.hpp"

using namespace asyncsweep;
using search::Requirement;

TEST_CASE("required literals of the document's regexes") {
  CHECK(search::required_literals("asyncio\\.gather\\(") == std::vector<Requirement>{{"asyncio.gather("}});
  CHECK(search::required_literals("try:.*finally:.*\\.(close|aclose)\\(") ==
        std::vector<Requirement>{{"try:"}, {"finally:"}, {"close", "aclose"}});
  CHECK(search::required_literals("\\bawait\\b") == std::vector<Requirement>{{"await"}});
  CHECK(search::required_literals("connect_(read|write)_pipe") ==
        std::vector<Requirement>{{"connect_"}, {"read", "write"}, {"_pipe"}});
}

TEST_CASE("required literals stay conservative") {
  // A top-level alternation needs one literal from some branch.
  CHECK(search::required_literals("foo|bar") == std::vector<Requirement>{{"foo", "bar"}});
  CHECK(search::required_literals("foo|b.r").empty());            // a branch without a literal
  CHECK(search::required_literals("(?<![\\w.])open\\(|\\bio\\.open_code") ==
        std::vector<Requirement>{{"open(", "io.open_code"}});  // lookbehinds are zero-width
  CHECK(search::required_literals("abc(?i)def").empty());         // inline options anywhere
  CHECK(search::required_literals("(?i)asyncio").empty());        // inline flags
  CHECK(search::required_literals("ab").empty());                 // too short to pay
  CHECK(search::required_literals("(abc)?def") == std::vector<Requirement>{{"def"}});
  CHECK(search::required_literals("abcd*e") == std::vector<Requirement>{{"abc"}});
  CHECK(search::required_literals("x(abc|de)y").empty());          // an alternative too short
  CHECK(search::required_literals("(ab+c|xyz)tail") == std::vector<Requirement>{{"tail"}});
  // Groups with more than literal alternatives contribute what their body requires.
  CHECK(search::required_literals("x(socket\\..*\\.connect|socket\\..*\\.recv)\\(") ==
        std::vector<Requirement>{{".connect", "socket."}});
  CHECK(search::required_literals("(foo\\d+bar)") == std::vector<Requirement>{{"foo"}, {"bar"}});
  CHECK(search::required_literals("(foo\\d+bar)?baz") == std::vector<Requirement>{{"baz"}});  // optional
  CHECK(search::required_literals("(?!foo.*bar)baz") == std::vector<Requirement>{{"baz"}});      // lookaround
}

TEST_CASE("the literal set finds exactly the literals present") {
  search::LiteralSet set({"asyncio.gather(", "await", "open(", "(", "zz", "os.pipe()"});
  std::vector<std::uint8_t> found;
  set.scan("x = await asyncio.gather(a)\n", found);
  CHECK(found == std::vector<std::uint8_t>{1, 1, 0, 1, 0, 0});
  set.scan("zz", found);
  CHECK(found == std::vector<std::uint8_t>{0, 0, 0, 0, 1, 0});
  set.scan("", found);
  CHECK(found == std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0});
  set.scan("r, w = os.pipe()", found);
  CHECK(found[5] == 1);
}

namespace {

// Inputs the default pack's regexes match, one or more per rule (one per top-level
// alternative where a rule has several): the soundness test asserts that each does match, so
// none can silently stop exercising its rule.
const std::map<std::string, std::vector<std::string>>& hand_written_matches() {
  static const std::map<std::string, std::vector<std::string>> examples = {
      {"ASW001", {"    results = await asyncio.gather(a(), b())\n"}},
      {"ASW002",
       {"try: conn = connect()  # finally: conn.close()\n", "try: s()  # finally: s.aclose()\n"}},
      {"ASW003", {"def handle(self, db, key, response):\n"}},
      {"ASW004", {"except ValueError: record_error(e)\n"}},
      {"ASW010", {"asyncio_mode = \"auto\"\n"}},
      {"ASW011", {"asyncio_mode = auto\n"}},
      {"ASW012", {"@pytest.mark.asyncio\n"}},
      {"ASW020", {"async def main():\n"}},
      {"ASW021", {"    await asyncio.sleep(1)\n"}},
      {"ASW022", {"    async with asyncio.TaskGroup() as tg:\n"}},
      {"ASW023", {"    task = asyncio.create_task(work())\n"}},
      {"ASW030", {"async def load(p):\n    path = Path(p)\n    return path.read_text()\n"}},
      {"ASW031", {"async def load(p):\n    x = 1\n    with open(p) as fh:\n"}},
      {"ASW032", {"async def load(fd):\n    x = 1\n    data = os.read(fd, 1024)\n"}},
      {"ASW033", {"async def build():\n    x = 1\n    subprocess.run(['make'])\n"}},
      {"ASW034", {"async def build():\n    x = 1\n    p = subprocess.Popen(['make'])\n"}},
      {"ASW040", {"loop = asyncio.get_event_loop()\n"}},
      {"ASW041", {"asyncio.run(main())\n"}},
      {"ASW050", {"f = os.fdopen(fd, 'rb')\n"}},
      {"ASW051", {"r, w = os.pipe()\n"}},
      {"ASW052",
       {"    await loop.connect_read_pipe(proto, f)\n",
        "    await loop.connect_write_pipe(proto, f)\n"}},
      {"ASW060", {"async def talk(addr):\n    x = 1\n    socket.socket().connect(addr)\n"}},
      {"ASW101", {"    with open(path) as f:\n", "    f = io.open_code(path)\n"}},
      {"ASW102", {"    text = path.read_text()\n", "    with path.open() as f:\n"}},
      {"ASW103", {"    n = os.write(fd, data)\n"}},
      {"ASW104", {"    f = os.fdopen(fd)\n"}},
      {"ASW105", {"    subprocess.check_output(['git', 'log'])\n", "    os.waitpid(pid, 0)\n"}},
      {"ASW106", {"    time.sleep(0.5)\n"}},
      {"ASW107", {"    data = sock.recv(4096)\n"}},
      {"ASW108", {"    socket.getaddrinfo(host, port)\n"}},
      {"ASW109",
       {"    r = requests.get(url)\n", "    urllib.request.urlopen(url)\n", "    urlopen(url)\n",
        "    urllib3.PoolManager()\n", "    s = requests.Session()\n", "    c = httpx.Client()\n"}},
      {"ASW110", {"    name = input('name? ')\n"}},
      {"ASW111", {"    os.stat(p)\n", "    if os.path.exists(p):\n", "    glob.glob('*.py')\n"}},
      {"ASW112",
       {"    if path.exists():\n", "    for top, dirs, files in root.walk():\n", "    uid = path.owner()\n",
        "    tmp.rename(dest)\n"}},
      {"ASW113", {"    shutil.rmtree(d)\n"}},
      {"ASW114", {"    d = tempfile.mkdtemp()\n"}},
      {"ASW120", {"try:\n    pass\nfinally:\n    f.close()\n"}},
      {"ASW121", {"    r, w = os.pipe()\n"}},
      {"ASW130", {"    data = self._load_file(path)\n"}},
  };
  return examples;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Real code: the repository's fixtures and asyncio's sources and tests.
std::vector<std::pair<std::string, std::string>> corpus() {
  const std::string stdlib = test_support::python_stdlib();
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& root :
       {std::string(ASYNCSWEEP_SOURCE_DIR) + "/tests/fixtures",
        test_support::require_dir(stdlib + "/asyncio", "python3"),
        test_support::require_dir(stdlib + "/test/test_asyncio", "libpython3.11-testsuite")}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file())
        files.emplace_back(entry.path().string(), read_all(entry.path()));
    }
  }
  std::sort(files.begin(), files.end());  // directory order differs between filesystems
  return files;
}

bool contains_one_of(std::string_view text, const std::vector<std::string>& alternatives) {
  return std::any_of(alternatives.begin(), alternatives.end(), [&](const std::string& literal) {
    return text.find(literal) != std::string_view::npos;
  });
}

std::string shown(std::string_view text) {
  std::string out(text.substr(0, 120));
  for (auto& c : out) {
    if (c == '\n') c = '|';
  }
  return out;
}

}  // namespace

TEST_CASE("the prefilter is sound: whenever a rule's regex matches, its literals are present") {
  // Every rule of the default pack, driven with inputs its regex matches: the hand-written
  // ones above, random texts built from fragments of the rules' literals, and real code. For
  // each match, the literals the prefilter requires must be in the matched text itself:
  // required_literals() of the regex, the rule set's requirements (the literal pass and the
  // secondary lookups) and a line-mode rule's line literals. Two requirements are not the
  // regex's and hold for other reasons: "async" of async-scope rules (they report only inside
  // an `async def`) and declared `literals` (the rule's check needs them; finally_block_test
  // shows they drop no finding on real code).
  rules::RulePack pack = rules::load_default_pack();
  search::RuleSet set(rules::load_default_pack());
  REQUIRE(set.size() == pack.rules.size());
  REQUIRE(pack.rules.size() == hand_written_matches().size());

  std::vector<std::pair<std::string, std::string>> inputs;  // (where from, text)
  std::vector<std::string> fragments = {"async def f():\n", "    open(x)\n", "asyncio.gather(", "await ",
                                        "\n", "try: a\nfinally: b.close()\n", "os.read(", "os.fdopen(",
                                        "socket.s.connect(", "subprocess.run(", "TaskGroup(", "xyz "};
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::string text;
    for (int k = 0; k < 8; ++k) text += fragments[rng() % fragments.size()];
    inputs.emplace_back("random text " + std::to_string(trial), text);
  }
  for (auto& file : corpus()) inputs.push_back(std::move(file));

  regex::MatchScratch scratch;
  std::ostringstream report;
  for (std::size_t r = 0; r < set.size(); ++r) {
    const search::CompiledRule& rule = set[r];
    INFO("rule " << rule.rule.id << " /" << rule.rule.regex << "/");
    const std::vector<Requirement> derived = search::required_literals(rule.rule.regex);
    std::vector<Requirement> prefilter;  // the rule set's, as literal strings
    for (const auto& indices : rule.requirements) {
      Requirement alternatives;
      for (auto i : indices) alternatives.push_back(set.literals().literal(i));
      prefilter.push_back(alternatives);
    }
    for (const auto& indices : rule.secondary) {
      Requirement alternatives;
      for (auto i : indices) alternatives.push_back(set.secondary_literals()[i].literal());
      prefilter.push_back(alternatives);
    }
    Requirement declared = search::simplify(rule.rule.literals);
    std::sort(declared.begin(), declared.end());
    std::vector<Requirement> checked;
    for (auto& alternatives : prefilter) {
      std::sort(alternatives.begin(), alternatives.end());
      const bool for_scope =
          rule.rule.scope == rules::Scope::async && alternatives == Requirement{"async"};
      const bool for_check = !declared.empty() && alternatives == declared;
      if (!for_scope && !for_check) checked.push_back(alternatives);
    }

    // What each match must hold.
    std::size_t matches = 0;
    std::string first;
    auto check_match = [&](const std::string& from, std::string_view text, std::size_t start,
                           std::size_t end) {
      const std::string_view matched = text.substr(start, end - start);
      INFO(from << ": matched '" << shown(matched) << "'");
      ++matches;
      if (first.empty()) first = from + ": " + shown(matched);
      for (const auto& alternatives : derived) CHECK(contains_one_of(matched, alternatives));
      for (const auto& alternatives : checked) CHECK(contains_one_of(matched, alternatives));
      if (!rule.line_literals.empty()) {
        CHECK(std::any_of(rule.line_literals.begin(), rule.line_literals.end(),
                          [&](const search::LiteralFinder& f) {
                            return f.find(matched) != std::string_view::npos;
                          }));
      }
    };
    // Line-mode rules search line by line, as the searcher does (`\s*` cannot cross a line).
    auto all_matches = [&](const std::string& from, std::string_view text) {
      std::size_t found = 0;
      for (std::size_t begin = 0; begin < text.size();) {
        const std::size_t newline =
            rule.rule.multiline ? std::string_view::npos : text.find('\n', begin);
        const std::string_view part =
            text.substr(begin, newline == std::string_view::npos ? newline : newline - begin);
        for (std::size_t at = 0; at <= part.size();) {
          const auto m = scratch.find(rule.regex, part, at);
          if (m.status != regex::MatchStatus::match) break;
          ++found;
          check_match(from, part, m.start, m.end);
          at = m.end > m.start ? m.end : m.end + 1;
        }
        if (newline == std::string_view::npos) break;
        begin = newline + 1;
      }
      return found;
    };

    const auto example = hand_written_matches().find(rule.rule.id);
    REQUIRE(example != hand_written_matches().end());
    for (const auto& text : example->second) {
      INFO("hand-written input '" << shown(text) << "'");
      // Else the example no longer exercises the rule.
      CHECK(all_matches("hand-written", text) > 0);
    }
    std::size_t from_elsewhere = 0;
    for (const auto& [from, text] : inputs) from_elsewhere += all_matches(from, text);
    report << rule.rule.id << ": " << matches << " matches (" << from_elsewhere
           << " in random texts and real code); first: " << first << '\n';
    CHECK(matches > 0);
  }
  WARN("prefilter soundness, matches per rule:\n" << report.str());
}

TEST_CASE("simplify drops alternatives that contain another one") {
  CHECK(search::simplify({"lstat", "stat", "statvfs", "open", "open"}) == Requirement{"open", "stat"});
  CHECK(search::simplify({"recv_into", "send", "recv"}) == Requirement{"recv", "send"});
}

TEST_CASE("estimated frequency orders requirements by what they rule out") {
  CHECK(search::estimated_frequency("record_error") < search::estimated_frequency("except"));
  CHECK(search::estimated_frequency("async") < search::estimated_frequency(Requirement{"open", "stat"}));
  CHECK(search::estimated_frequency(Requirement{"send", "recv"}) > search::estimated_frequency("send"));
}

namespace {

std::vector<std::uint8_t> naive_scan(const std::vector<std::string>& literals, std::string_view text) {
  std::vector<std::uint8_t> found;
  for (const auto& literal : literals) found.push_back(text.find(literal) != std::string_view::npos);
  return found;
}

// Both kernels against a plain find, for scan() and contains_any().
void check_kernels(const search::LiteralSet& fast, const search::LiteralSet& portable,
                   const std::vector<std::string>& literals, const std::string& text) {
  std::vector<std::uint8_t> a, b;
  fast.scan(text, a);
  portable.scan(text, b);
  auto expected = naive_scan(literals, text);
  REQUIRE(a == expected);
  REQUIRE(b == expected);
  bool any = std::find(expected.begin(), expected.end(), 1) != expected.end();
  REQUIRE(fast.contains_any(text) == any);
  REQUIRE(portable.contains_any(text) == any);
}

}  // namespace

TEST_CASE("both scan kernels agree with a plain find on random texts and literal sets") {
  // Small alphabets make partial matches, repeated anchors and full buckets common; lengths
  // around 32 and 34 exercise the vector loop's end and the scalar tail.
  std::mt19937 rng(11);
  const std::string alphabet = "abcd_(.)\n ";
  auto random_string = [&](std::size_t n, std::size_t letters) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % letters];
    return s;
  };
  int simd_sets = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    std::vector<std::string> literals;
    std::size_t count = 1 + rng() % 60;
    for (std::size_t i = 0; i < count; ++i) literals.push_back(random_string(1 + rng() % 8, letters));
    search::LiteralSet fast(literals);
    search::LiteralSet portable(literals, search::ScanKernel::portable);
    simd_sets += fast.simd();
    for (int t = 0; t < 20; ++t) check_kernels(fast, portable, literals, random_string(rng() % 200, letters));
  }
  // Where the CPU has AVX2 the SIMD kernel must have been the one compared.
  if (__builtin_cpu_supports("avx2")) CHECK(simd_sets == 400);
}

TEST_CASE("the scan finds literals of real source at any position") {
  search::RuleSet set(rules::load_default_pack());
  std::vector<std::string> literals;
  for (std::size_t i = 0; i < set.literals().size(); ++i) literals.push_back(set.literals().literal(i));
  search::LiteralSet fast(literals);
  search::LiteralSet portable(literals, search::ScanKernel::portable);
  const std::string code = "async def f():\n    await asyncio.gather(a, b)\n    x = os.pipe()\n";
  for (std::size_t pad = 0; pad < 70; ++pad) {
    check_kernels(fast, portable, literals, std::string(pad, ' ') + code + std::string(pad % 7, '#'));
  }
}

TEST_CASE("the single-literal finder agrees with a plain find from any offset") {
  std::mt19937 rng(5);
  const std::string alphabet = "ab_(.\n";
  for (int trial = 0; trial < 3000; ++trial) {
    std::size_t letters = 2 + rng() % (alphabet.size() - 1);
    std::string needle, text;
    for (std::size_t i = 0, n = 1 + rng() % 6; i < n; ++i) needle += alphabet[rng() % letters];
    for (std::size_t i = 0, n = rng() % 120; i < n; ++i) text += alphabet[rng() % letters];
    search::LiteralFinder finder(needle);
    for (std::size_t from = 0; from <= text.size() + 1; from += 1 + rng() % 9) {
      INFO("needle '" << needle << "' text '" << text << "' from " << from);
      std::size_t expected = from <= text.size() ? std::string_view(text).find(needle, from) : std::string_view::npos;
      REQUIRE(finder.find(text, from) == expected);
    }
  }
}
