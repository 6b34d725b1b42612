"""Sharded sweeps end to end: the Python standard library swept as one shard and as four run
through GNU parallel, merged back into exactly the unsharded result; shard environment
variables; --roots-from; and merge refusing a missing, duplicated or cut-short shard."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, check_exit, run, stdlib_dir, tempdir, write_tree  # noqa: E402

SHARDS = 4
ENGINE_VARIABLES = ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "PARALLEL_SEQ")
# What legitimately differs between a merged result and an unsharded sweep.
VOLATILE = ("elapsed_seconds", "shard", "shards_merged")

BLOCKING = """import asyncio
import time

async def handler():
    time.sleep(1)

loop = asyncio.get_event_loop()
"""


def clean_env(**extra):
    """The environment without any engine's shard index (the suite itself may run under one)."""
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_VARIABLES}
    env.update(extra)
    return env


def parallel():
    """GNU parallel, installed from Debian if missing (scripts/test lists it too)."""
    path = shutil.which("parallel")
    if path is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "parallel"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        path = shutil.which("parallel")
    return path


def records(data):
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def load(path):
    with open(path, "rb") as handle:
        return records(handle.read())


def comparable(recs):
    """Records with the run-dependent summary fields removed."""
    out = []
    for record in recs:
        if record.get("type") == "summary":
            record = {k: v for k, v in record.items() if k not in VOLATILE}
        out.append(record)
    return out


def sh(command, cwd=None, env=None):
    proc = subprocess.run(command, shell=True, cwd=cwd, env=env or clean_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, executable="/bin/bash")
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def sharded(parallel_command, joblog, expect=(0, 1)):
    """Runs a `parallel --will-cite ...` command line with a job log, and checks how every job
    ended: parallel's own exit status only counts the jobs that exited non-zero, and findings
    (exit 1) count there like a crash would."""
    head = "--will-cite "
    assert head in parallel_command, parallel_command
    code, out, err = sh(parallel_command.replace(head, f"{head}--joblog {joblog} ", 1))
    with open(joblog) as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle][1:]   # Seq Host ... Exitval Signal Command
    assert len(rows) == SHARDS, (rows, err)
    for row in rows:
        exitval, sig = int(row[6]), int(row[7])
        check_exit(-sig if sig else exitval, expect, f"parallel job {row[8]}", err)
    return code, out, err


class StdlibShards(unittest.TestCase):
    """The real standard library: 1 shard vs 4 shards through GNU parallel, merged."""

    # ASW130 is a preview rule: every sweep and merge here runs it (merge joins the summaries).
    @classmethod
    def setUpClass(cls):
        cls.parallel = parallel()
        cls.tmp = tempdir()
        cls.dir = cls.tmp.name
        cls.stdlib = stdlib_dir()
        code, out, err = run("--preview", "--format", "json", cls.stdlib, env=clean_env(), expect=(0, 1))
        cls.unsharded_code = code
        cls.unsharded = records(out)
        if cls.parallel:
            # One file per shard, as the issue describes it.
            command = (f"{cls.parallel} --will-cite -j2 {BIN} --preview --shard {{}}/{SHARDS} --format json {cls.stdlib} "
                       f"'>' {cls.dir}/shard-{{}}.jsonl ::: " + " ".join(str(i) for i in range(SHARDS)))
            cls.parallel_result = sharded(command, os.path.join(cls.dir, "shards.joblog"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.assertIsNotNone(self.parallel, "GNU parallel is missing: apt-get install parallel (scripts/test does)")

    def shard_files(self):
        return [os.path.join(self.dir, f"shard-{i}.jsonl") for i in range(SHARDS)]

    def test_four_shards_through_parallel_merge_to_exactly_the_unsharded_sweep(self):
        code, out, err = self.parallel_result
        # parallel's exit status counts the jobs that exited non-zero: findings make that 1 each.
        self.assertNotIn("error", err)
        summaries = [load(path)[-1] for path in self.shard_files()]
        self.assertEqual(sorted(s["shard"]["index"] for s in summaries), list(range(SHARDS)))
        for summary in summaries:
            self.assertEqual(summary["shard"]["count"], SHARDS)
            self.assertGreater(summary["files_walked"], 0, "every shard gets some of the stdlib")
            self.assertGreater(summary["files_other_shards"], 0)
        whole = self.unsharded[-1]
        self.assertEqual(sum(s["files_walked"] for s in summaries), whole["files_walked"])
        # Calls of blocking project functions (ASW130) are found when merge joins the shards'
        # function summaries: no shard lists them.
        transitive = whole["findings_by_rule"].get("ASW130", 0)
        self.assertGreater(transitive, 0, "the stdlib's coroutines call its blocking helpers")
        self.assertEqual(sum(s["findings"] for s in summaries) + transitive, whole["findings"])

        code, out, err = run("merge", "--preview", *self.shard_files(), env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        merged = records(out)
        self.assertGreater(len(merged), 20, "the stdlib has findings to compare")
        self.assertEqual(comparable(merged), comparable(self.unsharded))
        self.assertEqual(merged[-1]["shards_merged"], SHARDS)
        self.assertEqual(merged[-1]["files_other_shards"], 0)
        self.assertNotIn("shard", merged[-1])

    def test_one_shard_is_the_whole_sweep(self):
        code, out, err = run("--preview", "--shard", "0/1", "--format", "json", self.stdlib, env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        one = records(out)
        self.assertEqual(one[-1]["shard"], {"index": 0, "count": 1})
        self.assertEqual(one[-1]["files_other_shards"], 0)
        # The shard lists every finding but those merge joins from its file summaries.
        self.assertEqual([r for r in one if r["type"] == "finding"],
                         [r for r in self.unsharded if r["type"] == "finding" and r["rule"] != "ASW130"])
        self.assertTrue(any(r["type"] == "file_summary" for r in one))
        path = os.path.join(self.dir, "one.jsonl")
        with open(path, "wb") as handle:
            handle.write(out)
        code, out, err = run("merge", "--preview", path, env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        self.assertEqual(comparable(records(out)), comparable(self.unsharded))

    def test_merged_reports_match_the_unsharded_ones(self):
        # GitHub annotations carry no timing: byte-identical.
        code, whole, err = run("--preview", "--format", "github", self.stdlib, env=clean_env())
        code2, merged, err2 = run("merge", "--preview", "--format", "github", *self.shard_files(), env=clean_env())
        self.assertEqual((code2, merged), (code, whole), err2)
        # Text: identical but for the elapsed time in the last line.
        code, whole, err = run("--preview", "--format", "text", "--color", "never", self.stdlib, env=clean_env())
        code2, merged, err2 = run("merge", "--preview", "--format", "text", *self.shard_files(), env=clean_env())
        self.assertEqual(code2, code, err2)
        self.assertEqual(merged.decode().splitlines()[:-1], whole.decode().splitlines()[:-1])
        # SARIF: one valid log with every finding.
        sarif = os.path.join(self.dir, "merged.sarif")
        code, out, err = run("merge", "--preview", "--format", "sarif", "-o", sarif, *self.shard_files(), env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        with open(sarif) as handle:
            log = json.load(handle)
        self.assertEqual(len(log["runs"]), 1)
        self.assertEqual(len(log["runs"][0]["results"]), self.unsharded[-1]["findings"])
        check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "sarif_check.py"), sarif],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # 3 would be python3-jsonschema missing: scripts/test installs it, so that fails too.
        self.assertEqual(check.returncode, 0, check.stdout.decode())

    def test_file_lists_partition_the_unsharded_list(self):
        code, out, err = run("--files", "--format", "json", self.stdlib, env=clean_env())
        self.assertEqual(code, 0, err)
        whole = [r["path"] for r in records(out) if r["type"] == "file"]
        self.assertGreater(len(whole), 500)
        command = (f"{self.parallel} --will-cite -j2 {BIN} --shard {{}}/{SHARDS} --files --format json "
                   f"{self.stdlib} '>' {self.dir}/files-{{}}.jsonl ::: " + " ".join(str(i) for i in range(SHARDS)))
        code, out, err = sharded(command, os.path.join(self.dir, "files.joblog"), expect=0)
        self.assertEqual(code, 0, err)
        lists = [[r["path"] for r in load(f"{self.dir}/files-{i}.jsonl") if r["type"] == "file"]
                 for i in range(SHARDS)]
        union = [path for part in lists for path in part]
        self.assertEqual(len(union), len(set(union)), "a file in two shards")
        self.assertEqual(sorted(union), sorted(whole))
        for part in lists:
            # FNV-1a + finalizer spreads files evenly: no shard holds less than half its share.
            self.assertGreater(len(part), len(whole) / SHARDS / 2)
        # merge puts the lists back together, text as --files prints it.
        code, out, err = run("merge", "--format", "text", *[f"{self.dir}/files-{i}.jsonl" for i in range(SHARDS)],
                             env=clean_env())
        self.assertEqual(code, 0, err)
        code2, direct, err2 = run("--files", self.stdlib, env=clean_env())
        self.assertEqual(out, direct)

    def test_a_missing_or_duplicated_shard_is_named_and_nothing_is_printed(self):
        files = self.shard_files()
        code, out, err = run("merge", "--preview", files[0], files[1], files[3], env=clean_env())
        self.assertEqual(code, 2)
        self.assertEqual(out, b"")
        self.assertIn("shard 2/4 is missing", err)
        code, out, err = run("merge", "--preview", *files, files[1], env=clean_env())
        self.assertEqual(code, 2)
        self.assertEqual(out, b"")
        self.assertIn("shard 1/4 is duplicated", err)
        self.assertIn(files[1], err)
        code, out, err = run("merge", "--preview", files[0], env=clean_env())
        self.assertEqual(code, 2)
        self.assertIn("shards 1/4, 2/4, 3/4 are missing", err)

    def test_parallel_over_an_sshloginfile_into_one_stream(self):
        # The README's command, with ":" (GNU parallel's name for this machine) as the only host:
        # every job's output comes back on parallel's stdout, one whole shard after another.
        hosts = os.path.join(self.dir, "hosts")
        with open(hosts, "w") as handle:
            handle.write(":\n")
        stream = os.path.join(self.dir, "stream.jsonl")
        command = (f"seq 0 {SHARDS - 1} | {self.parallel} --will-cite --sshloginfile {hosts} -j2 "
                   f"{BIN} --preview --shard {{}}/{SHARDS} --format json {self.stdlib} > {stream}")
        sharded(command, os.path.join(self.dir, "ssh.joblog"))
        code, out, err = run("merge", "--preview", stream, env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        self.assertEqual(comparable(records(out)), comparable(self.unsharded))
        # ... also from stdin.
        with open(stream, "rb") as handle:
            code, out, err = run("merge", "--preview", "-", stdin=handle, env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        self.assertEqual(comparable(records(out)), comparable(self.unsharded))

    def test_auto_takes_the_index_from_gnu_parallel(self):
        # -N0: no argument, only PARALLEL_SEQ (1..4) tells the jobs apart.
        command = (f"seq {SHARDS} | {self.parallel} --will-cite -N0 -j2 {BIN} --preview --shard auto/{SHARDS} --format json "
                   f"{self.stdlib} '>' {self.dir}/auto-{{#}}.jsonl")
        sharded(command, os.path.join(self.dir, "auto.joblog"))
        paths = [f"{self.dir}/auto-{i}.jsonl" for i in range(1, SHARDS + 1)]
        for seq, path in enumerate(paths, 1):
            self.assertEqual(load(path)[-1]["shard"], {"index": seq - 1, "count": SHARDS})
        code, out, err = run("merge", "--preview", *paths, env=clean_env())
        self.assertEqual(code, self.unsharded_code, err)
        self.assertEqual(comparable(records(out)), comparable(self.unsharded))


class ShardOptions(unittest.TestCase):
    def test_auto_reads_the_engines_in_order_and_explains_failures(self):
        with tempdir() as d:
            write_tree(d, {"a.py": BLOCKING})
            env = clean_env(JOB_COMPLETION_INDEX="2", SLURM_ARRAY_TASK_ID="1", PARALLEL_SEQ="1")
            code, out, err = run("--shard", "auto/3", "--format", "json", d, env=env)
            self.assertIn(code, (0, 1), err)
            self.assertEqual(records(out)[-1]["shard"], {"index": 2, "count": 3})
            code, out, err = run("--shard", "auto/3", "--format", "json", d, env=clean_env(SLURM_ARRAY_TASK_ID="1"),
                                 expect=(0, 1))
            self.assertEqual(records(out)[-1]["shard"], {"index": 1, "count": 3})
            code, out, err = run("--shard", "auto/3", d, env=clean_env())
            self.assertEqual(code, 2)
            self.assertEqual(out, b"")
            for name in ENGINE_VARIABLES:
                self.assertIn(name, err)
            code, out, err = run("--shard", "auto/3", d, env=clean_env(JOB_COMPLETION_INDEX="3"))
            self.assertEqual(code, 2)
            self.assertIn("JOB_COMPLETION_INDEX=3", err)
            code, out, err = run("--shard", "auto/3", d, env=clean_env(PARALLEL_SEQ="0"))
            self.assertEqual(code, 2)
            self.assertIn("PARALLEL_SEQ=0", err)
            for bad in ("3/3", "1", "x/3", "1/0", "-1/3"):
                code, out, err = run("--shard", bad, d, env=clean_env())
                self.assertEqual(code, 2, bad)
                self.assertIn("--shard", err)

    def test_the_split_does_not_depend_on_where_the_tree_is(self):
        # Two checkouts of one tree at different places (and spelled differently) split alike.
        with tempdir() as d:
            files = {f"pkg{i % 5}/m{i}.py": BLOCKING for i in range(40)}
            write_tree(os.path.join(d, "one"), files)
            write_tree(os.path.join(d, "elsewhere", "two"), files)
            for i in range(3):
                _, out1, _ = run("--shard", f"{i}/3", "--files", os.path.join(d, "one"), env=clean_env(), expect=0)
                _, out2, _ = run("--shard", f"{i}/3", "--files", "./two/", cwd=os.path.join(d, "elsewhere"),
                                 env=clean_env(), expect=0)
                rel1 = sorted(p[len(os.path.join(d, "one")) + 1:] for p in out1.decode().splitlines())
                rel2 = sorted(p[len("./two/"):] for p in out2.decode().splitlines())
                self.assertTrue(rel1)
                self.assertEqual(rel1, rel2)

    def test_walk_errors_count_once_after_merge(self):
        with tempdir() as d:
            tree = os.path.join(d, "tree")
            write_tree(tree, {"a.py": BLOCKING, "b/c.py": BLOCKING, "b/d.py": BLOCKING, "b/e.txt": "x\n",
                              ".cache/f.py": BLOCKING})
            os.symlink("a.py", os.path.join(tree, "link.py"))
            missing = os.path.join(d, "no-such-root")
            code, out, err = run("--format", "json", tree, missing, env=clean_env())
            self.assertEqual(code, 2)
            whole = records(out)
            paths = []
            for i in range(3):
                code, out, err = run("--shard", f"{i}/3", "--format", "json", tree, missing, env=clean_env())
                self.assertEqual(code, 2, "every shard knows its sweep was incomplete")
                paths.append(os.path.join(d, f"s{i}.jsonl"))
                with open(paths[-1], "wb") as handle:
                    handle.write(out)
            code, out, err = run("merge", *paths, env=clean_env())
            self.assertEqual(code, 2)
            self.assertEqual(comparable(records(out)), comparable(whole))
            self.assertEqual(len(records(out)[-1]["errors"]), 1)
            self.assertEqual(whole[-1]["ignored_dirs"]["hidden"], 1)  # counted once, by shard 0
            self.assertEqual(whole[-1]["ignored_files"]["symlink"], 1)
            self.assertEqual(err.count("no-such-root"), 1)

    def test_cut_short_output_is_an_error_naming_the_file(self):
        with tempdir() as d:
            write_tree(d, {"a.py": BLOCKING})
            code, out, err = run("--format", "json", d, env=clean_env(), expect=1)
            lines = out.splitlines(keepends=True)
            self.assertGreater(len(lines), 1)
            cut = os.path.join(d, "cut.jsonl")
            with open(cut, "wb") as handle:
                handle.write(b"".join(lines[:-1]))
            code, out, err = run("merge", cut, env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn(f"{cut}: {len(lines) - 1} record(s) after the last summary", err)
            code, out, err = run("merge", os.path.join(d, "nope.jsonl"), env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn("nope.jsonl", err)


SUPPRESSED = """import asyncio
import time


async def a():
    time.sleep(1)  # asyncsweep: ignore
    time.sleep(7)
    x = 1  # asyncsweep: ignore[ASW106]
    loop = asyncio.get_event_loop()
"""


class RankedShards(unittest.TestCase):
    """What the scorer does after the search (ranking, --top, --min-score, suppressions) survives
    sharding: the merged result is the unsharded one."""

    def sweep_and_merge(self, d, *options, merge_options=()):
        tree = os.path.join(d, "tree")
        code, out, err = run(*options, "--format", "json", tree, env=clean_env(), expect=(0, 1))
        whole = records(out)
        paths = []
        for i in range(3):
            c, part, e = run("--shard", f"{i}/3", *options, "--format", "json", tree, env=clean_env(), expect=(0, 1))
            paths.append(os.path.join(d, f"part{i}.jsonl"))
            with open(paths[-1], "wb") as handle:
                handle.write(part)
        mcode, merged, merr = run("merge", *merge_options, *paths, env=clean_env())
        self.assertEqual(mcode, code, merr)
        return whole, records(merged), paths

    def test_top_suppressions_and_unused_ones_merge_exactly(self):
        with tempdir() as d:
            files = {}
            for i in range(12):
                files[f"tree/pkg{i % 4}/m{i}.py"] = SUPPRESSED if i % 2 else BLOCKING
            write_tree(d, files)
            whole, merged, paths = self.sweep_and_merge(d, "--report-unused-suppressions", "--top", "5",
                                                        merge_options=("--top", "5"))
            self.assertEqual(comparable(merged), comparable(whole))
            summary = whole[-1]
            self.assertEqual(summary["findings"], 5)
            self.assertGreater(summary["beyond_top"], 0)
            self.assertGreater(summary["suppressed"], 0)
            self.assertGreater(summary["unused_suppressions"], 0)
            # Shards list their suppressed findings for the merge; the merged output, like a
            # whole sweep's, only counts them.
            shard_types = {r["type"] for path in paths for r in load(path)}
            self.assertTrue({"finding", "suppressed", "unused_suppression", "summary"} <= shard_types, shard_types)
            self.assertEqual({r["type"] for r in merged}, {r["type"] for r in whole})
            # Ranked: scores never rise down the list.
            scores = [r["score"] for r in merged if r["type"] == "finding"]
            self.assertEqual(scores, sorted(scores, reverse=True))
            # SARIF from the merge lists the same results, suppressions included.
            _, sarif_whole, _ = run("--report-unused-suppressions", "--top", "5", "--format", "sarif",
                                    os.path.join(d, "tree"), env=clean_env(), expect=1)
            _, sarif_merged, err = run("merge", "--top", "5", "--format", "sarif", *paths, env=clean_env(), expect=1)
            self.assertEqual(json.loads(sarif_merged)["runs"][0]["results"],
                             json.loads(sarif_whole)["runs"][0]["results"], err)
            # A whole sweep's output only counts them: merge says so rather than lose them.
            whole_path = os.path.join(d, "whole.jsonl")
            with open(whole_path, "w") as handle:
                handle.write("".join(json.dumps(r) + "\n" for r in whole))
            code, out, err = run("merge", "--top", "5", whole_path, env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn("inline-suppressed findings are counted but not listed", err)
            self.assertIn("--shard 0/1", err)

    def test_path_order_stays_path_order(self):
        with tempdir() as d:
            write_tree(d, {f"tree/p{i}.py": (SUPPRESSED if i % 3 else BLOCKING) for i in range(10)})
            whole, merged, paths = self.sweep_and_merge(d, "--sort", "path", "--min-score", "0",
                                                        merge_options=("--sort", "path"))
            self.assertEqual(comparable(merged), comparable(whole))
            listed = [r["path"] for r in merged if r["type"] == "finding"]
            self.assertEqual(listed, sorted(listed))
            self.assertNotEqual([r["score"] for r in merged if r["type"] == "finding"],
                                sorted([r["score"] for r in merged if r["type"] == "finding"], reverse=True))
            # Merged as if ranked, path-ordered shards are refused, naming the shard.
            code, out, err = run("merge", *paths, env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn("not in score order: give merge the --sort the shards ran with", err)


class RootsFrom(unittest.TestCase):
    def test_roots_with_the_same_basename_stay_apart(self):
        with tempdir() as d:
            write_tree(d, {"team-a/service/app.py": BLOCKING, "team-b/service/app.py": BLOCKING})
            roots = os.path.join(d, "roots.txt")
            with open(roots, "w") as handle:
                handle.write(f"# checked-out repositories\n\n{d}/team-a/service\n   \n{d}/team-b/service\n")
            code, out, err = run("--roots-from", roots, "--format", "json", env=clean_env())
            self.assertEqual(code, 1, err)
            recs = records(out)
            paths = sorted({r["path"] for r in recs if r["type"] == "finding"})
            self.assertEqual(paths, [f"{d}/team-a/service/app.py", f"{d}/team-b/service/app.py"])
            self.assertEqual(recs[-1]["files_walked"], 2)
            # Same as naming them on the command line; "-" reads the list from stdin.
            code2, out2, _ = run("--format", "json", f"{d}/team-a/service", f"{d}/team-b/service", env=clean_env(),
                                 expect=1)
            self.assertEqual(comparable(records(out2)), comparable(recs))
            with open(roots, "rb") as handle:
                code3, out3, err3 = run("--roots-from", "-", "--format", "json", stdin=handle, env=clean_env(),
                                        expect=1)
            self.assertEqual(comparable(records(out3)), comparable(recs), err3)
            # Sharded and merged, both copies survive: one relative path, so one shard, two findings.
            outs = []
            for i in range(2):
                _, part, _ = run("--shard", f"{i}/2", "--roots-from", roots, "--format", "json", env=clean_env(),
                                 expect=(0, 1))
                outs.append(os.path.join(d, f"r{i}.jsonl"))
                with open(outs[-1], "wb") as handle:
                    handle.write(part)
            code, merged, err = run("merge", *outs, env=clean_env())
            self.assertEqual(code, 1, err)
            self.assertEqual(comparable(records(merged)), comparable(recs))

    def test_an_unreadable_or_empty_list_is_an_error(self):
        with tempdir() as d:
            code, out, err = run("--roots-from", os.path.join(d, "missing.txt"), env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn("missing.txt", err)
            empty = os.path.join(d, "empty.txt")
            with open(empty, "w") as handle:
                handle.write("# nothing yet\n\n")
            code, out, err = run("--roots-from", empty, env=clean_env())
            self.assertEqual(code, 2)
            self.assertIn("lists no path", err)


class Docs(unittest.TestCase):
    def test_readme_and_manifest_show_a_sharded_sweep_ending_in_merge(self):
        with open(os.path.join(ROOT, "README.md")) as handle:
            readme = handle.read()
        self.assertIn("--shard I/N", readme)
        self.assertIn("parallel --sshloginfile", readme)
        self.assertIn("asyncsweep merge", readme)
        manifest_path = os.path.join(ROOT, "docs", "k8s-indexed-job.yaml")
        with open(manifest_path) as handle:
            text = handle.read()
        self.assertIn("asyncsweep merge", text)
        import yaml   # python3-yaml: scripts/test installs it; without it this is an error, not a pass
        docs = [doc for doc in yaml.safe_load_all(text) if doc]
        jobs = [doc for doc in docs if doc.get("kind") == "Job" and doc["spec"].get("completionMode") == "Indexed"]
        self.assertEqual(len(jobs), 1)
        spec = jobs[0]["spec"]
        script = json.dumps(spec["template"]["spec"])
        self.assertIn(f"--shard auto/{spec['completions']}", script, "shard count = completions")
        # What the manifest's pods run: the last pod's index from the environment, as Kubernetes sets it.
        with tempdir() as d:
            write_tree(d, {f"m{i}.py": BLOCKING for i in range(20)})
            last = spec["completions"] - 1
            code, out, err = run("--shard", f"auto/{spec['completions']}", "--format", "json", d,
                                 env=clean_env(JOB_COMPLETION_INDEX=str(last)), expect=(0, 1))
            self.assertEqual(records(out)[-1]["shard"], {"index": last, "count": spec["completions"]}, err)


if __name__ == "__main__":
    unittest.main()
