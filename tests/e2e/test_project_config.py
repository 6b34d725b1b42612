"""[tool.asyncsweep] in the nearest pyproject.toml supplies defaults (select, ignore, exclude,
min-score, per-file-ignores); the command line wins; --isolated ignores it."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, run_json, tempdir, write_tree  # noqa: E402

CODE = """import asyncio, time, subprocess

async def job():
    time.sleep(1)
    subprocess.run(["x"])
    loop = asyncio.get_event_loop()
"""


class ProjectConfig(unittest.TestCase):
    def tree(self, d, tool):
        write_tree(d, {
            "pyproject.toml": "[project]\nname = 'x'\n\n[tool.asyncsweep]\n" + tool,
            "src/app.py": CODE,
            "src/legacy/old.py": CODE,
            "vendor/lib.py": CODE,
        })

    def rules(self, findings):
        def short(path):
            parts = [p for p in path.split("/") if p != "."]
            return parts[0] + "/" + parts[-1]
        return sorted({(short(f["path"]), f["rule"]) for f in findings})

    def test_select_exclude_and_per_file_ignores(self):
        with tempdir() as d:
            self.tree(d, 'select = ["ASW106", "ASW105"]\nexclude = ["vendor"]\n'
                         '[tool.asyncsweep.per-file-ignores]\n"src/legacy/*" = ["ASW105"]\n')
            code, findings, summary, err = run_json(".", cwd=d)
            self.assertEqual(code, 1, err)
            self.assertEqual(self.rules(findings),
                             [("src/app.py", "ASW105"), ("src/app.py", "ASW106"), ("src/old.py", "ASW106")])
            self.assertEqual(summary["suppressed"], 1)

    def test_command_line_wins_and_isolated_ignores(self):
        with tempdir() as d:
            self.tree(d, 'select = ["ASW106"]\nmin-score = 99\n')
            code, findings, summary, err = run_json(".", cwd=d)
            self.assertEqual((code, findings), (0, []))  # time.sleep scores 95 < 99
            code, findings, summary, err = run_json("--min-score", "30", ".", cwd=d, expect=1)
            self.assertEqual({f["rule"] for f in findings}, {"ASW106"})
            code, findings, summary, err = run_json("--select", "ASW040", ".", cwd=d, expect=0)
            self.assertEqual({f["rule"] for f in findings}, set())  # min-score 99 still applies
            code, findings, summary, err = run_json("--isolated", ".", cwd=d, expect=1)
            self.assertEqual({f["rule"] for f in findings}, {"ASW105", "ASW106", "ASW040"})

    def test_nearest_pyproject_wins(self):
        with tempdir() as d:
            self.tree(d, 'select = ["ASW106"]\n')
            write_tree(d, {"src/pyproject.toml": "[tool.asyncsweep]\nselect = [\"ASW040\"]\n"})
            code, findings, summary, err = run_json(".", cwd=os.path.join(d, "src"), expect=1)
            self.assertEqual({f["rule"] for f in findings}, {"ASW040"})

    def test_bad_config_names_file_and_position(self):
        with tempdir() as d:
            self.tree(d, 'selekt = ["ASW106"]\n')
            code, out, err = run(".", cwd=d)
            self.assertEqual(code, 2)
            self.assertIn("pyproject.toml:5:", err)
            self.assertIn("unknown key 'selekt'", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
