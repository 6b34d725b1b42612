"""scripts/eval-ranking on a development set of three hand-labelled sites: it runs the binary from
the packages' root, so a binary named relative to the caller's directory must still be found, and
its table must count the labels as labelled (a direct call and a nested writer called inline are
real, a nested writer handed to a thread is not)."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, tempdir, write_tree  # noqa: E402

MODULE = """import asyncio
import time


async def handler(path, data):
    time.sleep(0.1)

    def _write(blob):
        with open(path, "wb") as f:
            f.write(blob)

    _write(data)


async def offloaded(path, data):
    def _write(blob):
        with open(path, "wb") as f:
            f.write(blob)

    await asyncio.to_thread(_write, data)
"""

DEVSET = (
    "# package fake-pkg 1.0\n"
    "path\tline\tfamily\tlabel\tkind\ttest\tfound_by\treason\n"
    "pkg/mod.py\t6\tblocking-io\tTP\tsleep\tno\treading\ttime.sleep in the coroutine\n"
    "pkg/mod.py\t9\tblocking-io\tTP\tfile-open\tno\treading\topen() in _write, called inline\n"
    "pkg/mod.py\t17\tblocking-io\tFP\tfile-open\tno\treading\topen() in _write, run by to_thread\n"
)


class EvalRanking(unittest.TestCase):
    def test_relative_binary_and_the_counts(self):
        with tempdir() as d:
            write_tree(d, {"root/pkg/mod.py": MODULE, "devset/fake.tsv": DEVSET})
            env = dict(os.environ, ASYNCSWEEP_BIN=os.path.relpath(BIN, d))
            done = subprocess.run(
                [sys.executable, os.path.join(ROOT, "scripts", "eval-ranking"), "--root", "root",
                 "--devset", "devset", "--out", "out", "--no-ruff"],
                cwd=d, env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stderr)
            rows = [line.split(" | ") for line in done.stdout.splitlines()
                    if line.startswith("| blocking-io | ")]
            # family, sites, real, unsure, reported, recall@50, precision@50
            self.assertEqual(rows[0][1:7], ["3", "2", "0", "3", "100.0%", "100.0%"], done.stdout)
            self.assertTrue(os.path.isfile(os.path.join(d, "out", "reliability.svg")))


if __name__ == "__main__":
    unittest.main()
