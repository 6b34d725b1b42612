"""[tool.asyncsweep] in the nearest pyproject.toml (or asyncsweep.toml) supplies defaults
(select, ignore, exclude, min-score, per-file-ignores), for each file from its own nearest
configuration as in Ruff; the command line wins; --isolated ignores it; --config names one;
--show-settings says which one applies."""
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


class Hierarchical(unittest.TestCase):
    """Two nested projects: each file follows its nearest configuration, whatever directory
    asyncsweep runs from and however the root is typed (Ruff's hierarchical configuration)."""

    def tree(self, d):
        repo = os.path.join(d, "repo")
        write_tree(repo, {
            ".git/HEAD": "ref: refs/heads/main\n",
            "pyproject.toml": '[tool.asyncsweep]\nselect = ["ASW106"]\nexclude = ["vendor"]\n',
            "app.py": CODE,
            "vendor/lib.py": CODE,
            "inner/asyncsweep.toml": 'select = ["ASW105", "ASW106"]\nmin-score = 0\n'
                                     '[per-file-ignores]\n"gen_*.py" = ["ASW106"]\n',
            "inner/mod.py": CODE,
            "inner/gen_x.py": CODE,
            "inner/deep/more.py": CODE,
            "plain/p.py": CODE,
        })
        return repo

    def found(self, findings, repo, cwd):
        """(path relative to the repository, rule, line): the result with paths aside."""
        return sorted((os.path.relpath(os.path.normpath(os.path.join(cwd, f["path"])), repo), f["rule"], f["line"])
                      for f in findings)

    def test_same_result_from_any_directory(self):
        with tempdir() as d:
            repo = self.tree(d)
            code, inside, summary, err = run_json(".", cwd=repo, expect=1)
            expected = self.found(inside, repo, repo)
            self.assertEqual(sorted({(p, r) for p, r, _ in expected}), [
                ("app.py", "ASW106"), ("inner/deep/more.py", "ASW105"), ("inner/deep/more.py", "ASW106"),
                ("inner/gen_x.py", "ASW105"), ("inner/mod.py", "ASW105"), ("inner/mod.py", "ASW106"),
                ("plain/p.py", "ASW106")], err)
            self.assertEqual(summary["suppressed"], 1)  # gen_x.py's ASW106, by inner's per-file-ignores
            for cwd, root in ((d, "repo"), ("/", repo), (os.path.join(repo, "plain"), "..")):
                code, findings, other, err = run_json(root, cwd=cwd, expect=1)
                self.assertEqual(self.found(findings, repo, cwd), expected, (cwd, err))
                self.assertEqual(other["suppressed"], 1)
            # A subdirectory swept alone keeps its own configuration and its parent's.
            code, findings, _, err = run_json("inner", cwd=repo, expect=1)
            self.assertEqual(self.found(findings, repo, repo), [f for f in expected if f[0].startswith("inner/")])

    def test_config_flag_names_one_for_every_file(self):
        with tempdir() as d:
            repo = self.tree(d)
            code, findings, _, err = run_json("--config", os.path.join(repo, "pyproject.toml"), "repo", cwd=d, expect=1)
            self.assertEqual({f["rule"] for f in findings}, {"ASW106"}, err)
            self.assertNotIn("vendor/lib.py", {p for p, _, _ in self.found(findings, repo, d)})
            code, out, err = run("--config", os.path.join(d, "missing.toml"), "repo", cwd=d, expect=2)
            self.assertIn("missing.toml", err)

    def test_show_settings_says_where_they_come_from(self):
        with tempdir() as d:
            repo = self.tree(d)
            code, out, err = run("--show-settings", "repo/inner/mod.py", cwd=d, expect=0)
            text = out.decode()
            inner = os.path.join(repo, "inner", "asyncsweep.toml")
            self.assertIn(f"# configuration: {inner}", text)
            self.assertIn(f'select = ["ASW105", "ASW106"]  # {inner}', text)
            self.assertIn(f"min-score = 0  # {inner}", text)
            code, out, err = run("--show-settings", "repo/vendor/lib.py", "--min-score", "50", cwd=d, expect=0)
            text = out.decode()
            self.assertIn(os.path.join(repo, "pyproject.toml"), text)
            self.assertIn("min-score = 50  # command line", text)
            self.assertIn("# excluded: yes", text)

    def test_a_bad_nested_configuration_names_its_file(self):
        with tempdir() as d:
            repo = self.tree(d)
            write_tree(repo, {"inner/asyncsweep.toml": 'select = ["ASW999"]\n'})
            code, out, err = run("repo", cwd=d, expect=2)
            self.assertIn(os.path.join(repo, "inner", "asyncsweep.toml"), err)
            self.assertIn("ASW999", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
