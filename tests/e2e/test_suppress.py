"""Inline suppressions: `# asyncsweep: ignore`, `# asyncsweep: ignore[ID, ...]`, Ruff-style
`# noqa: ASYNC251` where a rule maps to a Ruff code, counted in the summary, carried as SARIF
suppressions, and unused ones reported."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, run_json, tempdir, write_tree  # noqa: E402

SOURCE = """import asyncio
import time


async def a():
    time.sleep(1)  # asyncsweep: ignore
    time.sleep(2)  # asyncsweep: ignore[ASW106]
    time.sleep(3)  # noqa: ASYNC251
    time.sleep(4)  # asyncsweep: ignore[ASW101]
    time.sleep(5)  # noqa: E501
    time.sleep(6)  # noqa
    time.sleep(7)
    x = 1  # asyncsweep: ignore[ASW106]
    s = "# asyncsweep: ignore"
"""


class Suppress(unittest.TestCase):
    def test_forms(self):
        with tempdir() as d:
            write_tree(d, {"m.py": SOURCE})
            code, findings, summary, err = run_json("--select", "ASW106", d)
            self.assertEqual(code, 1, err)
            lines = sorted(f["line"] for f in findings)
            # 9: ignore names another rule; 10: noqa for another code; 12: no comment.
            self.assertEqual(lines, [9, 10, 12])
            self.assertEqual(summary["suppressed"], 4)

    def test_unused_suppressions_are_reported(self):
        with tempdir() as d:
            write_tree(d, {"m.py": SOURCE})
            code, out, err = run("--select", "ASW106", "--report-unused-suppressions", "--format", "json", d, expect=1)
            records = [json.loads(line) for line in out.splitlines()]
            unused = [r for r in records if r["type"] == "unused_suppression"]
            # Line 9 names a rule that is not reported there; line 13 suppresses nothing; the
            # string on line 14 is not a comment.
            self.assertEqual(sorted(r["line"] for r in unused), [9, 13])
            self.assertEqual(records[-1]["unused_suppressions"], 2)
            code, out, err = run("--select", "ASW106", "--report-unused-suppressions", d, expect=1)
            self.assertIn(":13: unused suppression: # asyncsweep: ignore[ASW106]", out.decode())

    def test_sarif_carries_suppressions(self):
        with tempdir() as d:
            write_tree(d, {"m.py": SOURCE})
            code, out, err = run("--select", "ASW106", "--format", "sarif", d, expect=1)
            log = json.loads(out)
            results = log["runs"][0]["results"]
            suppressed = [r for r in results if r.get("suppressions")]
            self.assertEqual(len(suppressed), 4)
            self.assertEqual({s["kind"] for r in suppressed for s in r["suppressions"]}, {"inSource"})


class TopComesLast(unittest.TestCase):
    """--top N counts what would be shown: suppressions, per-file-ignores and the baseline
    hide findings first (src/triage/triage.hpp), and --write-baseline records every finding."""

    def test_top_after_baseline_and_write_baseline_before_top(self):
        calls = "".join(f"    time.sleep({i})\n" for i in range(1, 7))
        with tempdir() as d:
            write_tree(d, {"src/m.py": "import time\n\n\nasync def a():\n" + calls})
            baseline = os.path.join(d, "baseline.json")
            src = os.path.join(d, "src")
            code, out, err = run("--select", "ASW106", "--top", "2", "--write-baseline", baseline, src, expect=0)
            self.assertIn("wrote 6 findings", err)
            # The baseline knows all six, not the two shown.
            code, found, summary, err = run_json("--select", "ASW106", "--baseline", baseline, src, expect=0)
            self.assertEqual((found, summary["baselined"]), ([], 6), err)
            # Two new calls: --top 1 shows one of them, not nothing.
            write_tree(d, {"src/n.py": "import time\n\n\nasync def b():\n    time.sleep(7)\n    time.sleep(8)\n"})
            code, found, summary, err = run_json("--select", "ASW106", "--baseline", baseline, "--top", "1", src)
            self.assertEqual([(os.path.basename(f["path"]), f["line"]) for f in found], [("n.py", 5)], err)
            self.assertEqual((summary["baselined"], summary["beyond_top"]), (6, 1))

    def test_top_after_per_file_ignores(self):
        with tempdir() as d:
            write_tree(d, {
                "pyproject.toml": '[tool.asyncsweep]\nper-file-ignores = { "gen_*.py" = ["ASW106"] }\n',
                "gen_a.py": "import time\n\n\nasync def a():\n    time.sleep(1)\n    time.sleep(2)\n",
                "z.py": "import time\n\n\nasync def z():\n    time.sleep(1)\n",
            })
            code, found, summary, err = run_json("--select", "ASW106", "--top", "1", ".", cwd=d)
            self.assertEqual([os.path.basename(f["path"]) for f in found], ["z.py"], err)
            self.assertEqual((summary["suppressed"], summary["beyond_top"]), (2, 0))


if __name__ == "__main__":
    unittest.main(verbosity=1)
