"""Reviewer outputs end to end: SARIF validated against the OASIS schema, GitHub annotations
parsed back, Markdown sections, --output, and a baseline that survives inserted lines."""
import json
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, run, run_json, tempdir, write_tree  # noqa: E402

SOURCE = """import asyncio, subprocess

async def build():
    x = 1
    subprocess.run(["make"])

def main():
    loop = asyncio.get_event_loop()
    loop2 = asyncio.get_event_loop()
"""


class Formats(unittest.TestCase):
    def test_sarif_validates_against_the_schema(self):
        with tempdir() as d:
            write_tree(d, {"pkg/a.py": SOURCE, "b.py": "x = asyncio.get_event_loop()\n"})
            out_path = os.path.join(d, "report.sarif")
            code, out, err = run("--format", "sarif", "--output", out_path, d, expect=1)
            self.assertEqual(code, 1, err)
            self.assertEqual(out, b"")
            check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "sarif_check.py"), out_path],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            # 3 would be python3-jsonschema missing: scripts/test installs it, so that fails too.
            self.assertEqual(check.returncode, 0, check.stdout.decode())
            with open(out_path) as handle:
                log = json.load(handle)
            results = log["runs"][0]["results"]
            self.assertEqual(len(results), 4)
            for result in results:
                self.assertIn("primaryLocationLineHash", result["partialFingerprints"])
                self.assertTrue(0 <= result["rank"] <= 100)
                self.assertIn("score", result["properties"])
            ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
            self.assertIn("ASW105", ids)

    def test_github_annotations_parse_back(self):
        with tempdir() as d:
            write_tree(d, {"we,ird:name.py": SOURCE})
            code, out, err = run("--format", "github", d)
            self.assertEqual(code, 1, err)
            lines = out.decode().splitlines()
            self.assertEqual(len(lines), 3)
            pattern = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")
            for line in lines:
                m = pattern.match(line)
                self.assertIsNotNone(m, line)
                props = dict(p.split("=", 1) for p in m.group(2).split(","))
                unescape = lambda s: s.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
                self.assertTrue(unescape(props["file"]).endswith("we,ird:name.py"))
                self.assertTrue(int(props["line"]) >= 1)
                self.assertRegex(unescape(props["title"]), r"^ASW\d+ ")

    def test_markdown_checklist_sections(self):
        with tempdir() as d:
            write_tree(d, {"svc/a.py": SOURCE})
            code, out, err = run("--format", "markdown", d, expect=1)
            text = out.decode()
            self.assertIn("## Summary", text)
            self.assertIn("## ASW105", text)
            self.assertIn("## ASW040", text)
            self.assertEqual(text.count("- [ ] "), 3)
            self.assertIn("```python", text)

    def test_text_summary_counts_files_not_changes_of_file(self):
        # Ranked order interleaves the files: a.py (97), b.py (95), then a.py's low ones.
        with tempdir() as d:
            write_tree(d, {"a.py": "import time\n\n\nasync def f(p):\n    time.sleep(1)\n    await p.read_text()\n",
                           "b.py": "import os\n\n\nasync def g(fd):\n    os.read(fd, 1)\n"})
            code, out, err = run("--min-score", "0", "--color", "never", d, expect=1)
            files = [os.path.basename(f) for f in re.findall(r"^(\S+\.py):\d+:", out.decode(), re.M)]
            self.assertEqual(files[:3], ["a.py", "b.py", "a.py"], out.decode())
            self.assertIn(f"{len(files)} findings in 2 files;", out.decode())

    def test_output_to_a_full_disk_is_an_error(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        with tempdir() as d:
            write_tree(d, {"a.py": SOURCE})
            code, out, err = run("--output", "/dev/full", d)
            self.assertEqual(code, 2)
            self.assertIn("/dev/full", err)


class Baseline(unittest.TestCase):
    def test_baseline_survives_inserted_lines_and_reports_a_new_duplicate(self):
        with tempdir() as d:
            src = os.path.join(d, "src")
            write_tree(src, {"a.py": SOURCE})
            base = os.path.join(d, "baseline.json")
            code, out, err = run("--write-baseline", base, src, expect=0)
            self.assertEqual(out, b"")
            self.assertIn("wrote 3 findings to", err)
            with open(base) as handle:
                self.assertIn(json.load(handle)["findings"][0]["rule"], ("ASW033", "ASW040"))
            code, findings, summary, err = run_json("--baseline", base, src)
            self.assertEqual((code, findings), (0, []), err)
            # Lines inserted above: still known.
            write_tree(src, {"a.py": "# header\n# more\n" + SOURCE})
            code, findings, summary, err = run_json("--baseline", base, src)
            self.assertEqual((code, findings), (0, []), err)
            # A third identical get_event_loop line is new.
            write_tree(src, {"a.py": SOURCE + "    loop3 = asyncio.get_event_loop()\n    loop2 = asyncio.get_event_loop()\n"})
            code, findings, summary, err = run_json("--baseline", base, src)
            self.assertEqual(code, 1)
            self.assertEqual([f["rule"] for f in findings], ["ASW040", "ASW040"])

    def test_keys_do_not_depend_on_how_the_root_was_typed(self):
        """Written as `--write-baseline b.json .` inside the repository, read back from the
        parent directory and with an absolute path (keys relative to the git work tree's top,
        else the configuration's directory, else the root swept)."""
        for marker in ({".git/HEAD": "ref: refs/heads/main\n"}, {"pyproject.toml": "[tool.asyncsweep]\n"}, {}):
            with tempdir() as d:
                repo = os.path.join(d, "repo")
                write_tree(repo, {"pkg/a.py": SOURCE, **marker})
                code, out, err = run("--write-baseline", "b.json", ".", cwd=repo, expect=0)
                code, findings, summary, err = run_json("--baseline", "repo/b.json", "repo", cwd=d)
                self.assertEqual((code, findings, summary["baselined"]), (0, [], 3), (marker, err))
                code, findings, summary, err = run_json("--baseline", os.path.join(repo, "b.json"), repo, cwd="/")
                self.assertEqual((code, findings, summary["baselined"]), (0, [], 3), (marker, err))
                if marker:  # a subdirectory swept alone keeps the project's keys
                    code, findings, summary, err = run_json("--baseline", "../b.json", ".", cwd=os.path.join(repo, "pkg"))
                    self.assertEqual((code, findings), (0, []), (marker, err))

    def test_version_1_baselines_are_still_read_from_where_they_were_written(self):
        with tempdir() as d:
            write_tree(d, {"src/a.py": SOURCE, ".git/HEAD": ""})
            code, out, err = run("--write-baseline", "b.json", "src", cwd=d, expect=0)
            with open(os.path.join(d, "b.json")) as handle:
                document = json.load(handle)
            # Version 1 paths were relative to the directory the baseline was written from.
            document["version"] = 1
            write_tree(d, {"b.json": json.dumps(document)})
            code, findings, summary, err = run_json("--baseline", "b.json", "src", cwd=d)
            self.assertEqual((code, findings), (0, []), err)

    def test_bad_baseline_names_the_file(self):
        with tempdir() as d:
            base = os.path.join(d, "b.json")
            write_tree(d, {"b.json": "{\"version\": 1, \"findings\": [\n  {\"rule\": }\n]}\n", "a.py": SOURCE})
            code, out, err = run("--baseline", base, d)
            self.assertEqual(code, 2)
            self.assertIn(base, err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
