"""End-to-end behaviour of the binary on fixture trees: findings, exit codes, accounting,
output formats, odd files and determinism across thread counts."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, accounted, run, run_json, strip_elapsed, tempdir, write_tree  # noqa: E402

BLOCKING = """import asyncio
import subprocess

async def build(path):
    log = path + ".log"
    subprocess.run(["make"], check=True)

def main():
    loop = asyncio.get_event_loop()
    return loop
"""

CLEAN = """import asyncio

async def fetch(session, url):
    async with session.get(url) as response:
        return await response.text()
"""


class ExitCodes(unittest.TestCase):
    def test_findings_exit_1_clean_exit_0(self):
        with tempdir() as d:
            write_tree(d, {"bad.py": BLOCKING, "sub/clean.py": CLEAN})
            code, out, err = run(d)
            self.assertEqual(code, 1, err)
            text = out.decode()
            self.assertIn("bad.py:6:5: [ASW105]", text)
            self.assertIn("bad.py:9:12: [ASW040]", text)
            self.assertEqual(err, "")
            # The document's own regex sees the same call two lines below `async def`.
            code, out, err = run("--seed-exact", d)
            self.assertIn("bad.py:4:1: [ASW033]", out.decode())
            code, out, err = run(os.path.join(d, "sub"))
            self.assertEqual(code, 0, out)
            self.assertIn("0 findings", out.decode())

    def test_nonexistent_path_is_an_error_naming_it_and_the_sweep_goes_on(self):
        with tempdir() as d:
            write_tree(d, {"bad.py": BLOCKING})
            missing = os.path.join(d, "nope")
            code, findings, summary, err = run_json(missing, d)
            self.assertEqual(code, 2)
            self.assertIn(missing, err)
            self.assertIn("No such file or directory", err)
            self.assertTrue(findings, "the existing root is still swept")
            self.assertEqual(summary["errors"][0]["path"], missing)

    def test_bad_rule_pack_names_file_line_and_column(self):
        with tempdir() as d:
            pack = os.path.join(d, "pack.toml")
            write_tree(d, {"pack.toml": "[[rule]]\nid = 'X'\ntitle = 'x'\ncategory = 'config'\nregex = 'a(b'\nseverity = 'low'\n"})
            code, out, err = run("--rules", pack, d)
            self.assertEqual(code, 2)
            self.assertIn(f"{pack}:5:", err)
            self.assertIn("offset 3", err)
            write_tree(d, {"pack.toml": "[[rule]\n"})
            code, out, err = run("--rules", pack, d)
            self.assertEqual(code, 2)
            self.assertIn(f"{pack}:1:", err)

    def test_usage_error_exits_2(self):
        code, out, err = run("--format", "xml")
        self.assertEqual(code, 2)
        self.assertIn("--format", err)
        code, out, err = run("--select", "NOPE", ".")
        self.assertEqual(code, 2)
        self.assertIn("unknown rule id or category 'NOPE'", err)

    def test_pcre2_limit_is_reported_per_file_and_rule_with_exit_2(self):
        with tempdir() as d:
            pack = os.path.join(d, "pack.toml")
            write_tree(d, {
                "pack.toml": "[[rule]]\nid = 'SLOW'\ntitle = 'x'\ncategory = 'config'\nregex = '(a+)+$'\nseverity = 'low'\ntypes = ['py']\n",
                "src/long.py": "a" * 5000 + "b\n",
                "src/other.py": "aaa\n",
            })
            code, findings, summary, err = run_json("--rules", pack, "--match-limit", "10000", os.path.join(d, "src"))
            self.assertEqual(code, 2)
            self.assertIn("long.py: rule SLOW: match limit exceeded", err)
            self.assertEqual(summary["files_incomplete"], 1)
            self.assertEqual([f["path"].rsplit("/", 1)[-1] for f in findings], ["other.py"])


class Accounting(unittest.TestCase):
    def test_every_walked_file_is_scanned_or_skipped_with_a_reason(self):
        with tempdir() as d:
            write_tree(d, {
                "a.py": BLOCKING,
                "bin.py": b"x = 1\n\x00\x01\x02",
                "late_nul.py": b"x = 1\n" * 20000 + b"\x00",
                "big.py": "# " + "x" * 200000 + "\n",
                "empty.py": "",
                "notes.txt": "asyncio.get_event_loop()\n",
            })
            os.mkfifo(os.path.join(d, "pipe.py"))
            code, findings, summary, err = run_json("--max-filesize", "150K", d)
            self.assertEqual(code, 1, err)
            self.assertTrue(accounted(summary), summary)
            self.assertEqual(summary["files_walked"], 6)
            self.assertEqual(summary["skipped"]["binary"], 2)
            self.assertEqual(summary["skipped"]["too_large"], 1)
            self.assertEqual(summary["skipped"]["not_regular"], 1)
            self.assertEqual(summary["files_scanned"], 2)
            self.assertEqual(summary["ignored_files"]["no_rule"], 1)  # notes.txt: no rule reads .txt
            self.assertEqual(summary["bytes_scanned"], len(BLOCKING))

    def test_stats_on_stderr_is_the_whole_summary(self):
        # --stats must count what the report holds (findings, score bands), not only the walk.
        with tempdir() as d:
            write_tree(d, {"a.py": BLOCKING})
            code, out, err = run("--format", "text", "--stats", d)
            self.assertEqual(code, 1, err)
            stats = json.loads(err.strip().splitlines()[-1])
            _, findings, summary, _ = run_json(d, expect=1)
            self.assertGreater(stats["findings"], 0)
            self.assertEqual(strip_elapsed([stats]), strip_elapsed([summary]))

    def test_explicit_files_are_searched_even_when_hidden_or_of_another_type(self):
        with tempdir() as d:
            write_tree(d, {".hidden.txt": "asyncio.get_event_loop()\n"})
            path = os.path.join(d, ".hidden.txt")
            code, findings, summary, err = run_json(path)
            self.assertEqual(code, 1, err)
            self.assertEqual({f["rule"] for f in findings}, {"ASW040"})
            self.assertEqual(findings[0]["path"], path)

    def test_results_are_identical_for_any_thread_count(self):
        with tempdir() as d:
            files = {}
            for i in range(300):
                files[f"pkg{i % 7}/mod{i}.py"] = BLOCKING if i % 3 == 0 else CLEAN
            write_tree(d, files)
            outputs = set()
            for threads in ("1", "2", "8"):
                code, findings, summary, err = run_json("-j", threads, d)
                self.assertEqual(code, 1)
                outputs.add(json.dumps(strip_elapsed(findings + [summary]), sort_keys=True))
            self.assertEqual(len(outputs), 1)


class Output(unittest.TestCase):
    def test_json_finding_fields(self):
        with tempdir() as d:
            write_tree(d, {"bad.py": BLOCKING})
            code, findings, summary, err = run_json(d)
            by_rule = {f["rule"]: f for f in findings}
            f = by_rule["ASW105"]
            for key in ("type", "rule", "category", "path", "line", "end_line", "column", "score", "title", "lines", "reasons"):
                self.assertIn(key, f)
            self.assertEqual((f["line"], f["end_line"], f["column"]), (6, 6, 5))
            self.assertEqual(f["lines"], '    subprocess.run(["make"], check=True)')
            self.assertIn("inside `async def build` (line 4)", f["reasons"])
            self.assertEqual(summary["findings_by_rule"]["ASW105"], 1)
            self.assertEqual(summary["findings"], len(findings))
            # A multiline document rule reports all its lines.
            code, findings, summary, err = run_json("--seed-exact", "--select", "ASW033", d)
            self.assertEqual([(f["line"], f["end_line"]) for f in findings], [(4, 6)])
            self.assertEqual(findings[0]["lines"].splitlines()[0], "async def build(path):")

    def test_non_utf8_paths_and_lines_survive_in_json(self):
        with tempdir() as d:
            name = os.fsencode(d) + b"/caf\xe9.py"
            with open(name, "wb") as handle:
                handle.write(b"x = '\xff'; asyncio.get_event_loop()\n")
            code, findings, summary, err = run_json(d)
            self.assertEqual(code, 1, err)
            import base64
            self.assertEqual(base64.b64decode(findings[0]["path_base64"]), name)
            self.assertEqual(base64.b64decode(findings[0]["lines_base64"]), b"x = '\xff'; asyncio.get_event_loop()")

    def test_color_only_when_asked_or_on_a_terminal(self):
        with tempdir() as d:
            write_tree(d, {"bad.py": BLOCKING})
            _, plain, _ = run(d, expect=1)
            _, colored, _ = run("--color", "always", d, expect=1)
            self.assertNotIn(b"\x1b[", plain)
            self.assertIn(b"\x1b[", colored)

    def test_context_lines(self):
        with tempdir() as d:
            write_tree(d, {"bad.py": BLOCKING})
            code, findings, _, _ = run_json("--select", "ASW040", "-C", "1", d, expect=1)
            self.assertEqual(findings[0]["context_before"], ["def main():"])
            self.assertEqual(findings[0]["context_after"], ["    return loop"])

    def test_closed_stdout_ends_quietly(self):
        with tempdir() as d:
            write_tree(d, {f"m{i}.py": BLOCKING for i in range(400)})
            proc = subprocess.Popen([BIN, d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            proc.stdout.readline()
            proc.stdout.close()
            err = proc.stderr.read()
            proc.stderr.close()
            code = proc.wait()
            self.assertEqual(err, b"")
            self.assertIn(code, (0, 1))

    def test_rules_listing_has_all_fields(self):
        code, out, err = run("rules", "--format", "json")
        self.assertEqual(code, 0, err)
        rules = [json.loads(line) for line in out.splitlines()]
        self.assertGreaterEqual(len(rules), 20)
        for rule in rules:
            for key in ("id", "title", "category", "regex", "multiline", "types", "severity", "source", "section", "kind"):
                self.assertIn(key, rule)
        code, out, err = run("rules")
        self.assertIn("ASW031", out.decode())


if __name__ == "__main__":
    unittest.main(verbosity=1)
