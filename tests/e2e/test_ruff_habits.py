"""Ruff habits (issue 18, item 5): `noqa` and rule codes in any case, rule-id prefixes in
--select/--ignore, per-file-ignores and the project's configuration, unused suppressions in
every format; and merge refusing shards cut with --top when it is not given one (item 4)."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, run, run_json, tempdir, write_tree  # noqa: E402

SOURCE = """import asyncio
import time


async def a():
    time.sleep(1)  # NOQA: ASYNC251
    time.sleep(2)  # NoQA
    time.sleep(3)  # asyncsweep: ignore[asw106]
    time.sleep(4)  # noqa: async251
    time.sleep(5)
"""

# One ASW1xx (time.sleep, ASW106) and one ASW0xx (get_event_loop, ASW040) finding.
TWO_FAMILIES = """import asyncio
import time


async def a():
    time.sleep(1)


def b():
    return asyncio.get_event_loop()
"""

UNUSED = """import time


async def a():
    x = 1  # asyncsweep: ignore[ASW106]
    time.sleep(1)
"""


def rule_ids(findings):
    return sorted(f["rule"] for f in findings)


class CaseInsensitive(unittest.TestCase):
    def test_noqa_and_ids_in_any_case(self):
        # Ruff reads `# NOQA: ...` and `# NoQA` as `# noqa` and compares codes in any case.
        with tempdir() as d:
            write_tree(d, {"m.py": SOURCE})
            code, findings, summary, err = run_json("--select", "ASW106", d)
            self.assertEqual(sorted(f["line"] for f in findings), [10], err)
            self.assertEqual(summary["suppressed"], 4)

    def test_lower_case_select_and_ignore(self):
        with tempdir() as d:
            write_tree(d, {"m.py": TWO_FAMILIES})
            code, findings, summary, err = run_json("--select", "asw040", d)
            self.assertEqual(rule_ids(findings), ["ASW040"], err)
            code, findings, summary, err = run_json("--select", "asw040,ASW106", "--ignore", "asw106", d)
            self.assertEqual(rule_ids(findings), ["ASW040"], err)


class Prefixes(unittest.TestCase):
    def test_select_and_ignore_by_prefix(self):
        # As Ruff's `--select ASYNC2` selects every ASYNC2xx code.
        with tempdir() as d:
            write_tree(d, {"m.py": TWO_FAMILIES})
            code, findings, summary, err = run_json("--select", "ASW1", d)
            self.assertEqual(rule_ids(findings), ["ASW106"], err)
            code, findings, summary, err = run_json("--select", "asw0", d)
            self.assertEqual(rule_ids(findings), ["ASW040"], err)
            code, findings, summary, err = run_json("--select", "ASW040,ASW106", "--ignore", "ASW10", d)
            self.assertEqual(rule_ids(findings), ["ASW040"], err)

    def test_prefix_that_names_nothing_is_an_error(self):
        with tempdir() as d:
            write_tree(d, {"m.py": TWO_FAMILIES})
            code, out, err = run("--select", "ASW9", d, expect=2)
            self.assertIn("ASW9", err)
            # Too short to be a prefix: `A` would select everything a typo touched.
            run("--select", "A", d, expect=2)

    def test_prefix_in_project_configuration_and_per_file_ignores(self):
        with tempdir() as d:
            write_tree(d, {
                "pyproject.toml": '[tool.asyncsweep]\nselect = ["asw0", "ASW1"]\n'
                                  '[tool.asyncsweep.per-file-ignores]\n"gen_*.py" = ["asw10"]\n',
                "gen_a.py": TWO_FAMILIES,
                "z.py": TWO_FAMILIES,
            })
            code, findings, summary, err = run_json(".", cwd=d)
            got = sorted((os.path.basename(f["path"]), f["rule"]) for f in findings)
            self.assertEqual(got, [("gen_a.py", "ASW040"), ("z.py", "ASW040"), ("z.py", "ASW106")], err)
            self.assertEqual(summary["suppressed"], 1)


class UnusedSuppressions(unittest.TestCase):
    def test_github_prints_what_makes_it_exit_1(self):
        with tempdir() as d:
            write_tree(d, {"m.py": UNUSED})
            code, out, err = run("--select", "ASW106", "--report-unused-suppressions", "--format", "github",
                                 "m.py", cwd=d, expect=1)
            lines = out.decode().splitlines()
            self.assertIn("::warning file=m.py,line=5,title=unused suppression::"
                          "unused suppression: # asyncsweep: ignore[ASW106]", lines)
            self.assertEqual(len([line for line in lines if line.startswith("::")]), 2, lines)

    def test_text_summary_counts_them(self):
        with tempdir() as d:
            write_tree(d, {"m.py": UNUSED})
            code, out, err = run("--select", "ASW106", "--report-unused-suppressions", d, expect=1)
            self.assertIn("; 1 unused suppression", out.decode().splitlines()[-1])

    def test_sarif_has_a_valid_result_for_them(self):
        with tempdir() as d:
            write_tree(d, {"m.py": UNUSED})
            code, out, err = run("--select", "ASW106", "--report-unused-suppressions", "--format", "sarif",
                                 d, expect=1)
            run_log = json.loads(out)["runs"][0]
            unused = [r for r in run_log["results"] if r["ruleId"] == "unused-suppression"]
            self.assertEqual(len(unused), 1)
            self.assertEqual(unused[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5)
            rules = run_log["tool"]["driver"]["rules"]
            self.assertEqual(rules[unused[0]["ruleIndex"]]["id"], "unused-suppression")
            path = os.path.join(d, "out.sarif")
            with open(path, "wb") as handle:
                handle.write(out)
            check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "sarif_check.py"), path],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(check.returncode, 0, check.stdout.decode())


class MergeNoticesTop(unittest.TestCase):
    def test_merge_refuses_shards_cut_with_top_unless_told(self):
        calls = "".join(f"    time.sleep({i})\n" for i in range(1, 5))
        with tempdir() as d:
            # Enough files that both shards hold more than --top 2 findings.
            write_tree(d, {f"m{n}.py": "import time\n\n\nasync def a():\n" + calls for n in range(8)})
            env = {k: v for k, v in os.environ.items() if "SHARD" not in k and "PARALLEL" not in k}
            shards = []
            for i in range(2):
                code, out, err = run("--select", "ASW106", "--top", "2", "--shard", f"{i}/2", "--format", "json",
                                     d, env=env, expect=1)
                self.assertGreater(json.loads(out.splitlines()[-1])["beyond_top"], 0)
                path = os.path.join(d, f"shard-{i}.jsonl")
                with open(path, "wb") as handle:
                    handle.write(out)
                shards.append(path)
            code, out, err = run("merge", "--select", "ASW106", *shards, env=env, expect=2)
            self.assertIn("--top", err)
            self.assertIn("shard-", err)
            code, out, err = run("merge", "--select", "ASW106", "--top", "2", "--format", "json", *shards,
                                 env=env, expect=1)
            findings = [json.loads(line) for line in out.splitlines() if json.loads(line)["type"] == "finding"]
            self.assertEqual(len(findings), 2)


class RulesText(unittest.TestCase):
    def test_text_listing_shows_ruff_codes_fix_and_rationale(self):
        code, out, err = run("rules", "--format", "json")
        by_id = {r["id"]: r for r in map(json.loads, out.splitlines())}
        code, out, err = run("rules", expect=0)
        text = out.decode()
        block = text[text.index("ASW106 "):]
        block = block[:block.index("\nASW", 1)]
        rule = by_id["ASW106"]
        self.assertIn("ruff: " + ", ".join(rule["ruff"]), block)
        self.assertIn("fix: " + rule["fix"], block)
        self.assertIn("rationale: " + rule["rationale"], block)


if __name__ == "__main__":
    unittest.main(verbosity=1)
