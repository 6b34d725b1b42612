"""Blocking calls written under an imported name (`from time import sleep`, `import subprocess
as sp`, `from shutil import copy`) are found and scored like the canonical spelling; a local name
that shadows the import, code in strings and comments, and --seed-exact (rg's stage) are not
affected."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, run_json, tempdir, write_tree  # noqa: E402

# Written the way test suites and servers write it: aliases, imports in try blocks and inside
# functions, parenthesised from-imports.
WORKER = '''"""A worker that shells out."""
import asyncio
import logging
import os.path as osp
import subprocess as sp
from time import sleep as sync_sleep

try:
    from shutil import (
        copy,
        copytree,
        rmtree,  # cleanup
    )
except ImportError:  # pragma: no cover
    raise

logger = logging.getLogger(__name__)


class Worker:
    async def start(self, cmd, workdir):
        if not osp.isdir(workdir):
            raise ValueError(workdir)
        proc = sp.Popen(cmd, cwd=workdir)
        sync_sleep(0.5)
        return proc

    async def snapshot(self, src, dst):
        copytree(src, dst)
        copy(osp.join(src, "config.yaml"), dst)
        await asyncio.to_thread(rmtree, dst)

    async def restart(self):
        from subprocess import check_output
        out = check_output(["systemctl", "restart", "worker"])
        logger.info("restarted: %s", out)

    def cleanup(self, path):
        rmtree(path)
'''

TEST_CLIENT = '''import asyncio
from tempfile import TemporaryDirectory
from time import sleep

import pytest


@pytest.mark.asyncio
async def test_reconnect(client):
    with TemporaryDirectory() as d:
        await client.save(d)
    sleep(0.1)
    await asyncio.sleep(0.1)


async def test_helper_thread(loop):
    def blocking():
        sleep(1)
    await loop.run_in_executor(None, blocking)
'''

SHADOWED = '''import asyncio
import time
from time import sleep
from shutil import copy


async def uses_param(sleep):
    sleep(1)


async def uses_local(items):
    copy = list(items)
    copy(items)


async def nap(delay):
    await asyncio.sleep(delay)


async def awaited():
    # sleep(1) in a comment
    text = "sleep(2) in a string"
    time.sleep(3)
'''


def by_line(findings, path_end):
    return {f["line"]: f for f in findings if f["path"].endswith(path_end)}


class Imports(unittest.TestCase):
    def test_aliased_and_bare_calls_are_found(self):
        with tempdir() as d:
            write_tree(d, {"worker.py": WORKER})
            code, findings, _, err = run_json("--min-score", "0", d)
            self.assertEqual(code, 1, err)
            found = by_line(findings, "worker.py")
            expected = {22: ("ASW111", "`osp.isdir` is os.path.isdir"),
                        24: ("ASW105", "`sp.Popen` is subprocess.Popen"),
                        25: ("ASW106", "`sync_sleep` is time.sleep (imported on line 6)"),
                        29: ("ASW113", "`copytree` is shutil.copytree"),
                        30: ("ASW113", "`copy` is shutil.copy"),
                        35: ("ASW105", "`check_output` is subprocess.check_output (imported on line 34)")}
            for line, (rule, reason) in expected.items():
                self.assertIn(line, found, f"line {line} not reported: {sorted(found)}")
                self.assertEqual(found[line]["rule"], rule)
                self.assertTrue(any(r.startswith(reason) for r in found[line]["reasons"]), found[line]["reasons"])
                self.assertGreaterEqual(found[line]["score"], 50, found[line])
            # osp.join computes a string; rmtree handed to to_thread is a reference; the sync
            # method's rmtree does not run on the loop.
            self.assertNotIn(31, found)
            self.assertNotIn(39, found)
            # One finding per call: `.isdir(` is not also a pathlib call.
            self.assertEqual([f["rule"] for f in findings if f["line"] == 22], ["ASW111"])

    def test_scored_like_the_canonical_spelling(self):
        with tempdir() as d:
            write_tree(d, {"tests/test_client.py": TEST_CLIENT})
            code, findings, _, err = run_json("--min-score", "0", d)
            self.assertEqual(code, 1, err)
            found = by_line(findings, "test_client.py")
            self.assertEqual(found[10]["rule"], "ASW114")
            self.assertEqual(found[12]["rule"], "ASW106")
            self.assertGreaterEqual(found[12]["score"], 50)
            # In a nested sync def handed to run_in_executor: reported, but low.
            self.assertEqual(found[18]["rule"], "ASW106")
            self.assertLess(found[18]["score"], 50)
            self.assertNotIn(13, found)  # asyncio.sleep

    def test_shadowed_names_strings_and_comments(self):
        with tempdir() as d:
            write_tree(d, {"m.py": SHADOWED})
            code, findings, _, err = run_json("--min-score", "0", d)
            self.assertEqual(code, 1, err)
            lines = sorted(f["line"] for f in findings)
            self.assertEqual(lines, [23], findings)  # only the canonical time.sleep(3)
            self.assertFalse(any("imported on" in r for r in findings[0]["reasons"]))

    def test_suppression_applies(self):
        with tempdir() as d:
            write_tree(d, {"m.py": "from time import sleep\n\n\nasync def f():\n    sleep(1)  # noqa: ASYNC251\n"})
            code, findings, summary, err = run_json(d)
            self.assertEqual(code, 0, err)
            self.assertEqual(findings, [])
            self.assertEqual(summary["suppressed"], 1)

    def test_seed_exact_stays_the_regex(self):
        with tempdir() as d:
            write_tree(d, {"worker.py": WORKER})
            code, out, err = run("--seed-exact", "--select", "ASW106,ASW105,ASW113", "--format", "json", d)
            self.assertEqual(code, 0, err)  # none of these is spelled the canonical way
            self.assertNotIn(b'"type":"finding"', out)


if __name__ == "__main__":
    unittest.main()
