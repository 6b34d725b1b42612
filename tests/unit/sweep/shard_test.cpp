#include "sweep/shard.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/roots.hpp"
#include "cli/shard_arg.hpp"
#include "rules/rule.hpp"
#include "sweep/sweep.hpp"

using namespace asyncsweep;

namespace {

cli::Environment env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string parse_error(std::string_view text, const cli::Environment& env = env_of({})) {
  try {
    cli::parse_shard(text, env);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("FNV-1a 64 matches the published test vectors") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ull);
  // Bytes, not chars: a high byte must not sign-extend.
  CHECK(fnv1a64("\xff") == ((0xcbf29ce484222325ull ^ 0xffull) * 0x100000001b3ull));
}

TEST_CASE("the shard of a path is pinned: the same on every machine and every release") {
  // Changing these values reshuffles every sharded fleet sweep mid-flight: don't.
  CHECK(mix64(0) == 0);
  CHECK(mix64(1) == 0xb456bcfc34c2cb2cull);
  CHECK(mix64(fnv1a64("asyncio/tasks.py")) == 0x02d97766b92c8832ull);
  CHECK(shard_of("asyncio/tasks.py", 4) == 2);
  CHECK(shard_of("pkg/mod.py", 4) == 1);
  CHECK(shard_of("pkg/mod.py", 7) == 0);
  CHECK(shard_of("x.py", 4) == 1);
  CHECK(shard_of("foobar", 7) == 3);
  CHECK(shard_of("anything", 1) == 0);
}

TEST_CASE("shards are balanced, even for names that differ only in high bits") {
  // Plain FNV-1a modulo 4 would look only at the low 2 bits of each byte.
  const std::uint32_t n = 4;
  std::vector<int> counts(n, 0);
  for (int i = 0; i < 4000; ++i) ++counts[shard_of(fmt::format("pkg/mod_{}.py", i), n)];
  for (int c : counts) CHECK((c > 850 && c < 1150));
  std::vector<int> letters(n, 0);
  for (char c = 'a'; c <= 'z'; ++c) {
    for (char d = 'a'; d <= 'z'; ++d) ++letters[shard_of(std::string{c, d} + ".py", n)];
  }
  for (int c : letters) CHECK((c > 120 && c < 220));
}

TEST_CASE("ShardSpec owns exactly one shard's keys; an inactive spec owns all") {
  ShardSpec off;
  CHECK(!off.active());
  CHECK(off.owns("a.py"));
  CHECK(off.counts_walk());
  for (const char* key : {"a.py", "b/c.py", "d/e/f.pyi", ""}) {
    int owners = 0;
    for (std::uint32_t i = 0; i < 5; ++i) owners += ShardSpec{i, 5}.owns(key) ? 1 : 0;
    CHECK(owners == 1);
  }
  CHECK(ShardSpec{0, 3}.counts_walk());
  CHECK(!ShardSpec{1, 3}.counts_walk());
}

TEST_CASE("shard keys do not depend on how the root was spelled") {
  CHECK(sweep::strip_dot_slash("./a/b.py") == "a/b.py");
  CHECK(sweep::strip_dot_slash("././/a.py") == "a.py");
  CHECK(sweep::strip_dot_slash("a/./b.py") == "a/./b.py");
  CHECK(sweep::strip_dot_slash("../a.py") == "../a.py");
  const std::string path = "/srv/repo/pkg/mod.py";
  walk::FileEntry walked{path,  "mod.py", walk::Verdict::include,
                         false, true,     std::string_view(path).substr(10)};
  CHECK(sweep::shard_key(walked) == "pkg/mod.py");
  const std::string named = "./pkg/mod.py";
  walk::FileEntry explicit_file{named, "mod.py", walk::Verdict::include, true, true, named};
  CHECK(sweep::shard_key(explicit_file) == "pkg/mod.py");
}

TEST_CASE("shard I/N parses, and every malformed form is an error that says why") {
  auto spec = cli::parse_shard("2/4", env_of({}));
  CHECK(spec.index == 2);
  CHECK(spec.count == 4);
  CHECK(cli::parse_shard("0/1", env_of({})).active());
  CHECK(cli::parse_shard("007/8", env_of({})).index == 7);

  CHECK_THAT(parse_error("4/4"), Catch::Contains("out of range for 4 shards (0..3)"));
  CHECK_THAT(parse_error("1/0"), Catch::Contains("shard count N"));
  CHECK_THAT(parse_error("1"), Catch::Contains("expected I/N"));
  CHECK_THAT(parse_error(""), Catch::Contains("expected I/N"));
  for (const char* bad : {"/4", "-1/4", "+1/4", " 1/4", "1 /4", "a/4", "1.0/4", "99999999999/4"}) {
    INFO(bad);
    CHECK_THAT(parse_error(bad), Catch::Contains("shard index I"));
  }
  for (const char* bad : {"1/", "1/4x", "1/-4", "1/ 4", "0/1000001", "0/4/2", "auto/", "auto/0"}) {
    INFO(bad);
    CHECK_THAT(parse_error(bad), Catch::Contains("shard count N"));
  }
  CHECK(cli::parse_shard("0/1000000", env_of({})).count == 1000000);
}

TEST_CASE("shard auto/N takes the first index an engine set, in a fixed order") {
  auto index = [](std::map<std::string, std::string> env) {
    return cli::parse_shard("auto/8", env_of(env)).index;
  };
  CHECK(index({{"JOB_COMPLETION_INDEX", "3"}}) == 3);
  CHECK(index({{"SLURM_ARRAY_TASK_ID", "5"}}) == 5);
  CHECK(index({{"PARALLEL_SEQ", "1"}}) == 0);  // GNU parallel counts from 1
  CHECK(index({{"PARALLEL_SEQ", "8"}}) == 7);
  CHECK(
      index({{"JOB_COMPLETION_INDEX", "1"}, {"SLURM_ARRAY_TASK_ID", "2"}, {"PARALLEL_SEQ", "4"}}) ==
      1);
  CHECK(index({{"SLURM_ARRAY_TASK_ID", "2"}, {"PARALLEL_SEQ", "4"}}) == 2);
  // Set but empty is not set: the next engine's value wins.
  CHECK(index({{"JOB_COMPLETION_INDEX", ""}, {"PARALLEL_SEQ", "6"}}) == 5);
  // The first one set is used even when a later one would have been valid.
  CHECK_THAT(parse_error("auto/8", env_of({{"JOB_COMPLETION_INDEX", "8"}, {"PARALLEL_SEQ", "1"}})),
             Catch::Contains("JOB_COMPLETION_INDEX=8"));
}

TEST_CASE("shard auto/N errors name the variables asked, or the one out of range") {
  std::string none = parse_error("auto/4");
  CHECK_THAT(none, Catch::Contains("no shard index in the environment"));
  CHECK_THAT(none, Catch::Contains("JOB_COMPLETION_INDEX"));
  CHECK_THAT(none, Catch::Contains("SLURM_ARRAY_TASK_ID"));
  CHECK_THAT(none, Catch::Contains("PARALLEL_SEQ"));
  CHECK_THAT(parse_error("auto/4", env_of({{"SLURM_ARRAY_TASK_ID", "4"}})),
             Catch::Contains(
                 "SLURM_ARRAY_TASK_ID=4 (Slurm job array) is not a shard index: expected 0..3"));
  CHECK_THAT(parse_error("auto/4", env_of({{"PARALLEL_SEQ", "0"}})),
             Catch::Contains("PARALLEL_SEQ=0 (GNU parallel) is not a shard index: expected 1..4"));
  CHECK_THAT(parse_error("auto/4", env_of({{"PARALLEL_SEQ", "5"}})),
             Catch::Contains("PARALLEL_SEQ=5"));
  CHECK_THAT(parse_error("auto/4", env_of({{"JOB_COMPLETION_INDEX", "x"}})),
             Catch::Contains("JOB_COMPLETION_INDEX=x"));
  CHECK_THAT(parse_error("auto/4", env_of({{"JOB_COMPLETION_INDEX", "-1"}})),
             Catch::Contains("JOB_COMPLETION_INDEX=-1"));
}

TEST_CASE("the process environment is read through the same interface") {
  ::setenv("ASYNCSWEEP_SHARD_TEST_VAR", "17", 1);
  auto env = cli::process_environment();
  CHECK(env("ASYNCSWEEP_SHARD_TEST_VAR") == std::optional<std::string>("17"));
  ::unsetenv("ASYNCSWEEP_SHARD_TEST_VAR");
  CHECK(!env("ASYNCSWEEP_SHARD_TEST_VAR").has_value());
}

TEST_CASE("roots-from: one path per line, comments and blank lines skipped") {
  CHECK(cli::parse_root_list("") == std::vector<std::string>{});
  CHECK(cli::parse_root_list("a\n\n# b\n  \n\t\nc d\r\n /e\n#\nf") ==
        std::vector<std::string>{"a", "c d", " /e", "f"});
  CHECK(cli::parse_root_list("x # not a comment\n") ==
        std::vector<std::string>{"x # not a comment"});
}

TEST_CASE("a sharded sweep searches each file in exactly one shard and counts the rest") {
  auto base =
      std::filesystem::temp_directory_path() / fmt::format("asyncsweep-shard-{}", ::getpid());
  std::filesystem::remove_all(base);
  std::set<std::string> expected;
  for (int d = 0; d < 6; ++d) {
    for (int f = 0; f < 10; ++f) {
      auto dir = base / fmt::format("pkg{}", d);
      std::filesystem::create_directories(dir);
      auto file = dir / fmt::format("m{}.py", f);
      std::ofstream(file) << "import asyncio\nloop = asyncio.get_event_loop()\n";
      expected.insert(file.string());
    }
  }
  std::ofstream(base / "notes.txt") << "no rule reads this\n";
  std::ofstream(base / ".hidden.py") << "x = 1\n";
  std::filesystem::create_directories(base / ".cache");
  std::ofstream(base / ".cache" / "c.py") << "x = 1\n";
  std::filesystem::create_symlink("notes.txt", base / "link.py");

  search::RuleSet rules(rules::load_default_pack());
  SweepConfig whole;
  whole.paths = {base.string()};
  whole.walk.threads = 2;
  SweepResult all = sweep::run_sweep(whole, rules);
  REQUIRE(all.findings.size() == 60);
  REQUIRE(all.stats.ignored_dirs[static_cast<std::size_t>(walk::IgnoreReason::hidden)] == 1);
  REQUIRE(all.stats.ignored_files[static_cast<std::size_t>(walk::IgnoreReason::symlink)] == 1);

  const std::uint32_t n = 3;
  std::multiset<std::string> seen;
  Stats total;
  for (std::uint32_t i = 0; i < n; ++i) {
    SweepConfig config = whole;
    config.shard = ShardSpec{i, n};
    SweepResult part = sweep::run_sweep(config, rules);
    CHECK(part.stats.shard.index == i);
    CHECK(part.stats.shard.count == n);
    CHECK(part.stats.files_walked > 0);
    // Every file the walker handed over is this shard's (walked or passed by) or another's.
    const auto& s = part.stats;
    const std::uint64_t hidden =
        s.ignored_files[static_cast<std::size_t>(walk::IgnoreReason::hidden)];
    CHECK(s.files_walked + s.files_without_rule + hidden + s.files_other_shards == 62);
    for (const auto& finding : part.findings) seen.insert(finding.path.str());
    total.add(part.stats);
  }
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == expected);
  CHECK(seen.size() == expected.size());  // no file in two shards
  CHECK(total.files_walked == all.stats.files_walked);
  CHECK(total.files_without_rule == all.stats.files_without_rule);
  CHECK(total.ignored_files == all.stats.ignored_files);
  CHECK(total.ignored_dirs == all.stats.ignored_dirs);
  CHECK(total.bytes_scanned == all.stats.bytes_scanned);
  CHECK(total.files_other_shards == 2 * 62);
  std::filesystem::remove_all(base);
}
