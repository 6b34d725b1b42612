"""The flags rg and Ruff users type, and the shapes they expect: each test names the tool whose
behaviour it follows. rg itself is the oracle where it can be (--format rg, --vimgrep)."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, run, run_json, tempdir, write_tree  # noqa: E402

# Three files: a.py scores low (a sync helper's call), z.py high, m.py in between, so that
# path order and score order disagree.
TREE = {
    "a.py": "import asyncio\n\ndef helper():\n    return asyncio.get_event_loop()\n",
    "m.py": "import asyncio\nimport time\n\nasync def pause():\n    time.sleep(1)\n\n"
            "def loop():\n    return asyncio.get_event_loop()\n",
    "z.py": "import asyncio\nimport subprocess\n\nasync def build():\n    subprocess.run(['make'])\n",
}


def lines(out):
    return out.decode().splitlines()


class TopAndRepeats(unittest.TestCase):
    def test_sort_path_top_keeps_the_best_scores_in_path_order(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, ranked, _, _ = run_json("--min-score", "0", d)
            best = sorted(ranked, key=lambda f: -f["score"])[:2]
            _, top, summary, _ = run_json("--min-score", "0", "--sort", "path", "--top", "2", d)
            self.assertEqual(sorted((f["path"], f["line"]) for f in best),
                             [(f["path"], f["line"]) for f in top])
            self.assertEqual(summary["beyond_top"], len(ranked) - 2)

    def test_negative_top_is_a_usage_error(self):
        with tempdir() as d:
            write_tree(d, TREE)
            code, out, err = run("--top", "-1", d)
            self.assertEqual(code, 2)
            self.assertEqual(out, b"")
            self.assertTrue(err.startswith("asyncsweep: error: --top"), err)

    def test_a_repeated_option_the_last_one_wins(self):
        # rg --max-count 1 --max-count 2 and ruff --line-length take the last value.
        with tempdir() as d:
            write_tree(d, TREE)
            _, one, _, _ = run_json("--min-score", "0", "--top", "5", "--top", "1", d)
            self.assertEqual(len(one), 1)
            # Lists still add up.
            _, both, _, _ = run_json("--select", "ASW040", "--select", "ASW105", d)
            self.assertEqual({f["rule"] for f in both}, {"ASW040", "ASW105"})

    def test_threads_zero_is_all_cores(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, zero, _, _ = run_json("-j", "0", d)
            _, default, _, _ = run_json(d)
            self.assertEqual(zero, default)
            self.assertTrue(zero)


class RuffFlags(unittest.TestCase):
    def test_exit_zero(self):
        with tempdir() as d:
            write_tree(d, TREE)
            code, out, _ = run(d)
            self.assertEqual(code, 1)
            code, out_zero, _ = run("--exit-zero", d)
            self.assertEqual(code, 0)
            self.assertIn(b"[ASW105]", out_zero)
            # An error still fails the run.
            code, _, _ = run("--exit-zero", os.path.join(d, "missing"), d)
            self.assertEqual(code, 2)

    def test_output_format_is_format(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, out, _ = run("--output-format", "json", d)
            self.assertEqual(json.loads(lines(out)[-1])["type"], "summary")

    def test_extend_select_adds_to_the_selection(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, found, _, _ = run_json("--select", "ASW105", "--extend-select", "ASW040", d)
            self.assertEqual({f["rule"] for f in found}, {"ASW040", "ASW105"})
            # With no selection every rule runs already: --extend-select narrows nothing.
            _, everything, _, _ = run_json(d)
            _, extended, _, _ = run_json("--extend-select", "ASW040", d)
            self.assertEqual(everything, extended)

    def test_statistics_counts_per_rule(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, found, summary, _ = run_json("--min-score", "0", d)
            code, out, _ = run("--min-score", "0", "--statistics", d)
            self.assertEqual(code, 1)
            rows = [line.split("\t") for line in lines(out)]
            self.assertEqual({row[1].strip(): int(row[0]) for row in rows}, summary["findings_by_rule"])
            counts = [int(row[0]) for row in rows]
            self.assertEqual(counts, sorted(counts, reverse=True))


class RgShapes(unittest.TestCase):
    def test_quiet_prints_nothing_and_keeps_the_exit_code(self):
        with tempdir() as d:
            write_tree(d, TREE)
            self.assertEqual(run("-q", d)[:2], (1, b""))
            write_tree(d, {"clean/ok.py": "x = 1\n"})
            self.assertEqual(run("--quiet", os.path.join(d, "clean"))[:2], (0, b""))

    def test_count_and_files_with_matches(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, found, _, _ = run_json("--min-score", "0", d)
            per_file = {}
            for f in found:
                per_file[f["path"]] = per_file.get(f["path"], 0) + 1
            _, out, _ = run("--min-score", "0", "-c", d)
            self.assertEqual(dict(line.rsplit(":", 1) for line in lines(out)),
                             {p: str(n) for p, n in per_file.items()})
            _, out, _ = run("--min-score", "0", "--files-with-matches", d)
            self.assertEqual(sorted(lines(out)), sorted(per_file))
            self.assertEqual(len(lines(out)), len(per_file))

    @unittest.skipUnless(shutil.which("rg"), "rg is not installed")
    def test_seed_exact_format_rg_prints_what_rg_prints(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, out, _ = run("--seed-exact", "--select", "ASW040", "--format", "rg", d)
            rg = subprocess.run(["rg", "-n", "--no-heading", "--sort", "path", "--type", "py",
                                 r"asyncio\.get_event_loop\(\)", d], stdout=subprocess.PIPE, check=True)
            self.assertEqual(lines(out), lines(rg.stdout))
            _, out, _ = run("--seed-exact", "--select", "ASW040", "--vimgrep", d)
            rg = subprocess.run(["rg", "--vimgrep", "--sort", "path", "--type", "py",
                                 r"asyncio\.get_event_loop\(\)", d], stdout=subprocess.PIPE, check=True)
            self.assertEqual(lines(out), lines(rg.stdout))


class StandardInput(unittest.TestCase):
    """`-` reads standard input, as in rg and Ruff; --stdin-filename is Ruff's name for it."""

    def sweep_stdin(self, *args):
        proc = subprocess.run([BIN, "--format", "json", *args], input=TREE["m.py"].encode(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        records = [json.loads(line) for line in proc.stdout.splitlines()]
        return proc.returncode, [r for r in records if r["type"] == "finding"]

    def test_stdin_gives_what_the_file_gives(self):
        with tempdir() as d:
            write_tree(d, TREE)
            _, from_file, _, _ = run_json(os.path.join(d, "m.py"))
            code, from_stdin = self.sweep_stdin("-")
            self.assertEqual(code, 1)
            self.assertTrue(from_file)
            strip = lambda fs, path: [dict(f, path=path) for f in fs]  # noqa: E731
            self.assertEqual(strip(from_stdin, "-"), strip(from_file, "-"))
            self.assertEqual({f["path"] for f in from_stdin}, {"-"})
            code, named = self.sweep_stdin("--stdin-filename", "pkg/m.py", "-")
            self.assertEqual({f["path"] for f in named}, {"pkg/m.py"})
            self.assertEqual(strip(named, "-"), strip(from_file, "-"))


class UsageErrors(unittest.TestCase):
    def test_unknown_option_gets_the_prefix_and_a_suggestion(self):
        code, out, err = run("--exitzero", ".")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("asyncsweep: error:"), err)
        self.assertIn("did you mean --exit-zero?", err)
        code, _, err = run("--zzzzzzzzzzzz", ".")
        self.assertEqual(code, 2)
        self.assertNotIn("did you mean", err)

    def test_unknown_rule_id_gets_a_suggestion(self):
        with tempdir() as d:
            write_tree(d, TREE)
            code, _, err = run("--select", "ASW0400", d)
            self.assertEqual(code, 2)
            self.assertIn("'ASW0400'; did you mean 'ASW040'?", err)
            code, _, err = run("--ignore", "blocking-oi", d)
            self.assertIn("did you mean 'blocking-io'?", err)


if __name__ == "__main__":
    unittest.main()
